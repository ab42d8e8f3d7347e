"""The measuring harness: a pytest plugin (loaded by the top-level conftest.py) on top of pytest-benchmark.

It selects the hashers a run measures (--hashers; default: the settings' PASSWORD_HASHERS),
records in every saved run what the timings depend on, times a view dispatch with a fresh
request per round (`time_dispatch`) and checks after every round that it timed the intended
outcome, and prints the scheme table under pytest-benchmark's own tables. Its `benchmark`
fixture is pytest-benchmark's, kept for those tables, and counting instructions instead of
timing in instruction mode (benchlib.instruction_mode).
"""

from __future__ import annotations

import importlib.metadata
import math
import platform
import ssl
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import django
import pytest
import rest_framework
from django.contrib.auth import hashers as django_hashers
from django.http import HttpResponseBase
from packaging.utils import canonicalize_name
from pytest_benchmark.fixture import BenchmarkFixture
from rest_framework.test import APIRequestFactory

from benchlib import growth
from benchlib.attribution_mode import ProfilingBenchmark, profiling
from benchlib.credentials import PASSWORD, basic_header
from benchlib.databases import database_record
from benchlib.formats.benchmark_run import FORMAT_VERSION, FORMAT_VERSION_KEY
from benchlib.formats.json_files import as_builtins
from benchlib.hashers import UnknownHasher, configured_hashers, hasher_parameters, parse_hasher_names, preferring
from benchlib.instruction_mode import call_counter, counting, instruction_table
from benchlib.instructions import CountingBenchmark
from benchlib.scheme_table import measured_in_session, scheme_table
from benchlib.users import create_user

if TYPE_CHECKING:
    from pytest_benchmark.stats import Metadata
    from pytest_django import DjangoDbBlocker
    from pytest_django.fixtures import Settings

    from benchlib.users import User

_made_hashes = pytest.StashKey[dict[str, str]]()
_used_fixtures = pytest.StashKey[list[BenchmarkFixture]]()
_selected_hashers = pytest.StashKey[list[str]]()
_database = pytest.StashKey[dict[str, Any]]()
_growth_sizes = pytest.StashKey[growth.GrowthSizes]()

# What a timed view takes: a Django request, or a WSGI environ for a handler with its middleware.
RequestT = TypeVar("RequestT")

# The packages whose versions a saved run records beside Django's and Python's.
RECORDED_PACKAGES = ("argon2-cffi", "argon2-cffi-bindings", "bcrypt")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--hashers",
        default=None,
        help="comma-separated hashers to measure, by algorithm name (default: every one in the "
        "settings' PASSWORD_HASHERS, so --ds myproject.settings measures that project's hashers)",
    )
    parser.addoption(
        "--growth-sizes",
        default=None,
        metavar="SIZES",
        help="the sizes the growth benchmarks (-m growth) make of what each scheme reads: `large` adds 100,000 and "
        "1,000,000 rows and 10,000 tokens per user to each one's own sizes (made once, minutes); comma-separated "
        "numbers replace them",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "each_hasher_tested: the test run too runs it for every selected hasher, not the quickest only"
    )
    # pytest.ini disables benchmarks so that plain `pytest` is the quick test run;
    # asking for --benchmark-only is asking for timings.
    if config.getoption("benchmark_only"):
        config.option.benchmark_enable = True
    if not timing(config):
        cheapen_djangos_hashers()
    config.stash[_used_fixtures] = []
    try:
        config.stash[_made_hashes] = {}
        configured = list(configured_hashers())
        names = parse_hasher_names(config.getoption("hashers") or ",".join(configured), configured)
    except UnknownHasher as error:
        raise pytest.UsageError(f"--hashers: {error}") from None
    config.stash[_selected_hashers] = names
    try:
        config.stash[_growth_sizes] = growth.GrowthSizes.parse(config.getoption("growth_sizes"))
    except ValueError as error:
        raise pytest.UsageError(f"--growth-sizes: {error}") from None


