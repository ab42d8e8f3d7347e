"""benchlib/project_credentials.py: a credential per authentication class, good through a project's middleware
and refused when bad; a project's own maker; a class without one is said to be not drivable, and why."""

from __future__ import annotations

import pytest
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from rest_framework.authentication import (
    BaseAuthentication,
    BasicAuthentication,
    SessionAuthentication,
    TokenAuthentication,
)
from rest_framework_simplejwt.authentication import JWTAuthentication, JWTStatelessUserAuthentication

from benchlib.credentials import PASSWORD
from benchlib.handler import https_environ, view_behind_middleware
from benchlib.project_credentials import SETTING, CannotDrive, credential_for
from benchsite.views import protected_drf_view
from cached_auth.authentication import CachedBasicAuthentication
from tests.projects.emailuser.settings import MIDDLEWARE as DJANGO_MIDDLEWARE  # Django's startproject MIDDLEWARE

SUITE_DRIVES = [
    BasicAuthentication,
    SessionAuthentication,
    TokenAuthentication,
    JWTAuthentication,
    JWTStatelessUserAuthentication,
    OAuth2Authentication,
    CachedBasicAuthentication,  # a subclass: its nearest base's credential
]


class SignedNonceAuthentication(BaseAuthentication):
    """A project's own class the suite knows nothing about."""

    def authenticate(self, request):
        return None


def project_maker(user, password):
    return {"HTTP_X_KEY": user.get_username()}, {"HTTP_X_KEY": "nobody"}


@pytest.mark.parametrize("auth_class", SUITE_DRIVES, ids=lambda cls: cls.__name__)
def test_the_suites_credential_passes_the_projects_middleware_and_its_bad_one_is_refused(
    settings, fast_user, auth_class
):
    settings.MIDDLEWARE = DJANGO_MIDDLEWARE
    credential = credential_for(auth_class, fast_user, PASSWORD)
    stack = view_behind_middleware(protected_drf_view([auth_class]))
    good = stack(https_environ(**credential.good))
    assert good.status_code == 200, good.content
    assert good.wsgi_request.user == credential.user and str(credential.user.pk) == str(fast_user.pk)
    bad = stack(https_environ(**credential.bad))
    assert bad.status_code in (401, 403) and not bad.wsgi_request.user.is_authenticated


def test_session_authentication_is_not_drivable_without_authentication_middleware(settings, fast_user):
    settings.MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]
    with pytest.raises(CannotDrive, match="AuthenticationMiddleware"):
        credential_for(SessionAuthentication, fast_user, PASSWORD)


def test_a_class_the_suite_does_not_know_is_not_drivable_and_the_message_names_the_setting(fast_user):
    with pytest.raises(CannotDrive, match=SETTING):
        credential_for(SignedNonceAuthentication, fast_user, PASSWORD)


@pytest.mark.parametrize("auth_class", [SignedNonceAuthentication, BasicAuthentication], ids=["unknown", "known"])
def test_a_projects_own_maker_makes_the_credential(settings, fast_user, auth_class):
    path = f"{auth_class.__module__}.{auth_class.__qualname__}"
    settings.DRF_AUTH_BENCH_CREDENTIALS = {path: f"{__name__}.project_maker"}
    credential = credential_for(auth_class, fast_user, PASSWORD)
    assert (credential.good, credential.bad, credential.user) == (
        {"HTTP_X_KEY": "user-fast"},
        {"HTTP_X_KEY": "nobody"},
        fast_user,
    )
