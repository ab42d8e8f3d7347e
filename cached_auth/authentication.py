"""BasicAuthentication that runs the password hasher once per TTL instead of once per request.

Two variants, so the cost of each safety choice can be measured:

- CachedBasicAuthentication trusts the cached user: a hit is two cache reads (the entry,
  the user's stamp) and no database query. A user saved or deleted through the ORM in any
  process sharing the cache replaces the stamp, so the next request misses.
- RevalidatingCachedBasicAuthentication reads the user row on every hit and serves the
  entry only if the user is still active and the fingerprint of the stored password hash
  and username still match: one query per hit, and it also sees changes that send no
  signal (queryset .update(), raw SQL, another program).

Both parse the header exactly as DRF's BasicAuthentication (a malformed one is a 401 before
the cache is consulted), cache only successes, and run DRF's own authenticate_credentials()
on a miss, so every Django authentication backend and DRF check still applies.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import router
from django.utils.crypto import constant_time_compare
from rest_framework.authentication import BasicAuthentication

from cached_auth import stamps

# The user fields a trusted hit carries, when the user model has them. Everything else
# (the password first of all, and any secret a custom user model adds) is a deferred field:
# loaded from the database only if touched, and left alone by save(). The dates are left
# out too: unpickling an aware datetime was a tenth of a hit's cost.
CACHED_USER_FIELDS = ("username", "email", "first_name", "last_name", "is_active", "is_staff", "is_superuser")


class CachedBasicAuthentication(BasicAuthentication):
    """HTTP Basic authentication whose successes are cached; a hit is trusted until the user's stamp changes."""

    entry_kind = "trusting"

    def authenticate_credentials(self, userid, password, request=None):
        cache = stamps.auth_cache()
        key = stamps.entry_key(self.entry_kind, userid, password)
        entry = cache.get(key)
        if entry is not None and entry["expires"] > stamps.now():
            user = self.user_from_entry(cache, entry)
            if user is not None:
                return (user, None)
        return self.authenticate_and_cache(cache, key, userid, password, request)

    def authenticate_and_cache(self, cache, key, userid, password, request):
        """A miss: DRF's full authentication (the hasher), and on success a new entry."""
        user_model = get_user_model()
        found = user_model._default_manager.filter(**{user_model.USERNAME_FIELD: userid}).values_list("pk", flat=True)
        candidate_pk = next(iter(found), None)
        # Read before the password is verified: a change after this point replaces it.
        stamp = None if candidate_pk is None else stamps.current_stamp(cache, candidate_pk)
        user, auth = super().authenticate_credentials(userid, password, request)  # raises unless success
        # A backend may map the name to another user than the one stamped: then do not cache.
        if (ttl := stamps.ttl_seconds()) and user.pk == candidate_pk:
            entry = {"user": user.pk, "stamp": stamp, "fields": _cached_fields(user)}
            self.store(cache, key, entry, ttl)
        return (user, auth)

    def user_from_entry(self, cache, entry):
        """The cached user if its stamp is still current, else None (a miss)."""
        if cache.get(stamps.stamp_key(entry["user"])) != entry["stamp"]:
            return None
        user_model = get_user_model()
        fields = {user_model._meta.pk.attname: entry["user"], **entry["fields"]}
        names = [field.attname for field in user_model._meta.concrete_fields if field.attname in fields]
        return user_model.from_db(router.db_for_read(user_model), names, [fields[name] for name in names])

    @staticmethod
    def store(cache, key, entry, ttl) -> None:
        # The expiry is kept in the entry as well as given to the backend, so that it holds
        # on every backend and can be tested by moving stamps.now instead of sleeping.
        cache.set(key, {**entry, "expires": stamps.now() + ttl}, timeout=ttl)


class RevalidatingCachedBasicAuthentication(CachedBasicAuthentication):
    """HTTP Basic authentication whose successes are cached; each hit re-reads the user row."""

    entry_kind = "revalidating"

    def authenticate_and_cache(self, cache, key, userid, password, request):
        user, auth = BasicAuthentication.authenticate_credentials(self, userid, password, request)
        if ttl := stamps.ttl_seconds():
            # The fingerprint is of the hash just verified: if the row changes later, it no longer matches.
            self.store(cache, key, {"user": user.pk, "fingerprint": stamps.password_fingerprint(user)}, ttl)
        return (user, auth)

    def user_from_entry(self, cache, entry):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.get(pk=entry["user"])  # as ModelBackend.get_user (sessions)
        except user_model.DoesNotExist:
            return None
        if not user.is_active:
            return None
        if not constant_time_compare(stamps.password_fingerprint(user), entry["fingerprint"]):
            return None
        return user


def _cached_fields(user) -> dict:
    model_fields = {field.attname for field in user._meta.concrete_fields}
    return {name: getattr(user, name) for name in CACHED_USER_FIELDS if name in model_fields}
