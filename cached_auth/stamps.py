"""Everything the cached authentication keeps in the shared cache: keys, fingerprints, user stamps.

Keys are keyed BLAKE2b digests (keys derived from SECRET_KEY), so neither the
credentials nor anything that can be checked against a guessed password without
SECRET_KEY appear in a key; a stored password hash is represented only by a keyed
fingerprint, never itself.

A stamp belongs to a username: a random token, replaced whenever the user row holding
that username is saved or deleted (cached_auth.invalidation). An entry remembers the
stamp it was made under and is served only while that stamp is the current one, so a
change made by any process sharing the cache takes effect on the next request in every
process; a missing stamp serves nothing. The stamp key is derived from the username
alone, so a request reads its entry and its stamp in one call (one round trip).

After the token a stamp holds the fingerprint of the user's state it was made for (the
cached fields and the password hash). A stamp made before a write commits is pending and
says since when: the state it names may never be committed (a rollback). A committed stamp
is made once the write has committed, or by a request that found no stamp and read the
committed row (cached_auth.authentication decides when a request may cache under which).
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from django.core.cache import BaseCache

from cached_auth.config import KEY_PREFIX, Config, auth_cache

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

STAMP_KEY_PREFIX = f"{KEY_PREFIX}:s:"
TOKEN_LENGTH = 32  # hex digits of a stamp's random token
# The fingerprint a username gets when no row holds it any more (deleted, renamed): no row matches it.
NO_USER = "no-user"
# Marks a pending stamp's time: a fingerprint (hex digits, NO_USER) never starts with it.
PENDING = "~"


class InvalidationFailed(RuntimeError):
    """A user's stamps could not be replaced, so their cached authentications could still be served."""


def now() -> float:
    """The clock entries' expiry is checked against (a function, so tests can move it)."""
    return time.time()


def keyed_digest(key: bytes, value: str) -> str:
    """Keyed BLAKE2b of `value`: a MAC (RFC 7693), a sixth of what HMAC-SHA256 costs through OpenSSL here."""
    return hashlib.blake2b(value.encode("utf-8", "surrogatepass"), key=key, digest_size=32).hexdigest()


def request_keys(config: Config, kind: str, userid: str, password: str) -> tuple[str, str]:
    """The cache keys of one request: its (userid, password) entry's, and its username's stamp's.

    One keyed BLAKE2b state gives both: the stamp key's digest is of the username, the
    entry key's of the username and the password. 128-bit digests keep the keys short:
    Django's caches search every key for characters memcached rejects, on every call.
    """
    digest = config.key_hash.copy()
    # The length prefix keeps ("a:b", "c") and ("a", "b:c") apart, and a username from a password.
    # (A header's credentials never hold a lone surrogate: encoded as stamp_key() encodes them.)
    digest.update(f"{len(userid)}:{userid}".encode())
    stamp = STAMP_KEY_PREFIX + digest.hexdigest()
    digest.update(f":{password}".encode())
    return config.entry_prefixes[kind] + digest.hexdigest(), stamp


def stamp_key(config: Config, username: str) -> str:
    """The cache key of a username's stamp, as request_keys gives it: not derived from the user's id."""
    digest = config.key_hash.copy()
    digest.update(f"{len(username)}:{username}".encode("utf-8", "surrogatepass"))
    return STAMP_KEY_PREFIX + digest.hexdigest()


def entry_key(config: Config, kind: str, userid: str, password: str) -> str:
    """The cache key of one (userid, password) pair: a keyed digest, not the credentials."""
    return request_keys(config, kind, userid, password)[0]


def state_fingerprint(config: Config, values: Mapping[str, Any]) -> str:
    """A keyed digest of a user's cached fields and password hash: changes when any of them does."""
    state = tuple(values[name] for name in (*config.cached_fields, "password"))
    return keyed_digest(config.keys["state"], repr(state))


def user_fingerprint(config: Config, user: AbstractBaseUser) -> str:
    """state_fingerprint of a loaded user instance."""
    return state_fingerprint(config, {name: getattr(user, name) for name in (*config.cached_fields, "password")})


def password_fingerprint(config: Config, user: AbstractBaseUser) -> str:
    """A keyed digest of the user's name and stored password hash: changes when either does."""
    return keyed_digest(config.keys["password"], f"{user.get_username()}\x00{user.password}")


class StampState(NamedTuple):
    """What a stamp says: the fingerprint of the state it was made for and, if pending, since when."""

    fingerprint: str
    pending_since: float | None


def new_stamp(fingerprint: str, pending_since: float | None = None) -> str:
    """A stamp for a committed state, or (`pending_since`) for one a write has not committed yet."""
    # A fresh random token, not a counter: a stamp evicted and made again can never
    # equal the one a stale entry remembers.
    token = secrets.token_hex(TOKEN_LENGTH // 2)
    if pending_since is None:
        return token + fingerprint
    return f"{token}{PENDING}{pending_since!r}{PENDING}{fingerprint}"


def stamp_state(stamp: str) -> StampState:
    """What `stamp` (as new_stamp made it) says."""
    rest = stamp[TOKEN_LENGTH:]
    if not rest.startswith(PENDING):
        return StampState(rest, None)
    since, fingerprint = rest[len(PENDING) :].split(PENDING, 1)
    return StampState(fingerprint, float(since))


def replace_stamps(config: Config, fingerprints: dict[str, str], *, pending: bool) -> None:
    """Give each stamp key a new stamp made for its fingerprint, and confirm it by reading them back.

    `pending`: the state is not committed yet (the write is about to be made, or its
    transaction is open), so the stamps are pending from now.

    Raises InvalidationFailed if a stamp could not be confirmed (a cache that drops
    writes, or ignores its errors as pymemcache's ignore_exc or django-redis's
    IGNORE_EXCEPTIONS do), and lets the cache's own errors through: either way the
    caller must not go on as if the old entries were dead.
    """
    cache: BaseCache = auth_cache(config)
    keys = list(fingerprints)
    before = cache.get_many(keys)
    since = now() if pending else None
    new_stamps = {key: new_stamp(fingerprint, since) for key, fingerprint in fingerprints.items()}
    cache.set_many(new_stamps, config.stamp_timeout)
    after = cache.get_many(keys)
    # Another process replacing a stamp at the same time is as good as this one doing it.
    lost = [key for key in keys if after.get(key) is None or after.get(key) == before.get(key)]
    if lost:
        raise InvalidationFailed(f"{len(lost)} of {len(keys)} cached-authentication stamps could not be replaced")
