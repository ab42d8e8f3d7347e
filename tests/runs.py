"""Run the suite in a subprocess, as a user would, and read what it saved."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_pytest(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        # hypothesis's plugin takes a second to import and these runs have no use for it.
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:hypothesispytest", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def short_benchmark_run(tmp_path: Path, *args: str) -> tuple[subprocess.CompletedProcess, Path]:
    """A quick timed run (one round per benchmark) saved to tmp_path, never to the repo's storage."""
    storage = tmp_path / "storage"
    result = run_pytest(
        "--benchmark-only",
        "--benchmark-min-rounds=1",
        "--benchmark-max-time=0",
        f"--benchmark-storage={storage}",
        *args,
    )
    return result, storage


def saved_runs(storage: Path) -> list[Path]:
    return sorted(storage.glob("*/*.json"))


def load(path: Path) -> dict:
    return json.loads(path.read_text())
