"""The authentication schemes the suite measures: in-process on the scheme table, and served under real servers.

A scheme measured in-process names its preparer in benchlib.scheme_requests, which builds
its view and requests outside any timer; a served scheme is a URL of benchsite.urls_served.
This module is data only and imports nothing that needs Django configured, so that the e2e
tool, which never configures Django, reads the same registry as the benchmarks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth.hashers import PBKDF2PasswordHasher

if TYPE_CHECKING:
    from pytest_django.fixtures import Settings

    from benchlib.scheme_requests import Prepared
    from benchlib.users import User

PBKDF2 = f"PBKDF2-SHA256, {PBKDF2PasswordHasher.iterations:,} iterations (slow)"
# Django signs what it stores of a session in the database or a cookie (not in the cache), and
# checks the session's HMAC of the user's password hash (the session auth hash) on every request.
SESSION_HASH = "HMAC-SHA256 (session auth hash)"
SIGNED_SESSION_HASHES = "HMAC-SHA256 x2 (session data signature, session auth hash)"

# Apps that keep a scheme's models.
SESSIONS = "django.contrib.sessions"
AUTHTOKEN = "rest_framework.authtoken"
API_KEY = "rest_framework_api_key"
OAUTH2 = "oauth2_provider"
CACHED_AUTH = "cached_auth"  # no models, but it replaces a user's stamps when the user is saved

BASIC = "rest_framework.authentication.BasicAuthentication"
CACHED_BASIC = "cached_auth.authentication.CachedBasicAuthentication"
REVALIDATING_BASIC = "cached_auth.authentication.RevalidatingCachedBasicAuthentication"
JWT = "rest_framework_simplejwt.authentication.JWTAuthentication"
STATELESS_JWT = "rest_framework_simplejwt.authentication.JWTStatelessUserAuthentication"


@dataclass(frozen=True)
class Scheme:
    """A row of the scheme table: a name, what one request hashes, and how its view and requests are made."""

    name: str
    hashes: str  # the secret hashed or signature checked per request, read from the package's source
    preparer: str  # a function of benchlib.scheme_requests: preparer(user, password, settings, *options)
    options: tuple[Any, ...] = ()
    app: str | None = None  # the app, as in INSTALLED_APPS, that keeps the scheme's models

    def prepare(self, user: User, password: str, settings: Settings) -> Prepared:
        """The scheme's view and fresh requests for `user`, made outside any timer."""
        from benchlib import scheme_requests

        preparer: Callable[..., Prepared] = getattr(scheme_requests, self.preparer)
        return preparer(user, password, settings, *self.options)


# The table, in no particular order (it is printed sorted by cost).
SCHEMES: tuple[Scheme, ...] = (
    Scheme("no authentication", "no", "no_authentication"),
    Scheme("session (db)", SIGNED_SESSION_HASHES, "session", ("db",), SESSIONS),
    Scheme("session (cache)", SESSION_HASH, "session", ("cache",)),
    Scheme("session (signed_cookies)", SIGNED_SESSION_HASHES, "session", ("signed_cookies",)),
    Scheme("session (db), POST + CSRF", SIGNED_SESSION_HASHES, "session", ("db", "post"), SESSIONS),
    Scheme("TokenAuthentication", "no (key looked up as stored)", "token", app=AUTHTOKEN),
    Scheme("API key (SHA-512)", "SHA-512 of the key", "api_key", app=API_KEY),
    Scheme("API key (PBKDF2, first use)", PBKDF2 + ", then SHA-512 and saved", "old_api_key_on_first_use", app=API_KEY),
    Scheme("API key (PBKDF2, upgraded)", "SHA-512 of the key", "old_api_key_upgraded", app=API_KEY),
    Scheme("OAuth2 bearer (django-oauth-toolkit)", "SHA-256 of the token (lookup checksum)", "oauth2", app=OAUTH2),
    Scheme("JWTAuthentication", "HMAC-SHA256 (signature check)", "json_web_token", (JWT,)),
    Scheme("JWTStatelessUserAuthentication", "HMAC-SHA256 (signature check)", "json_web_token", (STATELESS_JWT,)),
    Scheme("BasicAuthentication", PBKDF2, "basic", (BASIC,)),
    # The cached variants, timed on a cache hit: the first request was made in setup.
    Scheme(
        "BasicAuthentication, cached",
        "keyed BLAKE2b of the credentials (the cache keys)",
        "basic",
        (CACHED_BASIC, True),
        CACHED_AUTH,
    ),
    Scheme(
        "BasicAuthentication, cached + revalidated",
        "keyed BLAKE2b of the credentials (the cache key) and of the stored hash",
        "basic",
        (REVALIDATING_BASIC, True),
        CACHED_AUTH,
    ),
)

BASELINE = SCHEMES[0]
# Every scheme but the baseline refuses a bad credential; the upgraded PBKDF2 API key refuses
# one exactly as a current key does (one SHA-512), so it is measured once.
REFUSING = tuple(scheme for scheme in SCHEMES if scheme is not BASELINE and scheme.name != "API key (PBKDF2, upgraded)")


@dataclass(frozen=True)
class ServedScheme:
    """A scheme the served benchsite answers at `/e2e/<name>/` (benchsite.urls_served), for `benchtools e2e`."""

    name: str
    description: str
    bad_status: int | None  # the status of a request with a wrong credential; None: nothing to get wrong
    asgi_only: bool = False  # an async view: measured under the ASGI server only

    @property
    def path(self) -> str:
        return f"/e2e/{self.name}/"


SERVED_SCHEMES: dict[str, ServedScheme] = {
    scheme.name: scheme
    for scheme in (
        ServedScheme("none", "DRF view, no authentication", None),
        ServedScheme("basic", "DRF BasicAuthentication: the password hasher on every request", 401),
        ServedScheme("cached-basic", "cached_auth CachedBasicAuthentication on a Redis the workers share", 401),
        ServedScheme(
            "revalidating-basic",
            "cached_auth RevalidatingCachedBasicAuthentication on the same Redis: a hit reads the user row",
            401,
        ),
        ServedScheme("token", "DRF TokenAuthentication", 401),
        ServedScheme("jwt", "simplejwt JWTAuthentication", 401),
        ServedScheme("session", "DRF SessionAuthentication (database sessions)", 403),
        ServedScheme("async-basic", "Django async view, await aauthenticate()", 401, asgi_only=True),
        ServedScheme(
            "async-basic-thread", "Django async view, await sync_to_async(authenticate)()", 401, asgi_only=True
        ),
    )
}
GOOD_STATUS = 200
