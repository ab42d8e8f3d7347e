"""Fixtures for the tests of the suite's own code (the shared ones are in benchlib.fixtures)."""

from __future__ import annotations

import functools
import os

import pytest

from benchlib.project_under_test import measuring_the_suites_own_project
from benchlib.users import create_user
from benchsite.views import drf_view_with
from cached_auth.authentication import CachedBasicAuthentication, RevalidatingCachedBasicAuthentication
from tests.saved_runs import write_run

# These tests are written for the suite's own project (benchsite: its apps, the default User, no
# middleware); under another project's settings (pytest --ds myproject.settings) only the
# benchmarks are collected.
if not measuring_the_suites_own_project():
    collect_ignore_glob = ["*"]

# The hypothesis profile of the property tests over untrusted input (Authorization headers):
# a hundred examples per authentication class in the local test run; where .ci/run selects "ci",
# 3,400 per class: over ten thousand in all.
HYPOTHESIS_PROFILE_VARIABLE = "DRF_AUTH_BENCH_HYPOTHESIS_PROFILE"
UNTRUSTED_INPUT_EXAMPLES = {"dev": 100, "ci": 3_400}
# The mutated run files of tests/test_malformed_runs.py, by the same profile.
MALFORMED_RUNS = {"dev": 300, "ci": 1_000}


def untrusted_input_profile() -> str:
    """How hard the tests over untrusted input try: "dev" in the local test run, "ci" where .ci/run asks."""
    profile = os.environ.get(HYPOTHESIS_PROFILE_VARIABLE, "dev")
    if profile not in UNTRUSTED_INPUT_EXAMPLES:
        raise pytest.UsageError(f"{HYPOTHESIS_PROFILE_VARIABLE}={profile!r}: expected one of dev, ci")
    return profile


def pytest_collection_modifyitems(config, items):
    """A test marked postgresql is skipped unless the configured database is PostgreSQL."""
    from django.db import connection

    if connection.vendor != "postgresql":
        skip = pytest.mark.skip(reason="DRF_AUTH_BENCH_DATABASE_URL names no PostgreSQL")
        for item in items:
            if item.get_closest_marker("postgresql"):
                item.add_marker(skip)


def pytest_configure(config):
    # Only where hypothesis's plugin is loaded: the pytest runs that tests start leave it
    # out, as importing hypothesis takes half a second.
    if config.pluginmanager.has_plugin("hypothesispytest"):
        from hypothesis import HealthCheck, settings

        profile = untrusted_input_profile()
        settings.register_profile(
            "untrusted-input",
            max_examples=UNTRUSTED_INPUT_EXAMPLES[profile],
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        )


@pytest.fixture
def fast_user(db, password_hash_for, prefer_hasher):
    """A user whose password PASSWORD is stored as MD5, that hasher preferred.

    For tests that authenticate many times (hypothesis): a check costs microseconds, and
    an unknown username's decoy hash (ModelBackend runs the preferred hasher) is MD5 too.
    """
    prefer_hasher("md5")
    return create_user("user-fast", password_hash_for("md5"))


@pytest.fixture(
    params=[CachedBasicAuthentication, RevalidatingCachedBasicAuthentication], ids=["trusting", "revalidating"]
)
def variant(request):
    """Each cached authentication class in turn."""
    return request.param


@pytest.fixture
def authenticate(variant, auth_cache, api_factory, password_checks):
    """Dispatch one request with a header; return (status, authenticated user or None, password checks run).

    A hit runs no password check: that is how a test tells a hit from a miss.
    """
    view = drf_view_with([variant])

    def run(header, view=view):
        before = password_checks.count
        request = api_factory.get("/hello-drf/", HTTP_AUTHORIZATION=header)
        response = view(request)
        user = getattr(request, "user", None)
        return response.status_code, user if user and user.is_authenticated else None, password_checks.count - before

    return run


@pytest.fixture
def run_storage(tmp_path):
    """An empty pytest-benchmark storage folder for one test."""
    return tmp_path / ".benchmarks"


@pytest.fixture
def save_run(run_storage):
    """Save a synthetic pytest-benchmark run into `run_storage`; returns its path (see tests/saved_runs.py)."""
    return functools.partial(write_run, run_storage)
