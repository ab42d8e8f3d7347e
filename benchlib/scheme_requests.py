"""Each authentication scheme's view and the requests its client sends, and the credentials they carry.

A preparer (named by a scheme in benchlib.auth_schemes) runs outside any timer. It issues
what a client holds after logging in or being given a credential (a session cookie, a
token, an API key, an OAuth2 access token, a JWT), builds the view, and returns fresh
requests carrying a good and a bad credential, plus who authentication must put on the
request. The issuers are shared with the served site's accounts (benchtools.e2e.accounts)
and the project's credentials (benchlib.project_credentials).

A scheme whose package keeps models in an app (authtoken, djangorestframework-api-key,
django-oauth-toolkit, database sessions) imports its models only when prepared: under a
project that does not install the app, its benchmarks are skipped rather than failing to import.
"""

from __future__ import annotations

import dataclasses
import functools
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from importlib import import_module
from typing import TYPE_CHECKING

import jwt
from django.conf import settings as django_settings
from django.contrib.auth import login
from django.contrib.auth.hashers import make_password
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.db import connection
from django.http import HttpRequest, HttpResponseBase
from django.middleware.csrf import get_token
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.module_loading import import_string
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.test import APIRequestFactory

from benchlib.credentials import basic_header
from benchlib.hashers import preferring
from benchsite.views import hello_drf_no_auth, protected_drf_view

if TYPE_CHECKING:
    from knox.models import AuthToken as KnoxToken
    from oauth2_provider.models import AccessToken as OAuth2AccessToken
    from pytest_django.fixtures import Settings
    from rest_framework_api_key.models import AbstractAPIKey, APIKey
    from rest_framework_simplejwt.tokens import AccessToken, Token

    from benchlib.users import User

PATH = "/hello-drf/"

# An API key as djangorestframework-api-key < 2.0 issued them: `prefix.secret`, stored
# with Django's password hasher. Not a secret: it exists only in this suite's test database.
OLD_API_KEY = "OldKey01.0123456789abcdefghijklmnopqrstuv"


# A DRF view, or the middlewares in front of one: synchronous, as the suite's views are.
View = Callable[[HttpRequest], HttpResponseBase]


@dataclasses.dataclass
class Prepared:
    """A scheme made ready for one user: its view and fresh requests with a good and a bad credential."""

    view: View
    request: Callable[[], HttpRequest]
    user: object | None  # who authentication puts on request.user; None: nobody (no auth, API keys)
    bad_request: Callable[[], HttpRequest] | None = None
    bad_status: int | None = None
    check_request: Callable[[HttpRequest], None] | None = None  # more to assert after each good request


def count_queries(view: View, request: HttpRequest) -> tuple[HttpResponseBase, int]:
    """Dispatch once, untimed, returning the response and how many database queries it made."""
    with CaptureQueriesContext(connection) as queries:
        response = view(request)
    return response, len(queries)


def no_authentication(user: User, password: str, settings: Settings) -> Prepared:
    """The baseline: DRF's view with authentication_classes=[] and AllowAny."""
    factory = APIRequestFactory()
    return Prepared(hello_drf_no_auth, lambda: factory.get(PATH), user=None)


def log_in(user: User) -> tuple[str, str, str]:
    """Log `user` in as a login view does: the session cookie, the CSRF cookie and the CSRF token it hands out."""
    request = HttpRequest()
    request.session = import_module(django_settings.SESSION_ENGINE).SessionStore()
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session.save()
    session_key = request.session.session_key
    assert session_key is not None  # a saved session has a key
    return session_key, request.META["CSRF_COOKIE"], get_token(request)


def session_cookies(session_key: str, csrf_cookie: str) -> tuple[str, str]:
    """The Cookie header of the browser log_in() logged in, and one naming a session that does not exist."""
    good = f"{django_settings.SESSION_COOKIE_NAME}={session_key}; {django_settings.CSRF_COOKIE_NAME}={csrf_cookie}"
    return good, f"{django_settings.SESSION_COOKIE_NAME}=not-a-session-{session_key[-8:]}"


