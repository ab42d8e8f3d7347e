"""Measuring a checkout: `pytest --benchmark-only` with raw timings (or counts), saved as a new run into a storage.

Each pytest leads a process group of its own (benchtools.processes): pytest --instructions
runs valgrind as a child, and an interrupt stops the group whole, leaving no pytest or
valgrind behind.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from benchtools import processes
from benchtools.errors import ToolError
from benchtools.storage import adopt, saved_run_paths

WAIT_SLICE_SECONDS = 0.5


@dataclass(frozen=True)
class Checkout:
    """Where a side's benchmarks run: the suite's folder, the Python that runs them, and what its environment adds."""

    folder: Path
    python: str = sys.executable
    environment: dict[str, str] = field(default_factory=dict)


class Running:
    """The pytest process groups running now, so that an interrupt can stop those started from other threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._leaders: set[subprocess.Popen] = set()

    def add(self, leader: subprocess.Popen) -> None:
        with self._lock:
            self._leaders.add(leader)

    def discard(self, leader: subprocess.Popen) -> None:
        with self._lock:
            self._leaders.discard(leader)

    def stop_all(self) -> None:
        with self._lock:
            leaders = list(self._leaders)
        processes.stop_groups(leaders)


_running = Running()


def measure_checkout(checkout: Checkout, storage: Path, save_name: str, pytest_args: list[str]) -> Path:
    """Run `pytest --benchmark-only` in the checkout; return the run file it saved.

    pytest runs with the checkout as its working directory, so pytest-benchmark records
    that checkout's commit. The cache provider is off so the checkout is left as it was.
    """
    before = set(saved_run_paths(storage))
    command = [
        checkout.python, "-m", "pytest", "--benchmark-only", "--benchmark-save-data",
        f"--benchmark-storage={storage}", f"--benchmark-save={save_name}", "-p", "no:cacheprovider",
        *pytest_args,
    ]  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="benchtools-pytest-") as logs:
        log = Path(logs) / "pytest.log"
        environment = {**os.environ, **checkout.environment}
        with processes.group(command, env=environment, log=log, cwd=checkout.folder) as leader:
            _running.add(leader)
            try:
                returncode = leader.wait()
            finally:
                _running.discard(leader)
        output = log.read_text(errors="replace")
    if returncode == pytest.ExitCode.NO_TESTS_COLLECTED:
        raise ToolError(f"{checkout.folder}: no benchmark selected by {' '.join(pytest_args) or 'the defaults'}")
    if returncode == pytest.ExitCode.USAGE_ERROR and "unrecognized arguments: --instructions" in output:
        raise ToolError(
            f"{checkout.folder}: this revision has no pytest --instructions to count with: use --measure time"
        )
    if returncode != pytest.ExitCode.OK:
        print("\n".join(output.splitlines()[-15:]), file=sys.stderr)  # what went wrong, above the error line
        raise ToolError(f"pytest failed with exit code {returncode} in {checkout.folder} (its last lines above)")
    saved = [path for path in saved_run_paths(storage) if path not in before and path.stem.endswith(save_name)]
    if len(saved) != 1:
        raise ToolError(f"{checkout.folder}: pytest saved {len(saved)} runs named {save_name} in {storage}, expected 1")
    return saved[0]


# What measures one checkout into a storage under a save name: measure_checkout, or a stand-in in tests.
CheckoutMeasurer = Callable[[Checkout, Path, str, list[str]], Path]


def measure_side_by_side(
    jobs: list[tuple[Checkout, str]], storage: Path, pytest_args: list[str], measure: CheckoutMeasurer | None = None
) -> list[Path]:
    """Measure several checkouts at once, each (checkout, save name) with `measure`; their run files in storage.

    For instruction counts only, which do not depend on what else runs: on two cores both
    sides take the time of one. Each run is saved in a storage of its own, then moved into
    `storage` under the next free run number, so two runs never race for one.
    """
    measure = measure or measure_checkout
    with tempfile.TemporaryDirectory(prefix="benchtools-runs-") as private, ThreadPoolExecutor(len(jobs)) as pool:
        futures = [
            pool.submit(measure, checkout, Path(private) / str(index), save_name, pytest_args)
            for index, (checkout, save_name) in enumerate(jobs)
        ]
        try:
            # Waiting in short slices: a signal is handled in this thread only between them.
            while wait(futures, timeout=WAIT_SLICE_SECONDS).not_done:
                pass
            saved = [future.result() for future in futures]
        except BaseException:
            _running.stop_all()
            raise
        return [adopt(path, storage) for path in saved]
