"""Measuring a checkout: `pytest --benchmark-only` with raw timings (or counts), saved as a new run into a storage."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path

from benchtools.cli import ToolError
from benchtools.runs import saved_run_paths

# pytest's exit code when nothing was collected or everything was deselected.
NO_TESTS_COLLECTED = 5
PYTEST_USAGE_ERROR = 4

# The pytest processes running now, so that an interrupt can stop those started from other threads.
_running: set[subprocess.Popen] = set()
WAIT_SLICE_SECONDS = 0.5


def measure_checkout(checkout: Path, storage: Path, save_name: str, pytest_args: list[str]) -> Path:
    """Run `pytest --benchmark-only` in `checkout` with this interpreter; return the run file it saved.

    pytest runs with the checkout as its working directory, so pytest-benchmark records
    that checkout's commit. The cache provider is off so the checkout is left as it was.
    """
    before = set(saved_run_paths(storage))
    command = [
        sys.executable, "-m", "pytest", "--benchmark-only", "--benchmark-save-data",
        f"--benchmark-storage={storage}", f"--benchmark-save={save_name}", "-p", "no:cacheprovider",
        *pytest_args,
    ]  # fmt: skip
    # A session of its own: pytest --instructions runs valgrind as a child, which must stop with it.
    with subprocess.Popen(
        command, cwd=checkout, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True
    ) as done:
        _running.add(done)
        try:
            output = done.communicate()[0]
        except BaseException:
            stop(done)
            raise
        finally:
            _running.discard(done)
    if done.returncode == NO_TESTS_COLLECTED:
        raise ToolError(f"{checkout}: no benchmark selected by {' '.join(pytest_args) or 'the defaults'}")
    if done.returncode == PYTEST_USAGE_ERROR and "unrecognized arguments: --instructions" in output:
        raise ToolError(f"{checkout}: this revision has no pytest --instructions to count with: use --measure time")
    if done.returncode != 0:
        print("\n".join(output.splitlines()[-15:]), file=sys.stderr)  # what went wrong, above the error line
        raise ToolError(f"pytest failed with exit code {done.returncode} in {checkout} (its last lines above)")
    saved = [path for path in saved_run_paths(storage) if path not in before and path.stem.endswith(save_name)]
    if len(saved) != 1:
        raise ToolError(f"{checkout}: pytest saved {len(saved)} runs named {save_name} in {storage}, expected 1")
    return saved[0]


def measure_side_by_side(
    jobs: list[tuple[Path, str]], storage: Path, pytest_args: list[str], measure: Callable = measure_checkout
) -> list[Path]:
    """Measure several checkouts at once, each (checkout, save name) with `measure`; their run files in storage.

    For instruction counts only, which do not depend on what else runs: on two cores both
    sides take the time of one. Each run is saved in a storage of its own, then moved into
    `storage` under the next free run number, so two runs never race for one.
    """
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
            for process in list(_running):
                stop(process)
            raise
        return [adopt(path, storage) for path in saved]


def stop(process: subprocess.Popen) -> None:
    """Kill a pytest started by measure_checkout and every process it started."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


def adopt(path: Path, storage: Path) -> Path:
    """Move a saved run into `storage` (same machine folder) as its next run number; nothing is overwritten."""
    folder = storage / path.parent.name
    folder.mkdir(parents=True, exist_ok=True)
    numbers = [int(saved.name[:4]) for saved in saved_run_paths(storage) if saved.parent == folder]
    target = folder / f"{max(numbers, default=0) + 1:04d}_{path.name.split('_', 1)[1]}"
    if target.exists():
        raise ToolError(f"{target}: already exists, not overwritten")
    shutil.move(path, target)
    return target