def forged_jwt(access: Token) -> str:
    """The claims of the access token `access`, signed with another key."""
    return jwt.encode(dict(access.payload), "not the signing key, " * 2, algorithm="HS256")


def session(user: User, password: str, settings: Settings, engine: str, method: str = "get") -> Prepared:
    """SessionAuthentication with a session backend, behind the two middlewares it needs, CSRF enforced.

    The middlewares are timed with the view: loading the session and the user is
    their lazy work, done when DRF asks for request.user. A POST carries the CSRF
    cookie and the X-CSRFToken header, as DRF requires of a session-authenticated
    unsafe request; its bad credential is the same POST without the header.
    """
    settings.SESSION_ENGINE = f"django.contrib.sessions.backends.{engine}"
    session_key, csrf_cookie, csrf_token = log_in(user)
    # django-stubs types a middleware's call as returning a response or an awaitable one: around a sync
    # view, as here, each returns a response. (django-stubs 6 accepts one middleware as another's get_response.)
    authenticating = AuthenticationMiddleware(protected_drf_view([SessionAuthentication]))
    view: View = SessionMiddleware(authenticating)  # type: ignore[arg-type,assignment,unused-ignore]
    # enforce_csrf_checks: by default APIRequestFactory marks requests as exempt from CSRF.
    factory = APIRequestFactory(enforce_csrf_checks=True)
    send = getattr(factory, method)
    cookies, unknown_session = session_cookies(session_key, csrf_cookie)
    if method == "get":
        good = {"HTTP_COOKIE": cookies}
        bad = {"HTTP_COOKIE": unknown_session}
    else:
        good = {"HTTP_COOKIE": cookies, "HTTP_X_CSRFTOKEN": csrf_token}
        bad = {"HTTP_COOKIE": cookies}
    return Prepared(
        view,
        lambda: send(PATH, **good),
        user=user,
        bad_request=lambda: send(PATH, **bad),
        bad_status=403,  # SessionAuthentication sends no WWW-Authenticate challenge, so 403
    )


def authorization(
    view: View,
    header: str,
    bad_header: str,
    *,
    user: object | None,
    bad_status: int = 401,
    check_request: Callable[[HttpRequest], None] | None = None,
) -> Prepared:
    """A scheme whose credential travels in the Authorization header."""
    factory = APIRequestFactory()
    return Prepared(
        view,
        lambda: factory.get(PATH, HTTP_AUTHORIZATION=header),
        user=user,
        bad_request=lambda: factory.get(PATH, HTTP_AUTHORIZATION=bad_header),
        bad_status=bad_status,
        check_request=check_request,
    )


def basic(user: User, password: str, settings: Settings, auth_class: str, warm_up: bool = False) -> Prepared:
    """HTTP Basic with the user's password; `warm_up` dispatches once first (for a cached variant)."""
    prepared = authorization(
        protected_drf_view([import_string(auth_class)]),
        basic_header(user.get_username(), password),
        basic_header(user.get_username(), password + "!"),
        user=user,
    )
    if warm_up:
        assert prepared.view(prepared.request()).status_code == 200
    return prepared


def issue_token(user: User) -> str:
    """A DRF authtoken key for `user`, as its obtain_auth_token view hands one out."""
    from rest_framework.authtoken.models import Token

    return Token.objects.create(user=user).key


def token(user: User, password: str, settings: Settings) -> Prepared:
    """DRF's TokenAuthentication: the key is looked up as stored."""
    key = issue_token(user)
    return authorization(protected_drf_view([TokenAuthentication]), f"Token {key}", f"Token {'0' * 40}", user=user)


# A rate no benchmark reaches: what DRF's throttle costs a request is reading and writing the
# client's history of requests in the window, whatever the rate.
THROTTLE_RATE = "10000000/hour"


