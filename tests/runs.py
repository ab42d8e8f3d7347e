"""Run the suite in a subprocess, as a user would, and read what it saved."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Example projects, importable as a team's project is: with this folder on PYTHONPATH.
PROJECTS = ROOT / "tests" / "projects"


def outside_this_session(pythonpath: Path | None = None) -> dict[str, str]:
    """This process's environment without what pytest and pytest-xdist set for the session running it,
    so that a pytest started from a test (in an xdist worker or not) is a session of its own;
    `pythonpath` is put on PYTHONPATH, as a project is when the suite measures it."""
    environment = {
        name: value for name, value in os.environ.items() if not name.startswith(("PYTEST_XDIST", "PYTEST_CURRENT"))
    }
    if pythonpath is not None:
        environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(pythonpath), environment.get("PYTHONPATH")]))
    return environment


def run_pytest(*args: str, cwd: Path = ROOT, pythonpath: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        # hypothesis's plugin takes a second to import and these runs have no use for it.
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:hypothesispytest", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env=outside_this_session(pythonpath),
    )


def short_benchmark_run(
    tmp_path: Path, *args: str, pythonpath: Path | None = None
) -> tuple[subprocess.CompletedProcess, Path]:
    """A quick timed run (one round per benchmark) saved to tmp_path, never to the repo's storage."""
    storage = tmp_path / "storage"
    result = run_pytest(
        "--benchmark-only",
        "--benchmark-min-rounds=1",
        "--benchmark-max-time=0",
        f"--benchmark-storage={storage}",
        *args,
        pythonpath=pythonpath,
    )
    return result, storage


def saved_runs(storage: Path) -> list[Path]:
    return sorted(storage.glob("*/*.json"))


def load(path: Path) -> dict:
    return json.loads(path.read_text())
