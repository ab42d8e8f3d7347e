"""CPU time, read from /proc, to name what slows a server down: its processes, its main threads, the machine.

A sample holds cumulative CPU seconds; the difference of two samples over the wall time
between them is how many cores were busy. A server process's main thread is where uvicorn
runs its event loop; a sync view or a hasher offloaded by asgiref runs in other threads.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from benchtools.processes import members, stat_fields

_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Sample:
    processes: dict[int, float]  # per process of the server's group: CPU seconds of all its threads
    main_threads: dict[int, float]  # per process: CPU seconds of its main thread
    machine_busy: float  # jiffies the machine's cores spent not idle
    machine_total: float


@dataclass(frozen=True)
class Usage:
    server_cores: float  # cores the server's processes used together
    busiest_process_cores: float  # the busiest single process (above 1 needs threads running outside the GIL)
    main_threads_share: float  # the share of the server's CPU spent in its processes' main threads (uvicorn: loops)
    machine_busy: float  # fraction of all the machine's cores busy, every process on it counted


def sample(group: int) -> Sample:
    processes, main_threads = {}, {}
    for pid in members(group):
        fields = stat_fields(Path(f"/proc/{pid}/stat"))
        thread = stat_fields(Path(f"/proc/{pid}/task/{pid}/stat"))
        if fields and thread:
            processes[pid], main_threads[pid] = _cpu_seconds(fields), _cpu_seconds(thread)
    busy, total = _machine_jiffies()
    return Sample(processes, main_threads, busy, total)


def usage(before: Sample, after: Sample, seconds: float) -> Usage:
    """What was used between two samples `seconds` apart; processes that came or went count from zero."""
    per_process = [after.processes[pid] - before.processes.get(pid, 0.0) for pid in after.processes]
    per_main = [after.main_threads[pid] - before.main_threads.get(pid, 0.0) for pid in after.main_threads]
    jiffies = after.machine_total - before.machine_total
    return Usage(
        server_cores=sum(per_process) / seconds,
        busiest_process_cores=max(per_process, default=0.0) / seconds,
        main_threads_share=sum(per_main) / sum(per_process) if sum(per_process) > 0 else 0.0,
        machine_busy=(after.machine_busy - before.machine_busy) / jiffies if jiffies > 0 else 0.0,
    )


def _cpu_seconds(fields: list[str]) -> float:
    # utime and stime, fields 14 and 15 of /proc/<pid>/stat: 12 and 13 after the command name.
    return (int(fields[11]) + int(fields[12])) / _TICKS


def _machine_jiffies() -> tuple[float, float]:
    """The first line of /proc/stat: (not idle, all) jiffies of every core; idle counts iowait."""
    values = [float(value) for value in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)
