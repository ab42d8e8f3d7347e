"""What the figures of a run depend on: the machine, its load, the versions; and the commit measured."""

from __future__ import annotations

import importlib.metadata
import os
import platform
import subprocess
from pathlib import Path

from benchtools.e2e.records import Machine

PACKAGES = ("django", "djangorestframework", "djangorestframework-simplejwt", "gunicorn", "uvicorn", "redis")


def describe(load_before: tuple[float, float, float]) -> Machine:
    versions = {package: importlib.metadata.version(package) for package in PACKAGES}
    versions["wrk"] = _first_line(["wrk", "--version"]).split(" [")[0].removeprefix("wrk ")
    versions["redis-server"] = next(
        (word[2:] for word in _first_line(["redis-server", "--version"]).split() if word.startswith("v=")), "?"
    )
    return Machine(
        node=platform.node(),
        cores=os.cpu_count() or 1,
        cpu=_cpu_model(),
        python=platform.python_version(),
        load_average_before=load_before,
        load_average_after=load_average(),
        versions=versions,
    )


def load_average() -> tuple[float, float, float]:
    return tuple(round(value, 2) for value in os.getloadavg())  # type: ignore[return-value]


def commit(root: Path) -> str:
    """The commit measured, `+dirty` if the work tree has changes; `unknown` outside git."""
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True)
    if head.returncode != 0:
        return "unknown"
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"], cwd=root, capture_output=True, text=True
    )
    return head.stdout.strip() + ("+dirty" if status.stdout.strip() else "")


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.partition(":")[2].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def _first_line(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    return ((done.stdout or done.stderr).strip().splitlines() or ["?"])[0]