def growth_sizes(config: pytest.Config) -> growth.GrowthSizes:
    """The sizes this session's growth benchmarks make (--growth-sizes)."""
    return config.stash[_growth_sizes]


def selected_hashers(config: pytest.Config) -> list[str]:
    """The hashers this session measures (--hashers), by algorithm name."""
    return config.stash[_selected_hashers]


def timing(config: pytest.Config) -> bool:
    """Whether this session times benchmarks; if not, it is the test run, where each benchmark runs once."""
    return bool(config.getoption("benchmark_enable")) or not config.getoption("benchmark_disable")


# Django's hashers at their cheapest valid work factors (Argon2's memory is per lane: 8 KiB x 8).
CHEAPEST_WORK: dict[type[django_hashers.BasePasswordHasher], dict[str, int]] = {
    django_hashers.PBKDF2PasswordHasher: {"iterations": 1_000},
    django_hashers.Argon2PasswordHasher: {"time_cost": 1, "memory_cost": 64},
    django_hashers.BCryptSHA256PasswordHasher: {"rounds": 4},
    # django-stubs 5.2 does not declare ScryptPasswordHasher (Django has it since 4.0; django-stubs 6 does).
    django_hashers.ScryptPasswordHasher: {"work_factor": 2**4},  # type: ignore[attr-defined,unused-ignore]
}
# What the installed Django sets them to, as timed runs use them.
DJANGOS_WORK = {cls: {name: getattr(cls, name) for name in parameters} for cls, parameters in CHEAPEST_WORK.items()}


def cheapen_djangos_hashers() -> None:
    """The test run proves paths, and no path depends on a hasher's work factor: there Django's own
    hashers (and subclasses that keep their parameters) run at their cheapest, which makes the run
    minutes shorter. Timed runs always use the configured parameters."""
    for hasher_class, parameters in CHEAPEST_WORK.items():
        for name, value in parameters.items():
            setattr(hasher_class, name, value)


def quickest_hasher(names: list[str]) -> str:
    return "md5" if "md5" in names else names[0]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "hasher_name" in metafunc.fixturenames:
        names = selected_hashers(metafunc.config)
        if not timing(metafunc.config) and not metafunc.definition.get_closest_marker("each_hasher_tested"):
            # The test run proves each path once: which path a request takes does not depend on the hasher.
            names = [quickest_hasher(names)]
        metafunc.parametrize("hasher_name", names, ids=names)


def pytest_benchmark_update_machine_info(config: pytest.Config, machine_info: dict[str, Any]) -> None:
    """Record what the timings depend on, so a saved run explains itself."""
    machine_info["versions"] = {
        "django": django.get_version(),
        "djangorestframework": rest_framework.VERSION,
        "python": platform.python_version(),
        "openssl": ssl.OPENSSL_VERSION,
        **{package: importlib.metadata.version(package) for package in RECORDED_PACKAGES},
    }
    machine_info["packages"] = installed_packages()
    machine_info["hashers"] = {name: hasher_parameters(encoded) for name, encoded in config.stash[_made_hashes].items()}
    if _database in config.stash:
        machine_info["database"] = config.stash[_database]
    machine_info[FORMAT_VERSION_KEY] = FORMAT_VERSION


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: DjangoDbBlocker, pytestconfig: pytest.Config) -> None:
    """pytest-django's test databases, and the record of the default one for the saved run (only a run
    whose benchmarks use the database makes them, and records it)."""
    from django.db import connection

    with django_db_blocker.unblock():
        pytestconfig.stash[_database] = as_builtins(database_record(connection))


def installed_packages() -> dict[str, str]:
    """Every distribution installed where the run ran, by normalized name: what a dependency comparison reports."""
    found = {
        canonicalize_name(dist.metadata["Name"]): dist.version
        for dist in importlib.metadata.distributions()
        if dist.metadata["Name"]
    }
    return dict(sorted(found.items()))