def token_throttled(user: User, password: str, settings: Settings, requests_in_window: int = 1) -> Prepared:
    """TokenAuthentication behind DRF's UserRateThrottle, which keeps each user's requests of the window in the cache.

    Each request is built after putting the user's earlier requests in the window in the
    cache (outside the timer), so that it is the `requests_in_window`th; each is checked to
    have added itself to them.
    """
    from django.core.cache import cache
    from rest_framework.throttling import UserRateThrottle

    class Throttle(UserRateThrottle):
        rate = THROTTLE_RATE

    key = issue_token(user)
    view = protected_drf_view([TokenAuthentication], throttles=[Throttle])
    prepared = authorization(view, f"Token {key}", f"Token {'0' * 40}", user=user)
    history_key = Throttle.cache_format % {"scope": Throttle.scope, "ident": user.pk}

    def build() -> HttpRequest:
        now, spacing = time.time(), 1800 / requests_in_window  # all within the last half of the hour
        cache.set(history_key, [now - spacing * (earlier + 1) for earlier in range(requests_in_window - 1)], 3600)
        return prepared.request()

    def check_request(request: HttpRequest) -> None:
        assert len(cache.get(history_key)) == requests_in_window

    return dataclasses.replace(prepared, request=build, check_request=check_request)


def stored_api_key_hash(pk: str) -> str:
    from rest_framework_api_key.models import APIKey

    return APIKey.objects.values_list("hashed_key", flat=True).get(pk=pk)


def expect_api_key_hash(pk: str, algorithm: str) -> Callable[[HttpRequest], None]:
    def check_request(request: HttpRequest) -> None:
        stored = stored_api_key_hash(pk)
        assert stored.startswith(algorithm + "$"), f"API key {pk[:8]} stored as {stored.split('$')[0]}"

    return check_request


def api_key_view() -> View:
    """djangorestframework-api-key is a permission, not an authentication class: no user, 403 if refused."""
    from rest_framework_api_key.permissions import HasAPIKey

    return protected_drf_view([], permissions=[HasAPIKey])


def api_key_requests(key_row: AbstractAPIKey, key: str) -> Prepared:
    """Requests with `key` and with a wrong secret after its prefix; each good one leaves it stored as SHA-512."""
    return authorization(
        api_key_view(),
        f"Api-Key {key}",
        f"Api-Key {key_row.prefix}.{'x' * 32}",
        user=None,
        bad_status=403,
        check_request=expect_api_key_hash(key_row.pk, "sha512"),
    )


def api_key(user: User, password: str, settings: Settings) -> Prepared:
    """A key issued by the current version: stored as SHA-512, verified with one SHA-512."""
    from rest_framework_api_key.models import APIKey

    return api_key_requests(*APIKey.objects.create_key(name="current"))


@functools.cache
def pbkdf2_hash_of_old_api_key() -> str:
    """OLD_API_KEY hashed by Django's PBKDF2 hasher at the installed default; made once, it is slow."""
    return make_password(OLD_API_KEY, hasher="pbkdf2_sha256")


def create_old_api_key() -> APIKey:
    """A key row as djangorestframework-api-key 1.x left it: PBKDF2 hash, primary key `prefix.hash`."""
    from rest_framework_api_key.models import APIKey

    prefix = OLD_API_KEY.partition(".")[0]
    old_hash = pbkdf2_hash_of_old_api_key()
    return APIKey.objects.create(id=f"{prefix}.{old_hash}", prefix=prefix, hashed_key=old_hash, name="old")


def old_api_key_on_first_use(user: User, password: str, settings: Settings) -> Prepared:
    """A PBKDF2-stored key on its first use: verified with PBKDF2, then re-hashed with SHA-512 and saved.

    Each request is built after restoring the PBKDF2 hash (outside the timer), so
    every timed request is a first use; each is checked to have upgraded the hash.
    """
    key_row = create_old_api_key()
    prepared = api_key_requests(key_row, OLD_API_KEY)
    assert prepared.bad_request is not None  # every API key scheme has a bad credential
    return dataclasses.replace(
        prepared,
        request=restoring_pbkdf2_hash(key_row.pk, prepared.request),
        bad_request=restoring_pbkdf2_hash(key_row.pk, prepared.bad_request),
    )


