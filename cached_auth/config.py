"""cached_auth's settings, checked and read once per process (again when a test changes them).

AUTH_CACHE_ALIAS names the cache (default "default"); AUTH_CACHE_TTL is how many seconds a
successful authentication is served from it (default 300; 0 caches nothing);
AUTH_CACHE_COMMIT_TIMEOUT is how many seconds a write of a user is given to commit before the
stamps it replaced stop keeping that user's state out of the cache (default 3). A request
reads them from the snapshot `current()` returns: looking a missing setting up on
django.conf.settings, or a cache up in django.core.cache.caches, costs more than a hit's
own work.
"""

from __future__ import annotations

import dataclasses
import hashlib
import threading
from typing import TYPE_CHECKING, Any, NamedTuple

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed

from cached_auth.readers import Reader, reader_for

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

KEY_PREFIX = "cached_auth"  # every key cached_auth writes starts with it
ENTRY_KINDS = ("trusting", "revalidating")
DEFAULT_ALIAS = "default"
DEFAULT_TTL_SECONDS = 300  # Our choice: a stolen-cache or stale-profile window of five minutes at most.
# Our choice: longer than a transaction that saves a user normally stays open, and short enough
# that a write which did not commit costs its user the hasher on each request for seconds, not minutes.
DEFAULT_COMMIT_TIMEOUT_SECONDS = 3

# The user fields a trusted hit carries, when the user model has them (the USERNAME_FIELD
# always). Everything else (the password first of all, and any secret a custom user model
# adds) is a deferred field: loaded from the database only if touched. The dates are left
# out: unpickling an aware datetime costs a tenth of a hit.
CACHED_USER_FIELDS = ("username", "email", "first_name", "last_name", "is_active", "is_staff", "is_superuser")

# The settings a snapshot is made of: when a test changes one, the next request makes a new one.
_READ_SETTINGS = frozenset(
    {"AUTH_CACHE_ALIAS", "AUTH_CACHE_TTL", "AUTH_CACHE_COMMIT_TIMEOUT", "AUTH_USER_MODEL", "CACHES", "SECRET_KEY"}
)

# One key derived from SECRET_KEY for each use of it.
_SALTS = {
    "credentials": "cached_auth.credentials",
    "state": "cached_auth.user-state",
    "password": "cached_auth.password-fingerprint",
}


@dataclasses.dataclass(frozen=True)
class Config:
    alias: str
    ttl: int
    commit_timeout: int  # seconds a write's stamps made before its commit keep its user's old state uncached
    user_model: type[AbstractBaseUser]
    pk_attname: str
    username_attname: str
    cached_fields: tuple[str, ...]  # attnames a trusted hit carries, the USERNAME_FIELD first
    keys: dict[str, bytes]  # a derived key per use of SECRET_KEY (see _SALTS)
    key_hash: hashlib.blake2b  # a BLAKE2b state keyed with keys["credentials"], its key block already hashed
    # Per kind of entry, what its keys start with, the entries' format among it: processes that would
    # store entries differently never share one.
    entry_prefixes: dict[str, str]

    @property
    def stamp_timeout(self) -> int:
        """Stamps outlive the entries made under them: an entry whose stamp expired is only a miss."""
        return 2 * self.ttl


def ttl_seconds() -> int:
    """settings.AUTH_CACHE_TTL, checked: a whole number of seconds, 0 or more."""
    ttl = getattr(settings, "AUTH_CACHE_TTL", DEFAULT_TTL_SECONDS)
    if ttl is None:
        raise ImproperlyConfigured(
            "AUTH_CACHE_TTL=None would keep cached authentications forever: a revocation that sends no "
            "signal (QuerySet.update(), raw SQL) would never take effect. Set a number of seconds."
        )
    if isinstance(ttl, bool) or not isinstance(ttl, int) or ttl < 0:
        raise ImproperlyConfigured(f"AUTH_CACHE_TTL must be a whole number of seconds, 0 or more; got {ttl!r}.")
    return ttl


