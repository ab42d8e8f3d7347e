"""Instruction counts: each measured call run under valgrind's callgrind, counted between client requests.

A count of the CPU instructions a call executes does not depend on the machine's load, so a
change of 1% shows where wall time on a shared machine cannot tell 20%. The process runs
under `valgrind --tool=callgrind --instr-atstart=no`: nothing is counted until the client
request issued right before the measured call, and counting stops right after it. The client
requests go through pytest-codspeed's maintained binding (`InstrumentHooks`), which needs
CODSPEED_ENV set; its pytest plugin, which that variable also switches on, is turned off
(`-p no:codspeed`) so pytest-benchmark and this suite's harness measure as in timed mode.

What makes two processes agree: a fixed hash seed (dict and set order); random bytes from a
seeded generator instead of the operating system (password salts, session keys, tokens and
UUIDs made anywhere in the session change what later calls hash and allocate); the garbage
collector run before and disabled during each measured call (a collection inside a call adds
much to it); the same uncounted warm-up calls first (CPython specialises code over its first
calls); CPython's method cache emptied before each counted call (how often a call misses it
depends on where earlier calls left objects); and the median of several counted calls, since
one call's count still moves a little with the interpreter's own state (its specialiser
retrying an instruction, its allocator). What remains is the folder the code runs from: the
length of its path changes the size of every path string the process keeps, and with it where
later objects are placed, which moves counts systematically. Processes in folders whose paths
have one length agree; compare runs both sides so (docs/compare.md). Address-space randomisation changes no count,
so valgrind runs without `setarch -R`; no cache is simulated, so cache sizes do not matter.
"""

from __future__ import annotations

import contextlib
import gc
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pytest_benchmark.fixture import BenchmarkFixture

from benchlib.formats.records import InstructionCounts, recorded
from benchlib.pedantic import MeasuringBenchmark, PedanticCall

# Uncounted calls before the counted ones: CPython 3.11+ specialises a function's bytecode
# after it has run a few times, and the first calls fill caches (URL resolver, settings).
WARMUP_CALLS = 10
# Counted calls; their median is the benchmark's count (odd, so it is one of them): a call now and then
# costs more than its neighbours, and the first after the warm-up often does, which the median leaves out.
MEASURED_CALLS = 9
# A first call taking this much processor time under valgrind runs a password hasher's work
# factor (PBKDF2 at Django's default iterations executes billions of instructions, and takes a
# minute counted). Such a call is counted once, after that one warm-up call: its count is the
# hasher's loop, which its parameters set.
HASHER_CALL_SECONDS = 1.0
HASH_SEED = "0"
# --dump-line=no: a dump per counted call, without per-line costs, is written and read faster.
VALGRIND_OPTIONS = ("--tool=callgrind", "--instr-atstart=no", "--dump-line=no", "--quiet")

# Set by the launching pytest for the one under valgrind: the folder callgrind dumps into.
DUMP_FOLDER_VARIABLE = "DRF_AUTH_BENCH_CALLGRIND_DIR"


def valgrind_version() -> str | None:
    """`valgrind-3.19.0`, or None when valgrind is not on PATH."""
    if shutil.which("valgrind") is None:
        return None
    done = subprocess.run(["valgrind", "--version"], capture_output=True, text=True)
    return done.stdout.strip() or None


def valgrind_command(pytest_args: list[str], dump_folder: Path) -> list[str]:
    """The command that runs pytest with `pytest_args` under callgrind, dumping into `dump_folder`."""
    return [
        "valgrind",
        *VALGRIND_OPTIONS,
        f"--callgrind-out-file={dump_folder}/callgrind.out.%p",
        sys.executable,
        "-m",
        "pytest",
        *pytest_args,
        "-p",
        "no:codspeed",
    ]


def valgrind_environment(dump_folder: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONHASHSEED": HASH_SEED,
        "CODSPEED_ENV": "drf-auth-bench",
        DUMP_FOLDER_VARIABLE: str(dump_folder),
    }


# Seed of the generator that replaces os.urandom in the counted process.
RANDOM_SEED = 0


def use_seeded_random_bytes() -> None:
    """Make os.urandom, and so `secrets`, `random.SystemRandom` and `uuid.uuid4`, return seeded bytes.

    For the process counted under valgrind only: its randomness is then the same in every run.
    """
    generator = random.Random(RANDOM_SEED)

    def seeded_urandom(size: int) -> bytes:
        return generator.randbytes(size)

    os.urandom = seeded_urandom
    random._urandom = seeded_urandom  # type: ignore[attr-defined]  # what SystemRandom, and so `secrets`, draws from


def dump_folder_of_this_process() -> Path | None:
    """The dump folder when this process is the pytest started under callgrind, else None."""
    folder = os.environ.get(DUMP_FOLDER_VARIABLE)
    return Path(folder) if folder else None


def run_settings() -> dict:
    """What a saved run records of how its counts were made."""
    return {
        "valgrind": valgrind_version() or "?",
        "valgrind_options": list(VALGRIND_OPTIONS),
        "python_hash_seed": os.environ.get("PYTHONHASHSEED", ""),
        "random_bytes_seed": RANDOM_SEED,
        "warmup_calls": WARMUP_CALLS,
        "measured_calls": MEASURED_CALLS,
    }


