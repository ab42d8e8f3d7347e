"""What logins do to the requests served beside them, and why: latency alone, with logins, with idle waits.

Per server: wrk sends requests without authentication (`concurrency` connections) alone;
then again while `logins` connections send Basic logins (and, under ASGI, the async views'
logins); then while the same number of connections send requests that only sleep as long
as a login took. The idle waits hold a worker (a process, or a thread) exactly as long as a
login but use no CPU: if they slow the other requests as much, the cause is the workers
being taken; if only logins do, it is what the hash uses: the CPU, the GIL (a process using
one core at most), or the event loop (under uvicorn, most of the server's CPU spent in the
processes' main threads, where the loops run, rather than in the threads sync code runs in).
The server's CPU is read from /proc while the unauthenticated requests run.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from benchlib.auth_schemes import GOOD_STATUS, SERVED_SCHEMES, ServedScheme
from benchlib.formats.e2e_run import Interference
from benchtools import processes
from benchtools.e2e import cpu, load
from benchtools.e2e.servers import Server
from benchtools.e2e.sweep import Driver, settle, warm_up

LEAD_SECONDS = 1  # logins start this long before the measured requests, so that hashes are under way
SLOWER = 1.5  # p50 more than this many times its value alone: interference
LOOP_SHARE = 0.6  # under uvicorn, this share of the server's CPU in main threads: the loops do the hashing
CPU_BUSY = 0.9  # the machine's cores busy this fraction of the time: no CPU to spare
ONE_CORE = 0.9  # a process using about one core at most, with the machine not busy: the GIL
WAIT = "wait"
UNAUTHENTICATED = SERVED_SCHEMES["none"].path


@dataclass(frozen=True)
class Measured:
    unauthenticated: load.Load
    beside: load.Load
    used: cpu.Usage


def interference(
    server: Server,
    login_schemes: list[ServedScheme],
    credentials: dict,
    driver: Driver,
    *,
    concurrency: int,
    logins: int,
    progress: Callable[[Interference], None],
) -> list[Interference]:
    """One row per login scheme, and one for idle waits as long as the first scheme's logins (the control)."""
    settle(server)
    alone = driver.run(server, UNAUTHENTICATED, {}, concurrency)
    measured: dict[str, Measured] = {}
    for scheme in login_schemes:
        headers = credentials[scheme.name]["good"]
        warm_up(server, scheme.path, headers, driver)
        measured[scheme.name] = beside(server, scheme.path, headers, driver, concurrency, logins)
    login_ms = measured[login_schemes[0].name].beside.p50_ms or 0.0
    measured[WAIT] = beside(server, f"/e2e/wait/?ms={login_ms:.0f}", {}, driver, concurrency, logins)
    rows = []
    for name, found in measured.items():
        row = as_row(server, name, alone, found, measured[WAIT], concurrency, logins)
        progress(row)
        rows.append(row)
    return rows


def beside(
    server: Server, path: str, headers: dict[str, str], driver: Driver, concurrency: int, connections: int
) -> Measured:
    """Requests without authentication while `connections` connections send requests to `path`."""
    settle(server)
    with processes.interrupts_held():  # so that an interrupt never finds wrk started but not yet known
        background = driver.start(server, path, headers, connections, LEAD_SECONDS + driver.duration + LEAD_SECONDS)
    try:
        time.sleep(LEAD_SECONDS)
        before, started = cpu.sample(server.group), time.monotonic()
        unauthenticated = driver.run(server, UNAUTHENTICATED, {}, concurrency)
        used = cpu.usage(before, cpu.sample(server.group), time.monotonic() - started)
    finally:
        beside_load = driver.finish(background)
    return Measured(unauthenticated, beside_load, used)


def as_row(
    server: Server, name: str, alone: load.Load, found: Measured, waits: Measured, concurrency: int, logins: int
) -> Interference:
    return Interference(
        server=server.kind.name,
        beside=name,
        concurrency=concurrency,
        beside_concurrency=logins,
        alone_requests_per_second=alone.requests_per_second(GOOD_STATUS),
        alone_p50_ms=alone.p50_ms,
        alone_p99_ms=alone.p99_ms,
        requests_per_second=found.unauthenticated.requests_per_second(GOOD_STATUS),
        p50_ms=found.unauthenticated.p50_ms,
        p99_ms=found.unauthenticated.p99_ms,
        beside_per_second=found.beside.requests_per_second(GOOD_STATUS),
        beside_p50_ms=found.beside.p50_ms,
        server_cores=found.used.server_cores,
        busiest_process_cores=found.used.busiest_process_cores,
        main_threads_share=found.used.main_threads_share,
        machine_busy=found.used.machine_busy,
        cause=cause(server.kind.name, alone.p50_ms, found, waits),
        connections=server.connections,
    )


def cause(server: str, alone_p50: float | None, found: Measured, waits: Measured) -> str:
    """What slowed the unauthenticated requests, named from what was measured (see the module's docstring)."""
    slowdown = _ratio(found.unauthenticated.p50_ms, alone_p50)
    if slowdown is None:
        return "not named: no request answered"
    if slowdown < SLOWER:
        return f"none: p50 within {SLOWER:g}× of alone"
    used = found.used
    if server == "uvicorn" and used.main_threads_share >= LOOP_SHARE:
        return f"the event loop: {used.main_threads_share:.0%} of the server's CPU ran on it (the hasher)"
    waits_slowdown = _ratio(waits.unauthenticated.p50_ms, alone_p50) or 0.0
    if waits_slowdown >= max(SLOWER, slowdown / 2):
        pool = "worker processes" if server == "gunicorn-sync" else "threads"
        return f"the {pool}: all taken, requests queue (idle waits slow them {waits_slowdown:.1f}×)"
    if used.machine_busy >= CPU_BUSY:
        return (
            f"CPU: cores {used.machine_busy:.0%} busy, {used.server_cores:.2f} of them the server's "
            f"(idle waits slow them {waits_slowdown:.1f}×)"
        )
    if server != "gunicorn-sync" and used.busiest_process_cores >= ONE_CORE:
        return f"the GIL: the busiest process used {used.busiest_process_cores:.2f} cores, the machine was not busy"
    return f"not named: {slowdown:.1f}× slower, no saturated resource measured"


def _ratio(value: float | None, baseline: float | None) -> float | None:
    return value / baseline if value is not None and baseline else None
