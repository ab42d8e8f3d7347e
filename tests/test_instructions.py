"""How instruction mode counts a benchmark (benchlib/instructions.py), without valgrind: its calls and checks."""

from __future__ import annotations

import contextlib

import pytest

from benchlib import instructions
from benchlib.instructions import HASHER_CALL_SECONDS, MEASURED_CALLS, WARMUP_CALLS, counted_calls, dumped_total
from benchlib.pedantic import PedanticCall

DUMP = """# callgrind format
version: 1
creator: callgrind-3.19.0
desc: Trigger: Client Request: drf-auth-bench-call-3

positions: line
events: Ir
summary: 0

totals: 395295
"""


class FakeCounter:
    """Stands in for CallCounter: each counted call costs what `costs` says, in order."""

    def __init__(self, costs):
        self.costs = iter(costs)
        self.counted = 0

        self.on = False

    @contextlib.contextmanager
    def instrumented(self):
        self.on = True
        yield
        self.on = False

    def count(self, function, args, kwargs):
        assert self.on, "a call is counted with instrumentation on"
        self.counted += 1
        return next(self.costs), function(*args, **kwargs)


def test_a_dump_gives_the_total_of_the_call_it_names():
    assert dumped_total(DUMP, DUMP[-100:], "drf-auth-bench-call-3") == 395_295


def test_a_dump_of_another_call_is_refused():
    with pytest.raises(RuntimeError, match="drf-auth-bench-call-4"):
        dumped_total(DUMP, DUMP[-100:], "drf-auth-bench-call-4")


def test_each_call_gets_fresh_arguments_and_is_checked_and_only_the_last_calls_count():
    made, checked = [], []

    def setup():
        made.append(len(made))
        return (made[-1],), {}

    costs = [120, *range(100, 100 + MEASURED_CALLS - 1)]
    counter = FakeCounter(costs)
    result, counts = counted_calls(counter, PedanticCall(lambda n: n * 2, setup=setup, teardown=checked.append))
    assert made == list(range(WARMUP_CALLS + MEASURED_CALLS)) and checked == made and result == 2 * made[-1]
    assert counter.counted == MEASURED_CALLS and counts == costs[:MEASURED_CALLS]


def test_a_call_that_runs_a_hashers_work_factor_is_counted_once_after_one_warm_up(monkeypatch):
    clock = iter([0.0, HASHER_CALL_SECONDS])  # the first, uncounted call took this much processor time
    monkeypatch.setattr(instructions.time, "process_time", lambda: next(clock))
    counter = FakeCounter([7_000_000_000])
    calls = []
    result, counts = counted_calls(counter, PedanticCall(lambda: calls.append(1) or "done"))
    assert counts == [7_000_000_000] and len(calls) == 2 and counter.counted == 1 and result == "done"


def test_pytest_runs_under_callgrind_with_instrumentation_off_until_asked_and_a_fixed_hash_seed(tmp_path):
    command = instructions.valgrind_command(["benchmarks", "-k", "x"], tmp_path)
    assert command[:4] == ["valgrind", "--tool=callgrind", "--instr-atstart=no", "--dump-line=no"]
    assert command[-6:] == ["pytest", "benchmarks", "-k", "x", "-p", "no:codspeed"]
    environment = instructions.valgrind_environment(tmp_path)
    assert environment["PYTHONHASHSEED"] == instructions.HASH_SEED and "CODSPEED_ENV" in environment