@pytest.fixture
def benchmark(benchmark: BenchmarkFixture, pytestconfig: pytest.Config) -> BenchmarkFixture:
    """pytest-benchmark's fixture, kept for the tables; in instruction mode it counts each measured call."""
    pytestconfig.stash[_used_fixtures].append(benchmark)
    counter = call_counter(pytestconfig)
    if counter is not None:
        return CountingBenchmark.counting(benchmark, counter)
    return ProfilingBenchmark.replacing(benchmark) if profiling(pytestconfig) else benchmark


def measured(config: pytest.Config) -> list[Metadata]:
    """pytest-benchmark's results (its `Metadata`) of the benchmarks this session timed or counted."""
    return [fixture.stats for fixture in config.stash.get(_used_fixtures, []) if fixture.stats is not None]


@pytest.hookimpl(trylast=True)  # after pytest-benchmark's own tables
def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    results = measured(config)
    if not results:
        return
    # A benchmark whose check failed in its first round has no rounds to report.
    session = measured_in_session(result for result in results if result.stats.data)
    series = growth.series_of(session)
    if counting(config):
        terminalreporter.write_sep("-", "instructions per call (callgrind; the times above are under valgrind)")
        terminalreporter.write_line("\n".join(instruction_table(results)))
    else:
        table = scheme_table(session, growth=growth.growth_column(series))
        if table:
            terminalreporter.write_sep("-", "auth schemes, cheapest first (python -m benchtools schemes RUN.json)")
            terminalreporter.write_line(table)
    if series:
        how = "" if all(each.instructions for each in series) else " (times; pytest --instructions counts)"
        terminalreporter.write_sep("-", f"how each scheme's cost grows with what it reads, steepest first{how}")
        terminalreporter.write_line(growth.growth_table(series))


@pytest.fixture(scope="session")
def password_hash_for(pytestconfig: pytest.Config) -> Callable[[str], str]:
    """Return the session's hash of PASSWORD made by a hasher, at the configured parameters."""
    from django.contrib.auth.hashers import make_password

    made = pytestconfig.stash[_made_hashes]

    def hash_for(hasher_name: str) -> str:
        if hasher_name not in made:
            made[hasher_name] = make_password(PASSWORD, hasher=hasher_name)
        return made[hasher_name]

    return hash_for


@pytest.fixture
def prefer_hasher(settings: Settings) -> Callable[[str], None]:
    """Make a hasher the preferred one, so a login verifies without re-hashing the password."""

    def prefer(hasher_name: str) -> None:
        settings.PASSWORD_HASHERS = preferring(hasher_name, settings.PASSWORD_HASHERS)

    return prefer


@pytest.fixture
def primary_hasher(pytestconfig: pytest.Config) -> str:
    """The hasher of benchmarks that need one real hasher: the first selected (the project's preferred
    one by default); in the test run the quickest, since only the path is proven there."""
    names = selected_hashers(pytestconfig)
    return names[0] if timing(pytestconfig) else quickest_hasher(names)


@pytest.fixture
def user_with_hasher(
    db: None, hasher_name: str, password_hash_for: Callable[[str], str], prefer_hasher: Callable[[str], None]
) -> User:
    """A user whose stored password PASSWORD was made by `hasher_name`, that hasher preferred."""
    prefer_hasher(hasher_name)
    return create_user(f"user-{hasher_name}", password_hash_for(hasher_name))


@pytest.fixture
def primary_user(
    db: None, primary_hasher: str, password_hash_for: Callable[[str], str], prefer_hasher: Callable[[str], None]
) -> User:
    """A user whose stored password PASSWORD was made by the primary hasher, that hasher preferred."""
    prefer_hasher(primary_hasher)
    return create_user(f"user-{primary_hasher}", password_hash_for(primary_hasher))


class HeaderFor(Protocol):
    """What basic_header_for returns: the Basic header for a user and a password."""

    def __call__(self, user: User, password: str = PASSWORD) -> str: ...


@pytest.fixture
def basic_header_for() -> HeaderFor:
    """Return the Basic `Authorization` header for a user and PASSWORD (or another password)."""

    def header_for(user: User, password: str = PASSWORD) -> str:
        return basic_header(user.get_username(), password)

    return header_for


