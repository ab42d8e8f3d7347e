"""Fixtures and hooks shared by benchmarks/ and tests/.

Password hashes are made once per session (that is the expensive part); users are
cheap rows made per test from those hashes, so a test that empties the database
cannot take them away from the next one.
"""

from __future__ import annotations

import functools
import importlib.metadata
import math
import platform
import ssl
import time

import django
import pytest
import rest_framework
from rest_framework.test import APIRequestFactory

from benchsite.credentials import basic_header
from benchsite.hashers import UnknownHasher, configured_hashers, hasher_parameters, parse_hasher_names, preferring

PASSWORD = "correct horse battery staple"
WRONG_PASSWORD = "correct horse battery stapler"

_made_hashes = pytest.StashKey[dict]()


def pytest_addoption(parser):
    parser.addoption(
        "--hashers",
        default=None,
        help="comma-separated hashers to measure, by algorithm name (default: every one in the "
        "settings' PASSWORD_HASHERS, so --ds myproject.settings measures that project's hashers)",
    )


def pytest_configure(config):
    # pytest.ini disables benchmarks so that plain `pytest` is the quick test run;
    # asking for --benchmark-only is asking for timings.
    if config.getoption("benchmark_only"):
        config.option.benchmark_enable = True
    try:
        config.stash[_made_hashes] = {}
        configured = list(configured_hashers())
        config.selected_hashers = parse_hasher_names(config.getoption("hashers") or ",".join(configured), configured)
    except UnknownHasher as error:
        raise pytest.UsageError(f"--hashers: {error}") from None


def pytest_generate_tests(metafunc):
    if "hasher_name" in metafunc.fixturenames:
        names = metafunc.config.selected_hashers
        metafunc.parametrize("hasher_name", names, ids=names)


def pytest_benchmark_update_machine_info(config, machine_info):
    """Record what the timings depend on, so a saved run explains itself."""
    machine_info["versions"] = {
        "django": django.get_version(),
        "djangorestframework": rest_framework.VERSION,
        "python": platform.python_version(),
        "openssl": ssl.OPENSSL_VERSION,
        "argon2-cffi": importlib.metadata.version("argon2-cffi"),
        "argon2-cffi-bindings": importlib.metadata.version("argon2-cffi-bindings"),
        "bcrypt": importlib.metadata.version("bcrypt"),
    }
    machine_info["hashers"] = {
        name: hasher_parameters(encoded) for name, encoded in config.stash[_made_hashes].items()
    }


@pytest.fixture(scope="session")
def password_hash_for(pytestconfig):
    """Return the session's hash of PASSWORD made by a hasher, at Django's default parameters."""
    from django.contrib.auth.hashers import make_password

    made = pytestconfig.stash[_made_hashes]

    def hash_for(hasher_name: str) -> str:
        if hasher_name not in made:
            made[hasher_name] = make_password(PASSWORD, hasher=hasher_name)
        return made[hasher_name]

    return hash_for


@pytest.fixture
def prefer_hasher(settings):
    """Make a hasher the preferred one, so a login verifies without re-hashing the password."""

    def prefer(hasher_name: str) -> None:
        settings.PASSWORD_HASHERS = preferring(hasher_name, settings.PASSWORD_HASHERS)

    return prefer


@pytest.fixture
def user_with_hasher(db, hasher_name, password_hash_for, prefer_hasher, django_user_model):
    """A user whose stored password PASSWORD was made by `hasher_name`, that hasher preferred."""
    prefer_hasher(hasher_name)
    return django_user_model.objects.create(
        username=f"user-{hasher_name}", password=password_hash_for(hasher_name)
    )


@pytest.fixture
def basic_header_for():
    """Return the Basic `Authorization` header for a user and PASSWORD (or another password)."""

    def header_for(user, password: str = PASSWORD) -> str:
        return basic_header(user.get_username(), password)

    return header_for


@pytest.fixture
def scheme_user(db, django_user_model, password_hash_for):
    """A user whose password PASSWORD is hashed with Django's default hasher, as in a new project."""
    return django_user_model.objects.create(username="scheme-user", password=password_hash_for("pbkdf2_sha256"))


@pytest.fixture
def api_factory():
    return APIRequestFactory()


@pytest.fixture
def record_hasher(benchmark):
    """Store a hasher's name and the parameters of the hash it is timed on in extra_info."""

    def record(encoded: str) -> None:
        benchmark.extra_info["hasher"] = encoded.split("$", 1)[0]
        benchmark.extra_info["hasher_parameters"] = hasher_parameters(encoded)

    return record


