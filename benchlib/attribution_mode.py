"""Attribution mode, a pytest plugin (loaded by the top-level conftest.py): `pytest --attribution`.

Each benchmark's measured call is made after the same uncounted warm-up calls as in instruction
mode, then once more with its work counted per Python function (benchlib/attribution.py); the
profile is saved in the benchmark's extra_info (`where`). No valgrind is needed: bytecode
instructions and calls are counted by the interpreter. `compare` runs it on the benchmarks it
finds slower or faster, on both sides, to say where their instructions went.
"""

from __future__ import annotations

from typing import Any

import pytest
from pytest_benchmark.fixture import BenchmarkFixture

from benchlib import instructions
from benchlib.attribution import profile_call
from benchlib.formats.records import recorded
from benchlib.pedantic import PedanticCall

_profiling = pytest.StashKey[bool]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--attribution",
        action="store_true",
        help="count each benchmark's work per Python function (bytecode instructions and calls) instead of "
        "timing it; the profile is saved in the run (implies --benchmark-only)",
    )


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("attribution"):
        if config.getoption("instructions", False):
            raise pytest.UsageError("--attribution and --instructions measure differently: give one")
        config.option.benchmark_only = config.option.benchmark_enable = True
        instructions.use_seeded_random_bytes()
        config.stash[_profiling] = True


def profiling(config: pytest.Config) -> bool:
    return config.stash.get(_profiling, False)


def profile_one(call: PedanticCall) -> tuple[Any, Any]:
    """The warm-up calls instruction mode makes, then one call profiled; its result and profile."""
    for _ in range(instructions.WARMUP_CALLS):
        call()
    profile, result = call.measured(lambda target, args, kwargs: profile_call(target, args, kwargs)[::-1])
    return result, profile


class ProfilingBenchmark(BenchmarkFixture):
    """pytest-benchmark's fixture in attribution mode: the same fixture, its measured call profiled.

    pytest-benchmark times the whole (warm-up and profiled call) as one round: saved, not compared.
    """

    @classmethod
    def profiling(cls, fixture: BenchmarkFixture) -> ProfilingBenchmark:
        """Make pytest-benchmark's own fixture profile (it must stay that object: its session holds it)."""
        fixture.__class__ = cls
        return fixture  # type: ignore[return-value]

    def __call__(self, function_to_benchmark: Any, *args: Any, **kwargs: Any) -> Any:
        return self.pedantic(function_to_benchmark, args, kwargs)

    def pedantic(
        self, target: Any, args: tuple = (), kwargs: dict | None = None, setup: Any = None, teardown: Any = None,
        rounds: int = 1, warmup_rounds: int = 0, iterations: int = 1,
    ) -> Any:  # fmt: skip
        """As pytest-benchmark's; rounds, warmup_rounds and iterations are for timing only."""

        def profiled() -> Any:
            result, profile = profile_one(PedanticCall(target, args, kwargs or {}, setup, teardown))
            self.extra_info.update(recorded(where=profile))
            return result

        return super().pedantic(profiled)
