"""Cached versus uncached Basic authentication, and lazy request.user: one table per hasher.

Rows: the DRF view without authentication (the floor), DRF's BasicAuthentication (the
hasher on every request), the lazy view that never reads request.user and the one that
does, and for each cached variant (trusting, revalidating) and cache (local memory; Redis
when configured) a hit, a miss (hasher + cache write) and, for the trusting variant, the
first request after the user's stamp was replaced. Full dispatch through APIRequestFactory.

Every row proves its path by counting password verifications over all its requests: one
per request where the hasher must run, none for hits and the lazy view that never looks.
Each row is timed for a tenth of --benchmark-max-time (at least ROW_MIN_ROUNDS rounds), so
that the seven tables together stay under a minute by default.
"""

from __future__ import annotations

import pytest
from rest_framework.authentication import BasicAuthentication

from benchsite.auth import stamps
from benchsite.auth.cached import CachedBasicAuthentication, RevalidatingCachedBasicAuthentication
from benchsite.views import drf_view_with, lazy_drf_view_with
from conftest import PASSWORD

ROW_SHARE_OF_MAX_TIME = 0.1  # by default 0.1 s: ~1000 rounds of a ~100 µs dispatch
ROW_MIN_ROUNDS = 3  # a hasher-bound row is then ~1.25 s: two checked untimed tries (conftest) and three timed rounds

# The test run (benchmarks disabled) proves the paths with the fastest hasher only: which
# path a request takes does not depend on the hasher, and each slow one would add seconds.
TEST_RUN_HASHERS = ("md5",)

VARIANTS = pytest.mark.parametrize(
    "variant", [CachedBasicAuthentication, RevalidatingCachedBasicAuthentication], ids=["trusting", "revalidating"]
)


@pytest.fixture(autouse=True)
def _test_run_proves_paths_with_the_fast_hasher(request, hasher_name):
    # As pytest-benchmark decides (session.py); asking the benchmark fixture would warn when skipping.
    disabled = request.config.getoption("benchmark_disable") and not request.config.getoption("benchmark_enable")
    if disabled and hasher_name not in TEST_RUN_HASHERS:
        pytest.skip(f"test run: paths proven with {', '.join(TEST_RUN_HASHERS)}; --benchmark-only times every hasher")


@pytest.fixture
def time_row(benchmark, time_dispatch, api_factory, password_checks, hasher_name, pytestconfig):
    """Time one row's dispatches and prove its path: `checks_per_request` password checks each."""
    benchmark.group = f"cached auth: {hasher_name}"
    max_time = float(pytestconfig.getoption("benchmark_max_time")) * ROW_SHARE_OF_MAX_TIME

    def run(view, *, header=None, user=None, checks_per_request, before_each=None):
        built = []

        def build_request():
            if before_each is not None:
                before_each()  # outside the timer, like the request itself
            built.append(api_factory.get("/hello-drf/", **({"HTTP_AUTHORIZATION": header} if header else {})))
            return built[-1]

        checks_before = password_checks.count
        time_dispatch(view, build_request, user=user, max_time=max_time, min_rounds=ROW_MIN_ROUNDS)
        assert password_checks.count - checks_before == checks_per_request * len(built)

    return run


@pytest.fixture
def user_and_header(user_with_hasher, basic_header_for, record_hasher):
    record_hasher(user_with_hasher.password)
    return user_with_hasher, basic_header_for(user_with_hasher)


def test_no_authentication(time_row, user_and_header):
    """The floor: DRF dispatch with authentication_classes=[]; the header is ignored."""
    _, header = user_and_header
    time_row(drf_view_with([]), header=header, checks_per_request=0)


def test_uncached_basic_authentication(time_row, user_and_header):
    user, header = user_and_header
    time_row(drf_view_with([BasicAuthentication]), header=header, user=user, checks_per_request=1)


def test_lazy_user_untouched(time_row, user_and_header):
    """DRF issue 6002: a view that never reads request.user should cost what no authentication costs."""
    _, header = user_and_header
    time_row(lazy_drf_view_with([BasicAuthentication], touches_user=False), header=header, checks_per_request=0)


def test_lazy_user_touched(time_row, user_and_header):
    user, header = user_and_header
    view = lazy_drf_view_with([BasicAuthentication], touches_user=True)
    time_row(view, header=header, user=user, checks_per_request=1)


@VARIANTS
def test_cached_hit(time_row, user_and_header, variant, auth_cache, api_factory):
    user, header = user_and_header
    view = drf_view_with([variant])
    assert view(api_factory.get("/hello-drf/", HTTP_AUTHORIZATION=header)).status_code == 200  # the miss that fills it
    time_row(view, header=header, user=user, checks_per_request=0)


@VARIANTS
def test_cached_miss(time_row, user_and_header, variant, auth_cache):
    """The first request for credentials: the hasher, and the entry written."""
    user, header = user_and_header
    key = stamps.entry_key(variant.entry_kind, user.username, PASSWORD)
    time_row(drf_view_with([variant]), header=header, user=user, checks_per_request=1, before_each=lambda: auth_cache.delete(key))


def test_cached_after_invalidation(time_row, user_and_header, auth_cache, api_factory):
    """Trusting variant, the user's stamp replaced (as a save does) before each request: a miss."""
    user, header = user_and_header
    view = drf_view_with([CachedBasicAuthentication])
    assert view(api_factory.get("/hello-drf/", HTTP_AUTHORIZATION=header)).status_code == 200
    time_row(view, header=header, user=user, checks_per_request=1, before_each=lambda: stamps.replace_stamp(user.pk))
