"""Credentials for the project's own authentication classes: what a client of the project would send.

The suite makes them for DRF's BasicAuthentication, SessionAuthentication and
TokenAuthentication, for djangorestframework-simplejwt's and django-oauth-toolkit's classes,
and for their subclasses. For any other class a project names a maker in its settings:

    DRF_AUTH_BENCH_CREDENTIALS = {
        "myproject.auth.DeviceKeyAuthentication": "myproject.bench.device_key_credentials",
    }

A maker is called, outside any timer and inside the test's database transaction, with the user
(made through the user model's manager; its password is the second argument) and returns two
dicts of request META entries: a credential that authenticates that user, and a bad one that
the class refuses, e.g. `({"HTTP_X_DEVICE_KEY": key}, {"HTTP_X_DEVICE_KEY": "not-a-key"})`. A
project's maker wins over the suite's for the same class.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.apps import apps
from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.utils.module_loading import import_string

from benchlib.credentials import basic_header
from benchlib.scheme_requests import forged_jwt, issue_oauth2_access_token, log_in, session_cookies

if TYPE_CHECKING:
    from rest_framework.authentication import BaseAuthentication, TokenAuthentication
    from rest_framework_simplejwt.authentication import JWTAuthentication

    from benchlib.users import User

SETTING = "DRF_AUTH_BENCH_CREDENTIALS"
SESSIONS_APP = "django.contrib.sessions"
AUTHTOKEN_APP = "rest_framework.authtoken"
DATABASE_SESSION_ENGINES = ("django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db")


class CannotDrive(Exception):
    """The suite cannot make a credential the class accepts; the message says why."""


@dataclasses.dataclass(frozen=True)
class Credential:
    good: dict[str, str]  # request META entries: HTTP_AUTHORIZATION, HTTP_COOKIE, ...
    bad: dict[str, str]
    user: object  # who authentication must put on request.user


def dotted_path(auth_class: type) -> str:
    return f"{auth_class.__module__}.{auth_class.__qualname__}"


def credential_for(auth_class: type[BaseAuthentication], user: User, password: str) -> Credential:
    """A good and a bad credential for `auth_class` and `user`; CannotDrive if the suite has no way to make one."""
    project_makers = getattr(settings, SETTING, {})
    if dotted_path(auth_class) in project_makers:
        good, bad = import_string(project_makers[dotted_path(auth_class)])(user, password)
        return Credential(dict(good), dict(bad), user)
    for base in auth_class.__mro__:
        if maker := SUITE_MAKERS.get(dotted_path(base)):
            return maker(auth_class, user, password)
    raise CannotDrive(f"the suite has no credential for it; name a maker in settings.{SETTING}")


def basic(auth_class: type[BaseAuthentication], user: User, password: str) -> Credential:
    return Credential(
        {"HTTP_AUTHORIZATION": basic_header(user.get_username(), password)},
        {"HTTP_AUTHORIZATION": basic_header(user.get_username(), password + "!")},
        user,
    )


def session(auth_class: type[BaseAuthentication], user: User, password: str) -> Credential:
    """A logged-in session's cookie (and the CSRF cookie a browser sends with it); bad: an unknown session."""
    if settings.SESSION_ENGINE in DATABASE_SESSION_ENGINES and not apps.is_installed(SESSIONS_APP):
        raise CannotDrive(f"SESSION_ENGINE {settings.SESSION_ENGINE} needs {SESSIONS_APP!r} in INSTALLED_APPS")
    middleware = [import_string(path) for path in settings.MIDDLEWARE]
    if not any(isinstance(each, type) and issubclass(each, AuthenticationMiddleware) for each in middleware):
        raise CannotDrive("it reads the user AuthenticationMiddleware loads, and MIDDLEWARE has none")
    session_key, csrf_cookie, _ = log_in(user)
    cookies, unknown_session = session_cookies(session_key, csrf_cookie)
    return Credential({"HTTP_COOKIE": cookies}, {"HTTP_COOKIE": unknown_session}, user)


def token(auth_class: type[TokenAuthentication], user: User, password: str) -> Credential:
    """A token row of the class's model (DRF's Token unless the class names another) for `user`."""
    if auth_class.model is None and not apps.is_installed(AUTHTOKEN_APP):
        raise CannotDrive(f"its Token model needs {AUTHTOKEN_APP!r} in INSTALLED_APPS")
    model = auth_class().get_model()
    # djangorestframework-stubs types it as any Model; TokenAuthentication too reads its `objects`.
    key: str = model.objects.create(user=user).key  # type: ignore[attr-defined]
    return Credential(
        {"HTTP_AUTHORIZATION": f"{auth_class.keyword} {key}"},
        {"HTTP_AUTHORIZATION": f"{auth_class.keyword} {'0' * len(key)}"},
        user,
    )


def simplejwt(auth_class: type[JWTAuthentication], user: User, password: str) -> Credential:
    """An access token for `user` from simplejwt's first AUTH_TOKEN_CLASSES; bad: its claims signed with another key.

    The user expected is the one the class builds from the token (a TokenUser for the stateless classes).
    """
    from rest_framework_simplejwt.settings import api_settings

    token_class = api_settings.AUTH_TOKEN_CLASSES[0]
    access = token_class.for_user(user)
    forged = forged_jwt(access)
    header_type = api_settings.AUTH_HEADER_TYPES[0]
    authenticator = auth_class()
    expected = authenticator.get_user(authenticator.get_validated_token(str(access).encode()))
    assert str(expected.pk) == str(user.pk), f"{dotted_path(auth_class)} builds user {expected.pk}, not {user.pk}"
    return Credential(
        {api_settings.AUTH_HEADER_NAME: f"{header_type} {access}"},
        {api_settings.AUTH_HEADER_NAME: f"{header_type} {forged}"},
        expected,
    )


def oauth2(auth_class: type[BaseAuthentication], user: User, password: str) -> Credential:
    access_token = issue_oauth2_access_token(user)
    return Credential(
        {"HTTP_AUTHORIZATION": f"Bearer {access_token.token}"},
        {"HTTP_AUTHORIZATION": "Bearer not-an-issued-token"},
        user,
    )


# The suite's makers, by the class they serve; a subclass uses its nearest base's.
SUITE_MAKERS: dict[str, Callable[..., Credential]] = {
    "rest_framework.authentication.BasicAuthentication": basic,
    "rest_framework.authentication.SessionAuthentication": session,
    "rest_framework.authentication.TokenAuthentication": token,
    "rest_framework_simplejwt.authentication.JWTAuthentication": simplejwt,
    "oauth2_provider.contrib.rest_framework.authentication.OAuth2Authentication": oauth2,
}
