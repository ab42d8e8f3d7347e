"""Measuring a checkout: `pytest --benchmark-only` with raw timings, saved as a new run into a given storage."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from benchtools.cli import ToolError
from benchtools.runs import saved_run_paths

# pytest's exit code when nothing was collected or everything was deselected.
NO_TESTS_COLLECTED = 5


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
    done = subprocess.run(command, cwd=checkout, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if done.returncode == NO_TESTS_COLLECTED:
        raise ToolError(f"{checkout}: no benchmark selected by {' '.join(pytest_args) or 'the defaults'}")
    if done.returncode != 0:
        print("\n".join(done.stdout.splitlines()[-15:]), file=sys.stderr)  # what went wrong, above the error line
        raise ToolError(f"pytest failed with exit code {done.returncode} in {checkout} (its last lines above)")
    saved = [path for path in saved_run_paths(storage) if path not in before and path.stem.endswith(save_name)]
    if len(saved) != 1:
        raise ToolError(f"{checkout}: pytest saved {len(saved)} runs named {save_name} in {storage}, expected 1")
    return saved[0]
