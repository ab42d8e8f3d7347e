"""What the project's own authentication costs per request, through its own middleware.

Each class of the project's DEFAULT_AUTHENTICATION_CLASSES gets a row: requests with a good
credential for it (group "project authentication") and with a bad one (group "project
authentication: bad credentials"), sent through Django's request handler with the project's
MIDDLEWARE to a view of the suite's that has the project's default classes and IsAuthenticated,
so a request also runs the classes listed before its own, as on the project's API. Beside them,
"no authentication": the same stack and a view without authentication. Credentials are made in
setup (benchlib/project_credentials.py; a project names makers for its own classes). One
untimed request per row counts its database queries and what it hashes; every timed request is
checked after the timer: the user it was authenticated as, or its refusal. A class the suite
cannot make a working credential for is skipped and listed in the table with the reason.
"""

from __future__ import annotations

import dataclasses

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.settings import api_settings

from benchlib.credentials import PASSWORD
from benchlib.formats.records import (
    BASELINE_SCHEME,
    PROJECT_BAD_CREDENTIALS_GROUP,
    PROJECT_GROUP,
    SchemeRow,
    recorded,
)
from benchlib.handler import SuiteRoutesHandler, authenticated_user, checking, https_environ, view_behind_middleware
from benchlib.hash_calls import counting_hash_calls
from benchlib.project_credentials import CannotDrive, Credential, credential_for, dotted_path
from benchsite.views import hello_drf_no_auth, protected_drf_view

PROJECT_CLASSES = list(api_settings.DEFAULT_AUTHENTICATION_CLASSES)
REFUSED = (401, 403)


@dataclasses.dataclass(frozen=True)
class Watched:
    """One untimed dispatch: its response, its database queries and what it hashed."""

    response: object
    queries: int
    hashes: str


def watch(stack: SuiteRoutesHandler, environ: dict) -> Watched:
    with CaptureQueriesContext(connection) as queries, counting_hash_calls() as hashes:
        response = stack(environ)
    return Watched(response, len(queries), hashes.summary())


@dataclasses.dataclass(frozen=True)
class Driven:
    name: str
    stack: SuiteRoutesHandler
    credential: Credential
    success: Watched


@pytest.fixture
def driven(auth_class, primary_user, not_measured) -> Driven:
    """The project's stack and a credential for `auth_class` proven to work by one untimed request;
    the class is listed as not measured if the suite cannot make one that works."""
    name = dotted_path(auth_class)
    try:
        credential = credential_for(auth_class, primary_user, PASSWORD)
    except CannotDrive as why:
        not_measured(name, str(why))
    stack = view_behind_middleware(protected_drf_view(PROJECT_CLASSES))
    success = watch(stack, https_environ(**credential.good))
    if success.response.status_code != 200 or authenticated_user(success.response) != credential.user:
        who = authenticated_user(success.response)
        not_measured(name, f"the credential the suite made got {success.response.status_code} as {who!r}")
    return Driven(name, stack, credential, success)


def test_project_no_authentication(benchmark, time_dispatch, db):
    """The floor: the same middleware and routing, a DRF view with no authentication."""
    benchmark.group = PROJECT_GROUP
    stack = view_behind_middleware(hello_drf_no_auth)
    baseline = watch(stack, https_environ())
    assert baseline.response.status_code == 200, baseline.response.content
    benchmark.extra_info.update(recorded(scheme=SchemeRow(BASELINE_SCHEME, baseline.hashes, baseline.queries)))
    time_dispatch(stack, https_environ, check_request=checking(stack, 200))


@pytest.mark.parametrize("auth_class", PROJECT_CLASSES, ids=dotted_path)
def test_project_authentication(driven, benchmark, time_dispatch, record_hasher, primary_user):  # driven may skip
    benchmark.group = PROJECT_GROUP
    record_hasher(primary_user.password)
    benchmark.extra_info.update(recorded(scheme=SchemeRow(driven.name, driven.success.hashes, driven.success.queries)))
    good = driven.credential.good
    check = checking(driven.stack, 200, driven.credential.user)
    time_dispatch(driven.stack, lambda: https_environ(**good), check_request=check)


@pytest.mark.parametrize("auth_class", PROJECT_CLASSES, ids=dotted_path)
def test_project_authentication_bad_credentials(driven, benchmark, time_dispatch, record_hasher, primary_user):
    benchmark.group = PROJECT_BAD_CREDENTIALS_GROUP
    record_hasher(primary_user.password)
    bad = driven.credential.bad
    refusal = watch(driven.stack, https_environ(**bad))
    status = refusal.response.status_code
    assert status in REFUSED, f"{driven.name}: a bad credential got {status}: {refusal.response.content[:200]!r}"
    benchmark.extra_info.update(recorded(scheme=SchemeRow(driven.name, refusal.hashes, refusal.queries, status)))
    time_dispatch(
        driven.stack, lambda: https_environ(**bad), status=status, check_request=checking(driven.stack, status)
    )
