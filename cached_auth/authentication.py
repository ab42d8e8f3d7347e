"""BasicAuthentication that runs the password hasher once per TTL instead of once per request.

Two variants, so the cost of each safety choice can be measured:

- CachedBasicAuthentication trusts the cached user: a hit is one cache call (the entry and
  the username's stamp, read together: one round trip to Redis or memcached) and no
  database query. A user saved or deleted through the ORM in any process sharing the
  cache replaces the stamp, so the next request misses (cached_auth.invalidation); a
  miss caches only the user row the database has committed (cached_auth.committed).
- RevalidatingCachedBasicAuthentication reads the user row on every hit and serves the
  entry only if the user is still active and the fingerprint of the stored password hash
  and username still match: one cache call and one query per hit, and it also sees
  changes that send no signal (QuerySet.update(), raw SQL, another program).

Both parse the header exactly as DRF's BasicAuthentication (a malformed one is a 401 before
the cache is consulted), cache only successes, and run DRF's own authenticate_credentials()
on a miss, so every Django authentication backend and DRF check still applies there. If
the cache fails, both authenticate as DRF does, without it, and store nothing.
"""

from __future__ import annotations

import binascii
import logging
from typing import TYPE_CHECKING, Any, overload

from django.core.cache import BaseCache
from django.db import router
from django.db.models.base import ModelState
from django.db.models.signals import post_init
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _
from rest_framework import HTTP_HEADER_ENCODING, exceptions
from rest_framework.authentication import BasicAuthentication
from rest_framework.request import Request

from cached_auth import stamps
from cached_auth.committed import committed_fingerprint
from cached_auth.config import Config, current_with_cache
from cached_auth.invalidation import TRUSTED_VALUES

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

logger = logging.getLogger("cached_auth")

# What a request authenticated as: DRF's (user, auth) pair; Basic has no auth token.
Authenticated = tuple["AbstractBaseUser", None]


class _ReadDatabase:
    """A trusted hit's user's database, as Model.from_db() sets it, looked up when first used (rarely)."""

    @overload
    def __get__(self, state: None, owner: type | None = None) -> _ReadDatabase: ...
    @overload
    def __get__(self, state: TrustedUserState, owner: type | None = None) -> str | None: ...
    def __get__(self, state: TrustedUserState | None, owner: type | None = None) -> _ReadDatabase | str | None:
        if state is None:
            return self
        state.db = router.db_for_read(state.model)  # an instance attribute from now on, as Django sets it
        return state.db


class TrustedUserState(ModelState):
    """The ModelState of a trusted hit's user: loaded from a database, which is named when asked for."""

    adding = False
    db = _ReadDatabase()
    model: type[AbstractBaseUser]


