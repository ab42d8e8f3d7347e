"""Instruction mode, a pytest plugin (loaded by the top-level conftest.py): `pytest --instructions`.

Outside valgrind, --instructions runs the same pytest again under valgrind's callgrind and
exits with its status. Inside, the harness's `benchmark` fixture counts each measured call
instead of timing it (benchlib/instructions.py), so every benchmark, through the harness's
`time_dispatch` or calling `benchmark(...)` itself, is counted with the same checks of what
it measured; the run is saved as a timed one is, with the counts and how they were made, and
the counts are printed under pytest-benchmark's tables.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest
from pytest_benchmark.stats import Metadata

from benchlib import formatting, instructions
from benchlib.formats.records import extra_info_of

_call_counter = pytest.StashKey[instructions.CallCounter]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--instructions",
        action="store_true",
        help="count each benchmark's CPU instructions under valgrind's callgrind instead of timing it "
        "(runs this pytest again under valgrind; implies --benchmark-only)",
    )


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config) -> int | None:
    """--instructions outside valgrind: run this same pytest under callgrind and exit with its status."""
    if not config.getoption("instructions") or instructions.dump_folder_of_this_process() is not None:
        return None
    if config.getoption("numprocesses", None):
        raise pytest.UsageError("--instructions counts in one process: drop -n")
    if shutil.which("valgrind") is None:
        raise pytest.UsageError("--instructions needs valgrind on PATH (Debian/Ubuntu: apt-get install valgrind)")
    args = list(config.invocation_params.args)
    args += [] if "--benchmark-only" in args else ["--benchmark-only"]
    dump_folder = Path(tempfile.mkdtemp(prefix="drf-auth-bench-callgrind-"))
    try:
        command = instructions.valgrind_command(args, dump_folder)
        environment = instructions.valgrind_environment(dump_folder)
        done = subprocess.run(command, cwd=config.invocation_params.dir, env=environment)
    finally:
        shutil.rmtree(dump_folder, ignore_errors=True)
    return done.returncode


def pytest_configure(config: pytest.Config) -> None:
    dump_folder = instructions.dump_folder_of_this_process()
    if config.getoption("instructions") and dump_folder is not None:
        instructions.use_seeded_random_bytes()
        config.stash[_call_counter] = instructions.CallCounter(dump_folder)


def counting(config: pytest.Config) -> bool:
    """Whether this session counts instructions (--instructions, under callgrind) instead of timing."""
    return _call_counter in config.stash


def call_counter(config: pytest.Config) -> instructions.CallCounter | None:
    """The counter of this session's instructions; None when it times instead."""
    return config.stash.get(_call_counter, None)


def pytest_benchmark_update_machine_info(config: pytest.Config, machine_info: dict[str, Any]) -> None:
    if counting(config):
        machine_info["instructions"] = instructions.run_settings()


def instruction_table(benchmarks: list[Metadata]) -> list[str]:
    """The counts of this session's benchmarks (pytest-benchmark's results), as printed under its tables."""
    rows = [("benchmark", "instructions (median)", "counted calls")]
    for bench in sorted(benchmarks, key=lambda b: (b.group or "", b.fullname)):
        record = extra_info_of(bench.extra_info).instructions
        if record is not None:
            calls = ", ".join(formatting.count(count) for count in record.calls)
            rows.append((formatting.short_name(bench.fullname), formatting.count(record.median), calls))
    return formatting.aligned(rows, rule=True)