def commit_timeout_seconds() -> int:
    """settings.AUTH_CACHE_COMMIT_TIMEOUT, checked: a whole number of seconds, 1 or more."""
    timeout = getattr(settings, "AUTH_CACHE_COMMIT_TIMEOUT", DEFAULT_COMMIT_TIMEOUT_SECONDS)
    if isinstance(timeout, bool) or not isinstance(timeout, int) or timeout < 1:
        raise ImproperlyConfigured(
            f"AUTH_CACHE_COMMIT_TIMEOUT must be a whole number of seconds, 1 or more; got {timeout!r}."
        )
    return timeout


def cache_alias() -> str:
    """settings.AUTH_CACHE_ALIAS, checked: a cache that settings.CACHES defines."""
    alias = getattr(settings, "AUTH_CACHE_ALIAS", DEFAULT_ALIAS)
    if alias not in settings.CACHES:
        raise ImproperlyConfigured(f"AUTH_CACHE_ALIAS={alias!r} is not a cache in settings.CACHES.")
    return alias


def _load() -> Config:
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    opts = user_model._meta
    attnames = {field.attname for field in opts.concrete_fields}
    username = next(field.attname for field in opts.concrete_fields if field.name == user_model.USERNAME_FIELD)
    cached = (username, *(name for name in CACHED_USER_FIELDS if name in attnames and name != username))
    secret = settings.SECRET_KEY
    # As django.utils.crypto.salted_hmac derives its key.
    keys = {use: hashlib.sha256((salt + secret).encode()).digest() for use, salt in _SALTS.items()}
    key_hash = hashlib.blake2b(key=keys["credentials"], digest_size=16)
    key_hash.update(b"cached_auth")  # hashes the key block, so each request's copy starts past it
    # Entries are tuples (cached_auth.authentication): version 2, and the fields a trusted one carries.
    entry_format = hashlib.blake2b(repr((2, cached)).encode(), digest_size=4).hexdigest()
    entry_prefixes = {kind: f"{KEY_PREFIX}:{kind[0]}{entry_format}:" for kind in ENTRY_KINDS}
    return Config(
        alias=cache_alias(),
        ttl=ttl_seconds(),
        commit_timeout=commit_timeout_seconds(),
        user_model=user_model,
        pk_attname=opts.pk.attname,
        username_attname=username,
        cached_fields=cached,
        entry_prefixes=entry_prefixes,
        keys=keys,
        key_hash=key_hash,
    )


class ThreadCache(NamedTuple):
    """What a request of this thread reads the cache with, for the settings `config`."""

    config: Config
    cache: BaseCache  # the cache named by AUTH_CACHE_ALIAS, as django.core.cache.caches gives it to this thread
    read: Reader  # how a request reads its keys from it (cached_auth.readers)


_current: Config | None = None
_per_thread = threading.local()


def current() -> Config:
    """The settings as cached_auth uses them; ImproperlyConfigured, naming the setting, if one is wrong."""
    global _current
    if _current is None:
        _current = _load()
    return _current


def current_with_cache() -> ThreadCache:
    """current(), with the cache named by AUTH_CACHE_ALIAS and its reader, made once per thread and settings."""
    config = _current or current()
    made: ThreadCache | None = getattr(_per_thread, "made", None)
    if made is None or made.config is not config:
        cache = caches[config.alias]
        made = _per_thread.made = ThreadCache(config, cache, reader_for(cache))
    return made


def auth_cache(config: Config) -> BaseCache:
    """The cache named by AUTH_CACHE_ALIAS, as django.core.cache.caches gives it to this thread."""
    return caches[config.alias]


def _forget(setting: str, **kwargs: Any) -> None:
    global _current
    if setting in _READ_SETTINGS:
        _current = None


setting_changed.connect(_forget, dispatch_uid="cached_auth.config.forget")
