"""Everything the cached authentication keeps in the shared cache: keys, entries' parts, user stamps.

Keys are keyed digests (HMAC-SHA256 with a key derived from SECRET_KEY), so neither
the credentials nor anything that can be checked against a guessed password appear in
a key; a stored password hash is represented only by a keyed fingerprint, never itself.

A user's stamp is a random token in the shared cache, replaced whenever the user row is
saved or deleted: an entry remembers the stamp it was made under and is served only
while that stamp is current, so a change made by any process sharing the cache takes
effect on the next request in every process.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import BaseCache, caches
from django.db import transaction
from django.db.models.signals import post_delete, post_save

DEFAULT_TTL_SECONDS = 300  # Our choice: a stolen-cache or stale-profile window of five minutes at most.
KEY_PREFIX = "cached_auth"

# A different key derived from SECRET_KEY for each use of it.
_CREDENTIALS_SALT = "cached_auth.stamps.credentials"
_FINGERPRINT_SALT = "cached_auth.stamps.password-fingerprint"


def auth_cache() -> BaseCache:
    """The cache named by settings.AUTH_CACHE_ALIAS (default: "default")."""
    return caches[getattr(settings, "AUTH_CACHE_ALIAS", "default")]


def ttl_seconds() -> int:
    """settings.AUTH_CACHE_TTL: how long a successful authentication is served from the cache."""
    return int(getattr(settings, "AUTH_CACHE_TTL", DEFAULT_TTL_SECONDS))


def now() -> float:
    """The clock entries' expiry is checked against (a function, so tests can move it)."""
    return time.time()


def keyed_digest(salt: str, value: str) -> str:
    """HMAC-SHA256 of `value`, as django.utils.crypto.salted_hmac(salt, value, algorithm="sha256").

    The same digest, with the derived key remembered instead of re-derived on every
    request: a hit is tens of microseconds, and this was a tenth of it.
    """
    return hmac.digest(_derived_key(salt, settings.SECRET_KEY), value.encode(), "sha256").hex()


@functools.lru_cache(maxsize=16)
def _derived_key(salt: str, secret: str) -> bytes:
    return hashlib.sha256((salt + secret).encode()).digest()  # salted_hmac's derivation


def entry_key(kind: str, userid: str, password: str) -> str:
    """The cache key of one (userid, password) pair: a keyed digest, not the credentials."""
    # The length prefix keeps ("a:b", "c") and ("a", "b:c") apart.
    return f"{KEY_PREFIX}:entry:{kind}:{keyed_digest(_CREDENTIALS_SALT, f'{len(userid)}:{userid}:{password}')}"


def password_fingerprint(user) -> str:
    """A keyed digest of the user's name and stored password hash: changes when either does."""
    return keyed_digest(_FINGERPRINT_SALT, f"{user.get_username()}\x00{user.password}")


def stamp_key(user_pk) -> str:
    return f"{KEY_PREFIX}:stamp:{user_pk}"


def current_stamp(cache: BaseCache, user_pk) -> str:
    """The user's stamp, made if there is none; read before verifying a password, so a later
    change replaces it and the entry made under it is never served."""
    key = stamp_key(user_pk)
    # add() is atomic: when two processes race, both read back the same winner.
    cache.add(key, secrets.token_hex(16), timeout=ttl_seconds())
    stamp = cache.get(key)
    # An entry must not outlive its stamp; a stamp that vanished meanwhile only costs a miss.
    cache.touch(key, timeout=ttl_seconds())
    return stamp


def replace_stamp(user_pk) -> None:
    """Invalidate every cached authentication of a user, in every process sharing the cache."""
    # A fresh random token, not a counter: a stamp evicted and made again can never
    # equal the one a stale entry remembers.
    auth_cache().set(stamp_key(user_pk), secrets.token_hex(16), timeout=ttl_seconds())


def _user_changed(sender, instance, using=None, **kwargs) -> None:
    # Now, for processes reading outside this transaction; and again after commit, because
    # between now and the commit another request can still verify the old password and
    # cache it under the stamp made now. Outside a transaction on_commit runs at once.
    user_pk = instance.pk  # now: delete() sets instance.pk to None before the commit
    replace_stamp(user_pk)
    transaction.on_commit(lambda: replace_stamp(user_pk), using=using)


def connect_signals() -> None:
    """Replace a user's stamp whenever the user row is saved or deleted through the ORM.

    Queryset .update(), raw SQL and other programs writing the table send no signal:
    the revalidating variant, which reads the row on every hit, covers those.
    """
    user_model = get_user_model()
    post_save.connect(_user_changed, sender=user_model, dispatch_uid="cached_auth.stamps.saved")
    post_delete.connect(_user_changed, sender=user_model, dispatch_uid="cached_auth.stamps.deleted")
