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
MD5 = "MD5 of the password (salted; Django's MD5PasswordHasher)"
KNOX_HASH = "SHA-512 of the token"
# Django signs what it stores of a session in the database or a cookie (not in the cache), and
# checks the session's HMAC of the user's password hash (the session auth hash) on every request.
SESSION_HASH = "HMAC-SHA256 (session auth hash)"
SIGNED_SESSION_HASHES = "HMAC-SHA256 x2 (session data signature, session auth hash)"

# Apps that keep a scheme's models.
SESSIONS = "django.contrib.sessions"
AUTHTOKEN = "rest_framework.authtoken"
API_KEY = "rest_framework_api_key"
OAUTH2 = "oauth2_provider"
KNOX = "knox"
AXES = "axes"
CACHED_AUTH = "cached_auth"  # no models, but it replaces a user's stamps when the user is saved

BASIC = "rest_framework.authentication.BasicAuthentication"
CACHED_BASIC = "cached_auth.authentication.CachedBasicAuthentication"
REVALIDATING_BASIC = "cached_auth.authentication.RevalidatingCachedBasicAuthentication"
JWT = "rest_framework_simplejwt.authentication.JWTAuthentication"
STATELESS_JWT = "rest_framework_simplejwt.authentication.JWTStatelessUserAuthentication"


@dataclass(frozen=True)
class Data:
    """What a scheme reads that grows as an API is used, and the sizes of it the growth benchmarks make.

    A size counts the rows when a request is made, the measured user's own among them (its
    credential is issued by the scheme's preparer): 100 users are the user and 99 others.
    """

    name: str  # what a size counts, as the "grows with" column says it: "users", "tokens per user"
    maker: str  # a function of benchlib.growth_data: maker(user, size) makes the other rows, with bulk inserts
    sizes: tuple[int, ...]  # the growth benchmarks' sizes
    large_sizes: tuple[int, ...] = ()  # added by pytest --growth-sizes=large
    app: str | None = None  # the app that keeps its rows


ROWS = (100, 1_000, 10_000)
LARGE_ROWS = (100_000, 1_000_000)
USERS = Data("users", "users", ROWS, LARGE_ROWS)
SESSION_ROWS = Data("sessions", "sessions", ROWS, LARGE_ROWS, SESSIONS)
DRF_TOKENS = Data("DRF tokens", "drf_tokens", ROWS, LARGE_ROWS, AUTHTOKEN)
API_KEYS = Data("API keys", "api_keys", ROWS, LARGE_ROWS, API_KEY)
OAUTH2_TOKENS = Data("OAuth2 access tokens", "oauth2_tokens", ROWS, LARGE_ROWS, OAUTH2)
# knox loads every token of the user on every request: what grows is one user's tokens (one per login).
KNOX_TOKENS = Data("tokens per user", "knox_tokens", (1, 10, 100, 1_000), (10_000,), KNOX)
FAILED_ATTEMPTS = Data("failed attempts on record", "failed_attempts", ROWS, LARGE_ROWS, AXES)
DATA = (USERS, SESSION_ROWS, DRF_TOKENS, API_KEYS, OAUTH2_TOKENS, KNOX_TOKENS, FAILED_ATTEMPTS)


@dataclass(frozen=True)
class Scheme:
    """A row of the scheme table: a name, what one request hashes, and how its view and requests are made."""

    name: str
    hashes: str  # the secret hashed or signature checked per request, read from the package's source
    preparer: str  # a function of benchlib.scheme_requests: preparer(user, password, settings, *options)
    options: tuple[Any, ...] = ()
    app: str | None = None  # the app, as in INSTALLED_APPS, that keeps the scheme's models
    # What it reads that grows: the users, unless it reads another table; None: not in the database.
    grows_with: Data | None = USERS

    def prepare(self, user: User, password: str, settings: Settings) -> Prepared:
        """The scheme's view and fresh requests for `user`, made outside any timer."""
        from benchlib import scheme_requests

        preparer: Callable[..., Prepared] = getattr(scheme_requests, self.preparer)
        return preparer(user, password, settings, *self.options)


