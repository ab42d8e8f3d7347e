"""What the figures of a run depend on: the machine, its load, the versions; and the commit measured.

The machine and the commit are read as pytest-benchmark reads them for its own runs.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import os
import subprocess
from pathlib import Path

from pytest_benchmark.plugin import pytest_benchmark_generate_machine_info
from pytest_benchmark.utils import get_commit_info

from benchlib.formats.e2e_run import LoadAverage, Machine
from benchlib.formats.records import CommitInfo

PACKAGES = ("django", "djangorestframework", "djangorestframework-simplejwt", "gunicorn", "uvicorn", "redis")


def describe(load_before: LoadAverage) -> Machine:
    info = pytest_benchmark_generate_machine_info()
    versions = {package: importlib.metadata.version(package) for package in PACKAGES}
    versions["wrk"] = _first_line(["wrk", "--version"]).split(" [")[0].removeprefix("wrk ")
    versions["redis-server"] = next(
        (word[2:] for word in _first_line(["redis-server", "--version"]).split() if word.startswith("v=")), "?"
    )
    return Machine(
        node=info["node"] or "?",
        cores=os.cpu_count() or 1,
        cpu=info["cpu"].get("brand_raw") or info["processor"] or "?",
        python=info["python_version"],
        load_average_before=load_before,
        load_average_after=load_average(),
        versions=versions,
    )


def load_average() -> LoadAverage:
    one, five, fifteen = (round(value, 2) for value in os.getloadavg())
    return one, five, fifteen


def commit(root: Path) -> CommitInfo:
    """The commit of the checkout at `root`, and whether its work tree had changes."""
    with contextlib.chdir(root):
        info = get_commit_info()
    return CommitInfo(info["id"], info["dirty"])


def _first_line(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    return ((done.stdout or done.stderr).strip().splitlines() or ["?"])[0]