@dataclass(frozen=True)
class Dump:
    name: str  # the client request's label, which callgrind writes into the dump
    path: Path


class CallCounter:
    """Counts the instructions of one call at a time; the process must run under callgrind.

    Instrumentation is on for a series of counted calls (`instrumented()`) and each call is
    delimited by two dumps (see `count`): zeroing the counters before a call instead left
    the first call of a series ~10,000 instructions below the others.
    """

    def __init__(self, dump_folder: Path):
        from pytest_codspeed.instruments.hooks import InstrumentHooks

        self.hooks = InstrumentHooks()
        if not self.hooks.is_instrumented():
            raise RuntimeError("not running under valgrind's callgrind: instructions cannot be counted")
        self.dump_folder = dump_folder
        self.dumps = 0

    @contextlib.contextmanager
    def instrumented(self) -> Iterator[None]:
        self.hooks.callgrind_start_instrumentation()
        try:
            yield
        finally:
            self.hooks.callgrind_stop_instrumentation()

    def count(self, function: Callable, args: tuple, kwargs: dict) -> tuple[int, object]:
        """Call `function` once with the collector run before and off during it; its instructions and result.

        Must run within `instrumented()`. A dump resets callgrind's counters, so the call is
        counted from a dump right before it to one right after it.
        """
        was_enabled = gc.isenabled()
        gc.collect()
        # What survives is never traversed again, so the next collection costs what one benchmark
        # allocated: a full collection of a test session's heap takes seconds under valgrind.
        gc.freeze()
        gc.disable()
        # CPython's method cache is indexed by where attribute names lie in memory, so what earlier
        # calls left in it, and so how often this call misses it, differs between processes. Each
        # counted call starts with it empty instead: the same misses in every process.
        sys._clear_type_cache()
        before, after = self.next_dump(), self.next_dump()
        try:
            self.hooks.set_executed_benchmark(before.name)  # dumps (and so resets) the counts so far
            try:
                result = function(*args, **kwargs)
            finally:
                self.hooks.set_executed_benchmark(after.name)  # dumps the counts of the call
        finally:
            if was_enabled:
                gc.enable()
        before.path.unlink(missing_ok=True)
        return self.read_dump(after), result

    def next_dump(self) -> Dump:
        """The file callgrind writes its next dump to."""
        self.dumps += 1
        return Dump(f"drf-auth-bench-call-{self.dumps}", self.dump_folder / f"callgrind.out.{os.getpid()}.{self.dumps}")

    def read_dump(self, dump: Dump) -> int:
        try:
            with dump.path.open("rb") as file:
                head = file.read(DUMP_ENDS)
                file.seek(max(0, file.seek(0, os.SEEK_END) - DUMP_ENDS))
                tail = file.read()
        finally:
            dump.path.unlink(missing_ok=True)
        return dumped_total(head.decode(errors="replace"), tail.decode(errors="replace"), dump.name)


# A dump names its trigger near its start and ends with its totals; what lies between
# (the cost of every function called) is not read.
DUMP_ENDS = 4096


def dumped_total(head: str, tail: str, label: str) -> int:
    """The instruction count of a callgrind dump triggered by the client request `label`, from its two ends."""
    if f"desc: Trigger: Client Request: {label}" not in head.splitlines():
        raise RuntimeError(f"callgrind dump is not the one of {label}")
    for line in tail.splitlines():
        if line.startswith("totals:"):
            return int(line.split()[1])
    raise RuntimeError(f"callgrind dump of {label} has no totals line")


def counted_calls(counter: CallCounter, call: PedanticCall) -> tuple[object, list[int]]:
    """Warm-up calls, then the counted calls, each as pytest-benchmark's pedantic mode makes it.

    A hasher-bound call (see HASHER_CALL_SECONDS) has one warm-up call and one counted call.
    """
    started = time.process_time()
    result = call()
    if time.process_time() - started >= HASHER_CALL_SECONDS:
        with counter.instrumented():
            count, result = call.measured(counter.count)
        return result, [count]
    for _ in range(WARMUP_CALLS - 1):
        call()
    counts = []
    with counter.instrumented():
        for _ in range(MEASURED_CALLS):
            instructions, result = call.measured(counter.count)
            counts.append(instructions)
    return result, counts


class CountingBenchmark(MeasuringBenchmark):
    """pytest-benchmark's fixture in instruction mode: each measured call counted (counted_calls)."""

    call_counter: CallCounter

    @classmethod
    def counting(cls, fixture: BenchmarkFixture, counter: CallCounter) -> CountingBenchmark:
        counting = cls.replacing(fixture)
        counting.call_counter = counter
        return counting

    def measure(self, call: PedanticCall) -> Any:
        result, counts = counted_calls(self.call_counter, call)
        self.extra_info.update(recorded(instructions=InstructionCounts(statistics.median_low(counts), counts)))
        return result
