"""Load from wrk: a fixed number of connections, each sending its next request when the last one is answered.

wrk (C, epoll, one thread here) is the load generator: it is packaged by Debian, keeps
connections alive as clients do (gunicorn's sync workers close theirs; wrk reconnects),
and spends a small fraction of a core per thousand requests, so on a 2-core machine it
takes little from the server it drives (each row records the cores it used). Its Lua
hooks count every response's status code, so that a fast 401 is never taken as served.
Latency percentiles come from wrk's histogram of every answered request; a request still
unanswered when the point ends is in none of them.
"""

from __future__ import annotations

import dataclasses
import json
import os
import resource
import shutil
import subprocess
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchtools import processes
from benchtools.errors import ToolError

SCRIPT = Path(__file__).with_name("wrk_report.lua")
RESULT_MARK = "E2E-RESULT "


@dataclass(frozen=True)
class Load:
    """What one wrk run saw."""

    seconds: float
    statuses: dict[int, int]  # status code -> responses
    socket_errors: int  # connections refused or reset, reads and writes failed, requests timed out
    p50_ms: float | None  # None: no response at all
    p99_ms: float | None
    client_cores: float = 0.0  # CPU wrk used, in cores

    def served(self, expected: int) -> int:
        return self.statuses.get(expected, 0)

    def requests_per_second(self, expected: int) -> float:
        return self.served(expected) / self.seconds

    def errors(self, expected: int) -> int:
        """Every request not answered with `expected`: other statuses and socket errors."""
        return sum(self.statuses.values()) - self.served(expected) + self.socket_errors


def wrk_command(url: str, connections: int, seconds: int, timeout: float) -> list[str]:
    if shutil.which("wrk") is None:
        raise ToolError("wrk not found: install it (apt-get install wrk)")
    return [
        "wrk", "--threads", "1", "--connections", str(connections), "--duration", f"{seconds}s",
        "--timeout", f"{timeout:g}s", "--script", str(SCRIPT), url,
    ]  # fmt: skip


def wrk_env(headers: dict[str, str]) -> dict[str, str]:
    lines = "\n".join(f"{name}: {value}" for name, value in headers.items())
    return {"PATH": os.environ.get("PATH", ""), "DRF_AUTH_BENCH_WRK_HEADERS": lines}


def start(
    url: str, headers: dict[str, str], *, connections: int, seconds: int, timeout: float, log: Path
) -> subprocess.Popen:
    """Start wrk in a process group of its own (so the run can stop it); finish() waits for its result."""
    return processes.start_group(
        wrk_command(url, connections, seconds, timeout), env=wrk_env(headers), log=log, stdout=subprocess.PIPE
    )


def finish(process: subprocess.Popen, log: Path) -> Load:
    try:
        output, _ = process.communicate()
    finally:
        processes.stop_group(process)
    return parse(output.decode(errors="replace"), process.returncode, log)


def started(starting: Callable[[], subprocess.Popen]) -> subprocess.Popen:
    """wrk started by `starting` with interrupts held; an interrupt held meanwhile stops it, then is raised."""
    process = None
    try:
        with processes.interrupts_held():  # so that an interrupt never finds wrk started but not yet known
            process = starting()
    except BaseException:
        if process is not None:
            processes.stop_group(process)
        raise
    return process


def run(url: str, headers: dict[str, str], *, connections: int, seconds: int, timeout: float, log: Path) -> Load:
    """One wrk run to the end; the CPU it used is read from this process's reaped children."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    process = started(lambda: start(url, headers, connections=connections, seconds=seconds, timeout=timeout, log=log))
    load = finish(process, log)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    used = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return dataclasses.replace(load, client_cores=used / load.seconds)


def parse(output: str, returncode: int | None, log: Path) -> Load:
    """The E2E-RESULT line of wrk's output; anything else is a ToolError naming wrk's log."""
    lines = [line for line in output.splitlines() if line.startswith(RESULT_MARK)]
    if returncode != 0 or len(lines) != 1:
        raise ToolError(f"wrk exited with {returncode} and no result: {processes.log_tail(log)}")
    result = json.loads(lines[0][len(RESULT_MARK) :])
    statuses: Counter[int] = Counter()
    for per_thread in result["statuses"]:
        statuses.update({int(code): count for code, count in per_thread.items()})
    answered = sum(statuses.values())
    return Load(
        seconds=result["duration_us"] / 1e6,
        statuses=dict(sorted(statuses.items())),
        socket_errors=sum(result[kind] for kind in ("connect", "read", "write", "timeout")),
        p50_ms=result["p50_us"] / 1000 if answered else None,
        p99_ms=result["p99_us"] / 1000 if answered else None,
    )
