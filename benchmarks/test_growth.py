"""How each scheme's cost per request grows with what it reads: users, sessions, tokens, keys, failed logins.

Every row of the scheme table (benchmarks/test_schemes.py) is measured as it is there, on a
database that holds what the scheme reads at each size of benchlib.auth_schemes: 100, 1,000
and 10,000 rows of its table, or 1 to 1,000 tokens of the user for knox (--growth-sizes=large
adds 100,000 and 1,000,000 rows, and 10,000 tokens). Each data set is made once with bulk
inserts and kept while the code that makes it is unchanged (benchlib.growth_store). Each
round is checked as in the table (status, user), and each benchmark that the database holds
the size it names; it records its size and the queries of one untimed request (group "auth
schemes: growth"); the harness prints how each grows, fitted from the sizes (benchlib.growth).

Two series of their own grow with what the table's rows do not keep in a table of their own:
the expired tokens of the user that a knox request deletes (1 to 1,000), and the user's
requests in the window of DRF's UserRateThrottle, kept in the cache (1 to 10,000).

Marker `growth`, left out of the default selection: `pytest --benchmark-only -m growth`.
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from itertools import count
from pathlib import Path

import pytest
from django.utils import timezone

from benchlib import growth_data, growth_store
from benchlib.auth_schemes import AUTHTOKEN, DRF_TOKENS, KNOX, KNOX_TOKENS, SCHEMES, Scheme
from benchlib.credentials import PASSWORD
from benchlib.fixtures import django_default_hash
from benchlib.formats.records import GROWTH_GROUP, GrowthPoint, recorded
from benchlib.growth_store import DataSet
from benchlib.harness import growth_sizes
from benchlib.project_under_test import requires_app
from benchlib.scheme_requests import count_queries

pytestmark = pytest.mark.growth

# Half the table's time per benchmark: there are three or four sizes of each row.
GROWTH_MAX_TIME = 0.25

SCHEME = {scheme.name: scheme for scheme in SCHEMES}
# The series of their own, each on a data set of one user (and its credential): the rows that grow
# are put back before each round, outside the timer.
EXPIRED = "knox TokenAuthentication, deleting expired tokens"
EXPIRED_DATA = "expired tokens of the user"
THROTTLED = "TokenAuthentication, UserRateThrottle"
WINDOW_DATA = "requests of the user in the window"
SERIES = {
    "test_knox_deleting_expired_tokens": (DataSet(KNOX_TOKENS, 1), (1, 10, 100, 1_000)),
    "test_throttle_with_requests_in_the_window": (DataSet(DRF_TOKENS, 1), (1, 10, 100, 1_000, 10_000)),
}


def marks(*apps: str | None) -> list:
    return [requires_app(app) for app in dict.fromkeys(apps) if app]


def pytest_generate_tests(metafunc):
    if metafunc.definition.name == "test_growth":
        data_sets = {
            scheme.grows_with: None for scheme in SCHEMES if scheme.grows_with
        }  # in the order schemes name them
        params = [
            pytest.param(
                DataSet(data, size),
                scheme,
                id=f"{scheme.name}-{size}",
                marks=marks(scheme.app, data.app),
            )
            for data in data_sets
            for size in growth_sizes(metafunc.config).of(data.sizes, data.large_sizes)
            for scheme in SCHEMES
            if scheme.grows_with == data
        ]
        metafunc.parametrize(("data_set", "scheme"), params, indirect=["data_set"])
    elif metafunc.definition.name in SERIES:
        data_set, sizes = SERIES[metafunc.definition.name]
        params = [pytest.param(data_set, size, id=str(size)) for size in growth_sizes(metafunc.config).of(sizes)]
        metafunc.parametrize(("data_set", "size"), params, indirect=["data_set"])


def kept_in(config) -> Path:
    """Where data sets are kept on SQLite: `growth-data` in the folder the runs are saved to (--benchmark-storage)."""
    storage = str(config.getoption("benchmark_storage")).removeprefix("file://")
    return config.invocation_params.dir / (".benchmarks" if "://" in storage else storage) / "growth-data"


@pytest.fixture(scope="module")
def data_sets(django_db_setup, django_db_blocker, pytestconfig):
    """What puts each benchmark's data set in the test database; the test database's own content is back after."""
    loader = growth_store.Loader(kept_in(pytestconfig))
    yield loader
    with django_db_blocker.unblock():
        loader.close()


@pytest.fixture
def data_set(request, data_sets, django_db_blocker) -> DataSet:
    """The data set of the parameter, in the test database (benchmarks of one data set are collected together)."""
    with django_db_blocker.unblock():
        data_sets.use(request.param)
    return request.param


@pytest.fixture
def growth_user(data_set, db, prefer_hasher):
    """The data set's measured user, with PASSWORD hashed as scheme_user's is (Django's default hasher, preferred)."""
    prefer_hasher("pbkdf2_sha256")
    user = growth_data.measured_user()
    user.password = django_default_hash()
    user.save(update_fields=["password"])
    return user


def record_growth(benchmark, name: str, data: str, size: int, view, build_request) -> None:
    """The size and the queries of one untimed dispatch (skipped in the plain test run, where nothing is saved)."""
    if benchmark.disabled:
        return
    response, queries = count_queries(view, build_request())
    assert response.status_code == 200, response.content
    benchmark.extra_info.update(recorded(growth=GrowthPoint(name, data, size, queries)))


def test_growth(benchmark, time_dispatch, data_set: DataSet, scheme: Scheme, growth_user, settings):
    benchmark.group = GROWTH_GROUP
    prepared = scheme.prepare(growth_user, PASSWORD, settings)
    assert growth_data.rows(data_set.data.maker, growth_user) == data_set.size
    record_growth(benchmark, scheme.name, data_set.data.name, data_set.size, prepared.view, prepared.request)
    time_dispatch(
        prepared.view,
        prepared.request,
        user=prepared.user,
        check_request=prepared.check_request,
        max_time=GROWTH_MAX_TIME,
    )


@requires_app(KNOX)
def test_knox_deleting_expired_tokens(benchmark, time_dispatch, data_set, growth_user, settings, size: int):
    """A knox request that finds `size` expired tokens of the user and deletes them, one query each."""
    from knox.models import AuthToken

    benchmark.group = GROWTH_GROUP
    prepared = SCHEME["knox TokenAuthentication"].prepare(growth_user, PASSWORD, settings)
    numbers = count()

    def build():
        expiry = timezone.now() - timedelta(seconds=1)
        expired = (next(numbers) for _ in range(size))
        AuthToken.objects.bulk_create(
            AuthToken(digest=f"expired-{n:0120x}", token_key=f"e{n:014x}", user=growth_user, expiry=expiry)
            for n in expired
        )
        return prepared.request()

    def none_left(request) -> None:
        assert not AuthToken.objects.filter(user=growth_user, expiry__lt=timezone.now()).exists()

    record_growth(benchmark, EXPIRED, EXPIRED_DATA, size, prepared.view, build)
    time_dispatch(prepared.view, build, user=growth_user, check_request=none_left, max_time=GROWTH_MAX_TIME)


@requires_app(AUTHTOKEN)
def test_throttle_with_requests_in_the_window(benchmark, time_dispatch, data_set, growth_user, settings, size: int):
    """A throttled TokenAuthentication request that is the user's `size`th of the throttle's window."""
    benchmark.group = GROWTH_GROUP
    prepared = dataclasses.replace(SCHEME[THROTTLED], options=(size,)).prepare(growth_user, PASSWORD, settings)
    record_growth(benchmark, THROTTLED, WINDOW_DATA, size, prepared.view, prepared.request)
    time_dispatch(
        prepared.view,
        prepared.request,
        user=growth_user,
        check_request=prepared.check_request,
        max_time=GROWTH_MAX_TIME,
    )