class CachedBasicAuthentication(BasicAuthentication):
    """HTTP Basic authentication whose successes are cached; a hit is trusted until the username's stamp changes."""

    entry_kind = "trusting"

    def authenticate(self, request: Request) -> Authenticated | None:
        """DRF's BasicAuthentication.authenticate(), word for word, but for where it reads the header and NUL.

        DRF reads request.headers, which first builds a dictionary of every header: four
        fifths of what parsing the header costs, and a tenth of a hit. binascii.a2b_base64()
        is what base64.b64decode() calls for bytes.

        Credentials holding a NUL character are refused before the cache or the database is
        asked, with the answer DRF gives credentials nobody holds: RFC 7617 (section 2)
        forbids control characters in both the user-id and the password, and PostgreSQL
        cannot even be asked about such a username (psycopg raises DataError on a NUL in
        text, which DRF lets through as a 500).
        """
        auth = authorization_header(request).split()

        if not auth or auth[0].lower() != b"basic":
            return None

        if len(auth) == 1:
            msg = _("Invalid basic header. No credentials provided.")
            raise exceptions.AuthenticationFailed(msg)
        elif len(auth) > 2:
            msg = _("Invalid basic header. Credentials string should not contain spaces.")
            raise exceptions.AuthenticationFailed(msg)

        try:
            try:
                auth_decoded = binascii.a2b_base64(auth[1]).decode("utf-8")
            except UnicodeDecodeError:
                auth_decoded = binascii.a2b_base64(auth[1]).decode("latin-1")

            userid, password = auth_decoded.split(":", 1)
        except (TypeError, ValueError, UnicodeDecodeError, binascii.Error):
            msg = _("Invalid basic header. Credentials not correctly base64 encoded.")
            raise exceptions.AuthenticationFailed(msg) from None

        if "\x00" in auth_decoded:
            raise exceptions.AuthenticationFailed(_("Invalid username/password."))

        return self.authenticate_credentials(userid, password, request)

    def authenticate_credentials(self, userid: str, password: str, request: Request | None = None) -> Authenticated:
        config, cache, read = current_with_cache()
        if not config.ttl:
            return super().authenticate_credentials(userid, password, request)
        keys = self.keys(config, userid, password)
        try:
            found = read(keys)
        except Exception as error:  # whatever the backend raises: authenticate without it
            return self.authenticate_uncached(config, error, userid, password, request)
        user = self.user_from_entry(config, keys, found)
        if user is not None:
            return (user, None)
        user, auth = super().authenticate_credentials(userid, password, request)  # raises unless success
        try:
            self.remember(config, cache, keys, found, userid, user)
        except Exception as error:  # the user is authenticated; only the entry is lost
            logger.warning("cached_auth: could not cache an authentication (cache %r): %r", config.alias, error)
        return (user, auth)

    def keys(self, config: Config, userid: str, password: str) -> tuple[str, ...]:
        """The keys a request reads at once: its entry's, then its username's stamp's."""
        return stamps.request_keys(config, self.entry_kind, userid, password)

    def authenticate_uncached(
        self, config: Config, error: Exception, userid: str, password: str, request: Request | None
    ) -> Authenticated:
        logger.warning("cached_auth: cache %r failed, authenticating without it: %r", config.alias, error)
        return BasicAuthentication.authenticate_credentials(self, userid, password, request)

    def user_from_entry(self, config: Config, keys: tuple[str, ...], found: list[Any]) -> AbstractBaseUser | None:
        """The cached user if the entry is live and its stamp is the username's current one, else None (a miss)."""
        entry, current_stamp = found
        if entry is None:
            return None
        pk, stamp, expires, values = entry
        # A missing stamp (evicted, or a cache that drops writes) is a miss, never a match.
        if stamp != current_stamp or expires <= stamps.now():
            return None
        model = config.user_model
        # What Model.from_db() makes of these fields, at a fifth of its cost: the cached fields
        # loaded, every other one deferred (read from the database if touched), then post_init.
        user = model.__new__(model)
        state = TrustedUserState()
        state.model = model
        fields = user.__dict__
        fields["_state"] = state
        fields[config.pk_attname] = pk
        fields.update(zip(config.cached_fields, values, strict=True))
        fields[TRUSTED_VALUES] = values
        if post_init.receivers:  # Signal.send()'s own first test, without the call
            post_init.send(sender=model, instance=user)
        return user

    def remember(
        self,
        config: Config,
        cache: BaseCache,
        keys: tuple[str, ...],
        found: list[Any],
        userid: str,
        user: AbstractBaseUser,
    ) -> None:
        """Store an entry for a verified user, under the username's stamp, if the row verified is the committed one."""
        # Cache only the user this username names (as stored: MySQL's case-insensitive collations
        # would also let "ALICE" in as "alice", whose stamp is a different key), so that the
        # username's stamp is the one replaced when that user changes.
        if user.get_username() != userid:
            return
        entry_key, stamp_key = keys
        fingerprint = stamps.user_fingerprint(config, user)
        stamp = found[1]
        if stamp is None:
            # No stamp was there before the row was read (never made, evicted, expired), so
            # nothing tells whether a change was committed since the request's snapshot: the
            # database does. add() only succeeds if no stamp was written since: a change
            # started meanwhile makes this request cache nothing.
            if committed_fingerprint(config, user) != fingerprint:
                return
            stamp = stamps.new_stamp(fingerprint)
            if not cache.add(stamp_key, stamp, config.stamp_timeout):
                return
        elif self.may_cache_under(config, stamp, fingerprint, user):
            cache.touch(stamp_key, config.stamp_timeout)
        else:
            return
        values = tuple(getattr(user, name) for name in config.cached_fields)
        self.store(config, cache, entry_key, (user.pk, stamp, stamps.now() + config.ttl, values))

    @staticmethod
    def may_cache_under(config: Config, stamp: str, fingerprint: str, user: AbstractBaseUser) -> bool:
        """Whether the row verified (its state's `fingerprint`) may be cached under the username's `stamp`.

        A committed stamp made for this very state vouches for the row. Otherwise the row must
        be the one the database has committed now (it may come from a snapshot older than a
        change); and a pending stamp made for another state means a write that may still
        commit: nothing is cached until AUTH_CACHE_COMMIT_TIMEOUT has passed since it was
        made, after which the write is taken as rolled back (if it commits later, its
        commit replaces the stamp again).
        """
        made_for, pending_since = stamps.stamp_state(stamp)
        if pending_since is None:
            return made_for == fingerprint or committed_fingerprint(config, user) == fingerprint
        if made_for != fingerprint and stamps.now() < pending_since + config.commit_timeout:
            return False
        return committed_fingerprint(config, user) == fingerprint

    @staticmethod
    def store(config: Config, cache: BaseCache, key: str, entry: tuple[Any, ...]) -> None:
        # The expiry is kept in the entry as well as given to the backend, so that it holds
        # on every backend and can be tested by moving stamps.now instead of sleeping.
        cache.set(key, entry, timeout=config.ttl)


def authorization_header(request: Request | HttpRequest) -> bytes:
    """The Authorization header as bytes, as rest_framework.authentication.get_authorization_header reads it."""
    auth: str | bytes = getattr(request, "_request", request).META.get("HTTP_AUTHORIZATION", b"")
    if isinstance(auth, str):
        auth = auth.encode(HTTP_HEADER_ENCODING)
    return auth


class RevalidatingCachedBasicAuthentication(CachedBasicAuthentication):
    """HTTP Basic authentication whose successes are cached; each hit re-reads the user row."""

    entry_kind = "revalidating"

    def keys(self, config: Config, userid: str, password: str) -> tuple[str, ...]:
        return (stamps.entry_key(config, self.entry_kind, userid, password),)

    def user_from_entry(self, config: Config, keys: tuple[str, ...], found: list[Any]) -> AbstractBaseUser | None:
        entry = found[0]
        if entry is None:
            return None
        pk, fingerprint, expires = entry
        if expires <= stamps.now():
            return None
        model = config.user_model
        try:
            user = model._default_manager.get(pk=pk)  # as ModelBackend.get_user (sessions)
        except model.DoesNotExist:
            return None
        if not user.is_active:
            return None
        if not constant_time_compare(stamps.password_fingerprint(config, user), fingerprint):
            return None
        return user

    def remember(
        self,
        config: Config,
        cache: BaseCache,
        keys: tuple[str, ...],
        found: list[Any],
        userid: str,
        user: AbstractBaseUser,
    ) -> None:
        # The fingerprint is of the hash just verified: if the row changes later, it no longer matches.
        entry = (user.pk, stamps.password_fingerprint(config, user), stamps.now() + config.ttl)
        self.store(config, cache, keys[0], entry)