# The table, in no particular order (it is printed sorted by cost).
SCHEMES: tuple[Scheme, ...] = (
    Scheme("no authentication", "no", "no_authentication"),
    Scheme("session (db)", SIGNED_SESSION_HASHES, "session", ("db",), SESSIONS, SESSION_ROWS),
    Scheme("session (cache)", SESSION_HASH, "session", ("cache",)),
    Scheme("session (signed_cookies)", SIGNED_SESSION_HASHES, "session", ("signed_cookies",)),
    Scheme("session (db), POST + CSRF", SIGNED_SESSION_HASHES, "session", ("db", "post"), SESSIONS, SESSION_ROWS),
    Scheme("TokenAuthentication", "no (key looked up as stored)", "token", app=AUTHTOKEN, grows_with=DRF_TOKENS),
    # DRF's throttle reads and writes the user's requests of the window in the cache: it grows with
    # them, which a series of its own measures (benchmarks/test_growth.py).
    Scheme(
        "TokenAuthentication, UserRateThrottle",
        "no (key looked up as stored)",
        "token_throttled",
        app=AUTHTOKEN,
        grows_with=None,
    ),
    Scheme("API key (SHA-512)", "SHA-512 of the key", "api_key", app=API_KEY, grows_with=API_KEYS),
    Scheme(
        "API key (PBKDF2, first use)",
        PBKDF2 + ", then SHA-512 and saved",
        "old_api_key_on_first_use",
        app=API_KEY,
        grows_with=API_KEYS,
    ),
    Scheme(
        "API key (PBKDF2, upgraded)", "SHA-512 of the key", "old_api_key_upgraded", app=API_KEY, grows_with=API_KEYS
    ),
    Scheme(
        "OAuth2 bearer (django-oauth-toolkit)",
        "SHA-256 of the token (lookup checksum)",
        "oauth2",
        app=OAUTH2,
        grows_with=OAUTH2_TOKENS,
    ),
    Scheme("JWTAuthentication", "HMAC-SHA256 (signature check)", "json_web_token", (JWT,)),
    Scheme("JWTStatelessUserAuthentication", "HMAC-SHA256 (signature check)", "json_web_token", (STATELESS_JWT,)),
    Scheme("BasicAuthentication", PBKDF2, "basic", (BASIC,)),
    # A cheap hasher, so that what else a Basic request does shows: django-axes' query.
    Scheme("BasicAuthentication (MD5 hasher)", MD5, "basic_with_hasher", ("md5",)),
    Scheme(
        "BasicAuthentication (MD5 hasher), django-axes", MD5, "basic_with_hasher", ("md5", True), AXES, FAILED_ATTEMPTS
    ),
    Scheme("knox TokenAuthentication", KNOX_HASH, "knox_token", app=KNOX, grows_with=KNOX_TOKENS),
    Scheme("knox, AUTO_REFRESH, within MIN_REFRESH_INTERVAL", KNOX_HASH, "knox_token", ("within",), KNOX, KNOX_TOKENS),
    Scheme("knox, AUTO_REFRESH, MIN_REFRESH_INTERVAL passed", KNOX_HASH, "knox_token", ("passed",), KNOX, KNOX_TOKENS),
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
# one exactly as a current key does (one SHA-512), knox with AUTO_REFRESH as knox without it
# (an unknown token is refused before anything is refreshed), and a throttled TokenAuthentication
# as TokenAuthentication (authentication fails before any throttle runs): each is measured once.
REFUSED_AS_ANOTHER = (
    "API key (PBKDF2, upgraded)",
    "TokenAuthentication, UserRateThrottle",
    "knox, AUTO_REFRESH, within MIN_REFRESH_INTERVAL",
    "knox, AUTO_REFRESH, MIN_REFRESH_INTERVAL passed",
)
REFUSING = tuple(scheme for scheme in SCHEMES if scheme is not BASELINE and scheme.name not in REFUSED_AS_ANOTHER)


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
