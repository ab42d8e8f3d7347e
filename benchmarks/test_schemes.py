"""What each common DRF authentication scheme costs per request, measured the same way on one table.

Full view dispatch through APIRequestFactory, credentials issued in setup (each scheme of
benchlib.auth_schemes names its preparer in benchlib.scheme_requests). Each scheme's request
with a good credential is group "auth schemes"; the same view refusing a bad credential is group
"auth schemes: bad credentials". Each benchmark records in extra_info the
database queries one untimed dispatch made and what the scheme hashes per
request; the harness prints them as one table ordered by cost.
"""

from __future__ import annotations

import pytest

from benchlib.auth_schemes import REFUSING, SCHEMES, Scheme
from benchlib.credentials import PASSWORD
from benchlib.formats.records import BAD_CREDENTIALS_GROUP, SCHEMES_GROUP, SchemeRow, recorded
from benchlib.project_under_test import requires_app
from benchlib.scheme_requests import count_queries


def each(schemes: tuple[Scheme, ...]) -> list:
    """The schemes as parameters named by the scheme, each skipped under a project that lacks its app."""
    return [
        pytest.param(scheme, id=scheme.name, marks=[requires_app(scheme.app)] if scheme.app else [])
        for scheme in schemes
    ]


def record_scheme(benchmark, scheme, view, build_request, status, *, refused=False) -> None:
    """Name the scheme and count the queries of one untimed dispatch (capturing slows queries, so not timed).

    Skipped in the plain test run, where nothing is saved; tests/test_schemes.py asserts the counts.
    """
    if benchmark.disabled:
        return
    response, queries = count_queries(view, build_request())
    assert response.status_code == status, response.content
    row = SchemeRow(scheme.name, scheme.hashes, queries, status if refused else None)
    benchmark.extra_info.update(recorded(scheme=row))


@pytest.mark.parametrize("scheme", each(SCHEMES))
def test_scheme(benchmark, time_dispatch, scheme, scheme_user, settings):
    benchmark.group = SCHEMES_GROUP
    prepared = scheme.prepare(scheme_user, PASSWORD, settings)
    record_scheme(benchmark, scheme, prepared.view, prepared.request, 200)
    time_dispatch(prepared.view, prepared.request, user=prepared.user, check_request=prepared.check_request)


@pytest.mark.parametrize("scheme", each(REFUSING))
def test_scheme_bad_credentials(benchmark, time_dispatch, scheme, scheme_user, settings):
    benchmark.group = BAD_CREDENTIALS_GROUP
    prepared = scheme.prepare(scheme_user, PASSWORD, settings)
    record_scheme(benchmark, scheme, prepared.view, prepared.bad_request, prepared.bad_status, refused=True)
    time_dispatch(prepared.view, prepared.bad_request, status=prepared.bad_status)