def restoring_pbkdf2_hash(pk: str, build_request: Callable[[], HttpRequest]) -> Callable[[], HttpRequest]:
    from rest_framework_api_key.models import APIKey

    def build() -> HttpRequest:
        APIKey.objects.filter(pk=pk).update(hashed_key=pbkdf2_hash_of_old_api_key())
        return build_request()

    return build


def old_api_key_upgraded(user: User, password: str, settings: Settings) -> Prepared:
    """The same PBKDF2-stored key after its first use upgraded it: every later request costs one SHA-512."""
    key_row = create_old_api_key()
    prepared = api_key_requests(key_row, OLD_API_KEY)
    assert stored_api_key_hash(key_row.pk).startswith("pbkdf2_sha256$")
    assert prepared.view(prepared.request()).status_code == 200  # the first use, untimed
    return prepared


def issue_oauth2_access_token(user: User) -> OAuth2AccessToken:
    """An OAuth2 application and a bearer access token it was issued for `user`, valid for an hour."""
    from oauth2_provider.generators import generate_client_id
    from oauth2_provider.models import AccessToken, Application

    application = Application.objects.create(
        name="bench",
        user=user,
        client_id=generate_client_id(),
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris="https://client.example/callback",
        # The bearer path never reads the client secret; hashing it would cost a PBKDF2 run in setup.
        hash_client_secret=False,
    )
    return AccessToken.objects.create(
        user=user,
        application=application,
        token="bench-access-token-" + generate_client_id()[:24],
        expires=timezone.now() + timedelta(hours=1),
        scope="read write",
    )


def oauth2(user: User, password: str, settings: Settings) -> Prepared:
    """django-oauth-toolkit's OAuth2Authentication with a bearer access token issued to `user`."""
    from oauth2_provider.contrib.rest_framework import OAuth2Authentication

    access_token = issue_oauth2_access_token(user)
    application = access_token.application

    def check_request(request: HttpRequest) -> None:
        auth = getattr(request, "auth", None)  # DRF sets it on Django's request too
        assert auth == access_token and auth.application == application

    return authorization(
        protected_drf_view([OAuth2Authentication]),
        f"Bearer {access_token.token}",
        "Bearer not-an-issued-token",
        user=user,
        check_request=check_request,
    )


def issue_jwt(user: User, lifetime: timedelta | None = None) -> AccessToken:
    """A simplejwt access token for `user`, HS256-signed with the settings' key; `lifetime` replaces simplejwt's."""
    from rest_framework_simplejwt.tokens import AccessToken

    access = AccessToken.for_user(user)
    if lifetime is not None:
        access.set_exp(lifetime=lifetime)
    return access


def json_web_token(user: User, password: str, settings: Settings, auth_class: str) -> Prepared:
    """djangorestframework-simplejwt: an access token for `user`, HS256-signed with the settings' key.

    JWTAuthentication loads the user from the database; JWTStatelessUserAuthentication
    builds a TokenUser from the token's claims. The bad credential is the same claims
    signed with another key.
    """
    from rest_framework_simplejwt.authentication import JWTStatelessUserAuthentication
    from rest_framework_simplejwt.models import TokenUser

    access = issue_jwt(user)
    forged = forged_jwt(access)
    authentication = import_string(auth_class)
    expected = TokenUser(access) if issubclass(authentication, JWTStatelessUserAuthentication) else user
    return authorization(protected_drf_view([authentication]), f"Bearer {access}", f"Bearer {forged}", user=expected)