@pytest.fixture
def api_factory() -> APIRequestFactory:
    return APIRequestFactory()


@pytest.fixture
def record_hasher(benchmark: BenchmarkFixture) -> Callable[[str], None]:
    """Store a hasher's name and the parameters of the hash it is timed on in extra_info."""

    def record(encoded: str) -> None:
        benchmark.extra_info["hasher"] = encoded.split("$", 1)[0]
        benchmark.extra_info["hasher_parameters"] = hasher_parameters(encoded)

    return record


class TimeDispatch(Protocol):
    """What time_dispatch returns: it times `view(request)` and returns the last response."""

    def __call__(
        self,
        view: Callable[[RequestT], HttpResponseBase],
        build_request: Callable[[], RequestT],
        *,
        status: int = 200,
        user: object | None = None,
        check_request: Callable[[RequestT], None] | None = None,
        max_time: float = ...,
        min_rounds: int = ...,
    ) -> HttpResponseBase: ...


@pytest.fixture
def time_dispatch(benchmark: BenchmarkFixture, pytestconfig: pytest.Config) -> TimeDispatch:
    """Time `view(request)` with a fresh request, built outside the timer, for every round.

    Each round's request is checked after the timer stops: the status, and the
    user that authentication put on it, so a fast 401 is never timed as a success;
    `check_request(request)`, if given, asserts more (e.g. which API key let it in).
    A module with many slow rows may pass a smaller max_time and min_rounds.
    """
    max_time = float(pytestconfig.getoption("benchmark_max_time"))  # as pytest-benchmark's own calibration
    min_rounds: int = pytestconfig.getoption("benchmark_min_rounds")

    def run(
        view: Callable[[RequestT], HttpResponseBase],
        build_request: Callable[[], RequestT],
        *,
        status: int = 200,
        user: object | None = None,
        check_request: Callable[[RequestT], None] | None = None,
        max_time: float = max_time,
        min_rounds: int = min_rounds,
    ) -> HttpResponseBase:
        def check(request: RequestT, response: HttpResponseBase | None = None) -> None:
            if response is not None:
                assert response.status_code == status, getattr(response, "content", response)
            authenticated = getattr(request, "user", None)  # None: a WSGI environ, or no authentication ran
            if user is not None:
                assert authenticated == user, f"expected {user!r}, got {authenticated!r}"
            elif status == 200 and authenticated is not None:
                assert not authenticated.is_authenticated
            if check_request is not None:  # e.g. the API key or OAuth2 application a request was let in with
                check_request(request)

        calibrate = not (benchmark.disabled or counting(pytestconfig))  # a count's calls are fixed
        rounds = rounds_filling(max_time, min_rounds, view, build_request, check) if calibrate else 1
        last: dict[str, RequestT] = {}

        def setup() -> tuple[tuple[RequestT], dict[str, Any]]:
            last["request"] = build_request()
            return (last["request"],), {}

        response: HttpResponseBase = benchmark.pedantic(view, setup=setup, teardown=check, rounds=rounds)
        check(last["request"], response)
        return response

    return run


# A dispatch this slow runs a hasher: what its first call costs extra (loading, caches) is noise beside it.
SLOW_DISPATCH_SECONDS = 0.1


def rounds_filling(
    max_time: float,
    min_rounds: int,
    view: Callable[[RequestT], HttpResponseBase],
    build_request: Callable[[], RequestT],
    check: Callable[[RequestT, HttpResponseBase], None],
) -> int:
    """How many rounds of one dispatch fill --benchmark-max-time, from untimed, checked tries.

    The first call may load middleware or fill caches, so the second try counts; a slow first
    try counts at once.
    """
    for _ in range(2):
        request = build_request()
        started = time.perf_counter()
        response = view(request)
        duration = time.perf_counter() - started
        check(request, response)
        if duration >= SLOW_DISPATCH_SECONDS:
            break
    return max(min_rounds, math.ceil(max_time / duration))