@pytest.fixture
def time_dispatch(benchmark, pytestconfig):
    """Time `view(request)` with a fresh request, built outside the timer, for every round.

    Each round's request is checked after the timer stops: the status, and the
    user that authentication put on it, so a fast 401 is never timed as a success;
    `check_request(request)`, if given, asserts more (e.g. which API key let it in).
    A module with many slow rows may pass a smaller max_time and min_rounds.
    """
    max_time = float(pytestconfig.getoption("benchmark_max_time"))  # as pytest-benchmark's own calibration
    min_rounds = pytestconfig.getoption("benchmark_min_rounds")

    def run(
        view, build_request, *, status=200, user=None, check_request=None, max_time=max_time, min_rounds=min_rounds
    ):
        def check(request, response=None):
            if response is not None:
                assert response.status_code == status, response.content
            if user is not None:
                assert getattr(request, "user", None) == user, f"expected {user!r}, got {request.user!r}"
            elif status == 200 and hasattr(request, "user"):
                assert not request.user.is_authenticated
            if check_request is not None:  # e.g. the API key or OAuth2 application a request was let in with
                check_request(request)

        rounds = 1 if benchmark.disabled else rounds_filling(max_time, min_rounds, view, build_request, check)
        last = {}

        def setup():
            last["request"] = build_request()
            return (last["request"],), {}

        response = benchmark.pedantic(view, setup=setup, teardown=check, rounds=rounds)
        check(last["request"], response)
        return response

    return run


def rounds_filling(max_time, min_rounds, view, build_request, check) -> int:
    """How many rounds of one dispatch fill --benchmark-max-time, from a warm, checked, untimed try."""
    request = build_request()
    check(request, view(request))  # the first call may load middleware or fill caches
    request = build_request()
    started = time.perf_counter()
    response = view(request)
    duration = time.perf_counter() - started
    check(request, response)
    return max(min_rounds, math.ceil(max_time / duration))


@pytest.fixture
def fast_user(db, password_hash_for, prefer_hasher, django_user_model):
    """A user whose password PASSWORD is stored as MD5, that hasher preferred.

    For tests that authenticate many times (hypothesis): a check costs microseconds, and
    an unknown username's decoy hash (ModelBackend runs the preferred hasher) is MD5 too.
    """
    prefer_hasher("md5")
    return django_user_model.objects.create(username="user-fast", password=password_hash_for("md5"))


class PasswordChecks:
    """How many times a password was verified (django.contrib.auth's check_password called)."""

    def __init__(self):
        self.count = 0


@pytest.fixture
def password_checks(monkeypatch):
    """Count password verifications, proving which path a request took (a cache hit runs none).

    A plain wrapper rather than a Mock: it adds well under a microsecond, and only on
    paths that run a hasher anyway.
    """
    from django.contrib.auth import base_user

    checks = PasswordChecks()
    verify = base_user.check_password

    def counting_check_password(*args, **kwargs):
        checks.count += 1
        return verify(*args, **kwargs)

    monkeypatch.setattr(base_user, "check_password", counting_check_password)
    return checks


@pytest.fixture(params=["locmem", "redis"])
def auth_cache(request, settings):
    """The cache benchsite.auth's cached authentication uses for a test: empty, and emptied after.

    "locmem" is settings' default cache; "redis" is a real server, when
    DRF_AUTH_BENCH_REDIS_URL is set (otherwise skipped), under a key prefix of the test's own
    so that nothing else using the same Redis database is touched.
    """
    from django.core.cache import caches

    if request.param == "redis":
        settings.CACHES = {**settings.CACHES, "redis": redis_cache_config(settings)}
    settings.AUTH_CACHE_ALIAS = request.param if request.param == "redis" else "default"
    cache = caches[settings.AUTH_CACHE_ALIAS]
    forget_all(cache)  # and, with Redis configured but not running, an error rather than a skip
    yield cache
    forget_all(cache)


def redis_cache_config(settings) -> dict:
    """settings' Redis cache under a key prefix of its own; skips the test if Redis is not configured.

    `settings`: pytest-django's fixture, or django.conf.settings outside a test function.
    """
    import uuid

    if "redis" not in settings.CACHES:
        pytest.skip(f"Redis not configured: set {settings.REDIS_URL_VARIABLE}=redis://127.0.0.1:6379/15 to run")
    return {**settings.CACHES["redis"], "KEY_PREFIX": f"drf-auth-bench-test-{uuid.uuid4().hex}"}


def forget_all(cache) -> None:
    """Delete every key in `cache`: for Redis, only those under its key prefix (no FLUSHDB)."""
    from django.core.cache.backends.redis import RedisCache

    if isinstance(cache, RedisCache):
        client = cache._cache.get_client(write=True)
        for key in client.scan_iter(match=cache.make_key("*")):
            client.delete(key)
    else:
        cache.clear()


# Saved-run fixtures for the benchtools tests (tests/test_runs.py, test_compare.py, test_history.py).


@pytest.fixture
def run_storage(tmp_path):
    """An empty pytest-benchmark storage folder for one test."""
    return tmp_path / ".benchmarks"


@pytest.fixture
def save_run(run_storage):
    """Save a synthetic pytest-benchmark run into `run_storage`; returns its path (see tests/saved_runs.py)."""
    from tests.saved_runs import write_run

    return functools.partial(write_run, run_storage)