def issue_knox_token(user: User) -> tuple[KnoxToken, str]:
    """A django-rest-knox token for `user` as its LoginView hands one out, expiring after TOKEN_TTL: its row and key."""
    from knox.models import AuthToken

    return AuthToken.objects.create(user=user)


def knox_token(user: User, password: str, settings: Settings, refresh: str | None = None) -> Prepared:
    """django-rest-knox's TokenAuthentication: the token's row found by its first characters, its SHA-512 compared.

    Before comparing, knox loads every token of the user, to delete the expired ones. With
    `refresh`, AUTO_REFRESH is on and each request is built after setting the token's expiry
    (outside the timer) to what a request made just now ("within") or MIN_REFRESH_INTERVAL
    ago and more ("passed") left it: knox saves the new expiry only in the second case, which
    each round is checked to have done, or not.
    """
    from knox.auth import TokenAuthentication as KnoxTokenAuthentication

    if refresh is not None:
        settings.REST_KNOX = {"AUTO_REFRESH": True}
    row, key = issue_knox_token(user)
    prepared = authorization(
        protected_drf_view([KnoxTokenAuthentication]), f"Token {key}", f"Token {'0' * len(key)}", user=user
    )
    if refresh is None:
        return prepared
    return knox_refreshing(row, prepared, interval_passed=refresh == "passed")


def knox_refreshing(row: KnoxToken, prepared: Prepared, *, interval_passed: bool) -> Prepared:
    """`prepared` with requests built after setting the token's expiry, each checked to have saved a new one or not."""
    from knox.models import AuthToken
    from knox.settings import knox_settings

    since_refresh = timedelta(seconds=2 * knox_settings.MIN_REFRESH_INTERVAL) if interval_passed else timedelta()
    tokens = AuthToken.objects.filter(pk=row.pk)
    expiry_set: dict[str, datetime] = {}

    def build() -> HttpRequest:
        expiry_set["at"] = timezone.now() + knox_settings.TOKEN_TTL - since_refresh
        tokens.update(expiry=expiry_set["at"])
        return prepared.request()

    def check_request(request: HttpRequest) -> None:
        saved = tokens.values_list("expiry", flat=True).get() != expiry_set["at"]
        assert saved == interval_passed, f"knox saved a new expiry: {saved}"

    return dataclasses.replace(prepared, request=build, check_request=check_request)


# What django-axes' documentation configures: its backend first, Django's after it, and its middleware.
AXES_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]


def basic_with_hasher(user: User, password: str, settings: Settings, hasher: str, axes: bool = False) -> Prepared:
    """BasicAuthentication with the user's password stored by `hasher`, that hasher preferred; `axes` adds django-axes.

    A cheap hasher leaves what else a Basic request does in sight: django-axes' query, made
    on every authenticate() call, which BasicAuthentication makes on every request. Its
    refusal is a first failure from the client: the client's failures on record are deleted
    before each bad request is built (outside the timer), so no round is a locked-out one.
    """
    settings.PASSWORD_HASHERS = preferring(hasher, settings.PASSWORD_HASHERS)
    user.password = make_password(password, hasher=hasher)
    user.save(update_fields=["password"])
    prepared = basic(user, password, settings, "rest_framework.authentication.BasicAuthentication")
    if not axes:
        return prepared
    from axes.middleware import AxesMiddleware

    settings.AXES_ENABLED = True
    settings.AUTHENTICATION_BACKENDS = AXES_BACKENDS
    assert prepared.bad_request is not None
    return dataclasses.replace(
        prepared,
        view=AxesMiddleware(prepared.view),
        bad_request=forgetting_failures(prepared.bad_request),
    )


def forgetting_failures(build_request: Callable[[], HttpRequest]) -> Callable[[], HttpRequest]:
    """Build a request after deleting django-axes' record of the failures of the client it comes from."""
    from axes.models import AccessAttempt

    def build() -> HttpRequest:
        request = build_request()
        AccessAttempt.objects.filter(ip_address=request.META["REMOTE_ADDR"]).delete()
        return request

    return build
