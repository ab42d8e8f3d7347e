"""Cached versus uncached Basic authentication, and lazy request.user: what the cache buys, what safety costs.

Rows: the DRF view without authentication (the floor), DRF's BasicAuthentication (the
hasher on every request), the lazy view that never reads request.user and the one that
does, and for each cached variant (trusting, revalidating) and cache (local memory; Redis
when configured) a hit, a miss (hasher + cache write) and, for the trusting variant, the
first request after the user's stamp was replaced. Full dispatch through APIRequestFactory.
The rows that run a hasher run the primary one (the settings' preferred hasher); each
hasher's own cost is in test_hashers.py.

Every row proves its path by counting password verifications over all its requests: one
per request where the hasher must run, none for hits and the lazy view that never looks.
"""

from __future__ import annotations

import pytest
from rest_framework.authentication import BasicAuthentication

from benchlib.credentials import PASSWORD
from benchlib.project_under_test import requires_app
from benchsite.views import drf_view_with, lazy_drf_view_with
from cached_auth import config, stamps
from cached_auth.authentication import CachedBasicAuthentication, RevalidatingCachedBasicAuthentication
from cached_auth.invalidation import invalidate

GROUP = "cached auth"

# The app replaces a user's stamp when the user is saved: without it a cached entry outlives a change.
pytestmark = requires_app("cached_auth")

VARIANTS = pytest.mark.parametrize(
    "variant", [CachedBasicAuthentication, RevalidatingCachedBasicAuthentication], ids=["trusting", "revalidating"]
)


@pytest.fixture
def time_row(benchmark, time_dispatch, api_factory, password_checks, primary_user, record_hasher):
    """Time one row's dispatches and prove its path: `checks_per_request` password checks each."""
    benchmark.group = GROUP
    record_hasher(primary_user.password)

    def run(view, *, header=None, user=None, checks_per_request, before_each=None):
        built = []

        def build_request():
            if before_each is not None:
                before_each()  # outside the timer, like the request itself
            built.append(api_factory.get("/hello-drf/", **({"HTTP_AUTHORIZATION": header} if header else {})))
            return built[-1]

        checks_before = password_checks.count
        time_dispatch(view, build_request, user=user)
        assert password_checks.count - checks_before == checks_per_request * len(built)

    return run


@pytest.fixture
def header(primary_user, basic_header_for):
    return basic_header_for(primary_user)


def test_no_authentication(time_row, header):
    """The floor: DRF dispatch with authentication_classes=[]; the header is ignored."""
    time_row(drf_view_with([]), header=header, checks_per_request=0)


def test_uncached_basic_authentication(time_row, primary_user, header):
    time_row(drf_view_with([BasicAuthentication]), header=header, user=primary_user, checks_per_request=1)


def test_lazy_user_untouched(time_row, header):
    """A view that never reads request.user should cost what no authentication costs (DRF #6002)."""
    time_row(lazy_drf_view_with([BasicAuthentication], touches_user=False), header=header, checks_per_request=0)


def test_lazy_user_touched(time_row, primary_user, header):
    view = lazy_drf_view_with([BasicAuthentication], touches_user=True)
    time_row(view, header=header, user=primary_user, checks_per_request=1)


@VARIANTS
def test_cached_hit(time_row, primary_user, header, variant, auth_cache, api_factory):
    view = drf_view_with([variant])
    assert view(api_factory.get("/hello-drf/", HTTP_AUTHORIZATION=header)).status_code == 200  # the miss that fills it
    time_row(view, header=header, user=primary_user, checks_per_request=0)


@VARIANTS
def test_cached_miss(time_row, primary_user, header, variant, auth_cache):
    """The first request for credentials: the hasher, and the entry written."""
    key = stamps.entry_key(config.current(), variant.entry_kind, primary_user.get_username(), PASSWORD)
    time_row(
        drf_view_with([variant]),
        header=header,
        user=primary_user,
        checks_per_request=1,
        before_each=lambda: auth_cache.delete(key),
    )


def test_cached_after_invalidation(
    time_row, primary_user, header, auth_cache, api_factory, django_capture_on_commit_callbacks
):
    """Trusting variant, the user's stamp replaced (as a committed save does) before each request: a miss."""

    def invalidate_and_commit() -> None:
        with django_capture_on_commit_callbacks(execute=True):  # the test's transaction never commits
            invalidate(primary_user)

    view = drf_view_with([CachedBasicAuthentication])
    assert view(api_factory.get("/hello-drf/", HTTP_AUTHORIZATION=header)).status_code == 200
    time_row(view, header=header, user=primary_user, checks_per_request=1, before_each=invalidate_and_commit)
