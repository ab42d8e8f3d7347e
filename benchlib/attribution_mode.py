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

from benchlib import instructions
from benchlib.attribution import profile_call
from benchlib.formats.records import recorded
from benchlib.pedantic import MeasuringBenchmark, PedanticCall

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


def pytest_benchmark_update_machine_info(config: pytest.Config, machine_info: dict[str, Any]) -> None:
    if profiling(config):
        machine_info["profiled"] = True  # its timings are of warm-up and profiled calls: nothing to compare


def profiling(config: pytest.Config) -> bool:
    return config.stash.get(_profiling, False)


def profile_one(call: PedanticCall) -> tuple[Any, Any]:
    """The warm-up calls instruction mode makes, then one call profiled; its result and profile."""
    for _ in range(instructions.WARMUP_CALLS):
        call()
    profile, result = call.measured(lambda target, args, kwargs: profile_call(target, args, kwargs)[::-1])
    return result, profile


class ProfilingBenchmark(MeasuringBenchmark):
    """pytest-benchmark's fixture in attribution mode: its measured call profiled (profile_one)."""

    def measure(self, call: PedanticCall) -> Any:
        result, profile = profile_one(call)
        self.extra_info.update(recorded(where=profile))
        return result
