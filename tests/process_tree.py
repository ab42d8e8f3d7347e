"""What a tool started, read from /proc, and waiting for what it prints: for the interrupt tests."""

from __future__ import annotations

import select
import subprocess
import time
from pathlib import Path

import pytest

from benchtools import processes


def descendants(pid: int) -> set[int]:
    """Every process below `pid` in the process tree now."""
    parents = {}
    for entry in Path("/proc").iterdir():
        fields = processes.stat_fields(entry / "stat") if entry.name.isdigit() else None
        if fields is not None:
            parents[int(entry.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def command_names(pids: set[int]) -> set[str]:
    names = set()
    for pid in pids:
        try:
            names.add(Path(f"/proc/{pid}/comm").read_text().strip())
        except OSError:
            continue
    return names


def command_lines(pids: set[int]) -> list[str]:
    lines = []
    for pid in pids:
        try:
            lines.append(Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"))
        except OSError:
            continue
    return lines


def alive(pids: set[int]) -> list[int]:
    return sorted(pid for pid in pids if Path(f"/proc/{pid}").exists())


def wait_for_stderr_line(process: subprocess.Popen, prefix: str, timeout: float = 120) -> str:
    """The first line the process prints on stderr that starts with `prefix`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stderr], [], [], 1)
        line = process.stderr.readline() if ready else ""
        if line.startswith(prefix):
            return line
        assert process.poll() is None, f"exited with {process.returncode} before printing {prefix!r}"
    pytest.fail(f"printed no line starting {prefix!r} in {timeout} s")


def wait_for_command(process: subprocess.Popen, words: str, timeout: float = 120) -> set[int]:
    """The process's descendants once the command line of one of them holds `words` (`valgrind`, `-m pip`)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = descendants(process.pid)
        if any(words in line for line in command_lines(found)):
            return found
        assert process.poll() is None, f"exited with {process.returncode} before starting {words!r}"
        time.sleep(0.05)
    pytest.fail(f"started no {words!r} in {timeout} s")
