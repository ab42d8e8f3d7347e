"""The sweep: for each scheme a server serves, wrk at each concurrency for `duration` seconds, one Row each.

Before each point the server must be quiet: a login queue left by the last point (requests
whose client has gone are still served by gunicorn, and their hashes still run in uvicorn's
threads) would slow the next one down. A server still busy after SETTLE_SECONDS is restarted.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchlib.auth_schemes import GOOD_STATUS, ServedScheme
from benchlib.formats.e2e_run import Row
from benchtools.e2e import cpu, load
from benchtools.e2e.check import status_of
from benchtools.e2e.servers import Server

SETTLE_SECONDS = 2.0
QUIET_CORES = 0.1  # a server using less CPU than this has nothing left to do
QUIET_WINDOW_SECONDS = 0.25
WARM_UP_SECONDS = 1  # each worker imports what a scheme's first request needs


@dataclass(frozen=True)
class Driver:
    """How wrk drives the servers in a run: seconds per point, patience, connections kept alive or not."""

    duration: int  # whole seconds: wrk's unit
    timeout: float
    keep_alive: bool  # False: `Connection: close` on every request, a connection per request
    log: Path

    def run(self, server: Server, path: str, headers: dict[str, str], connections: int, seconds: int = 0) -> load.Load:
        """wrk for `seconds` (default: a point's duration), to the end."""
        return load.run(
            server.url(path),
            self.headers(headers),
            connections=connections,
            seconds=seconds or self.duration,
            timeout=self.timeout,
            log=self.log,
        )

    def start(
        self, server: Server, path: str, headers: dict[str, str], connections: int, seconds: int
    ) -> subprocess.Popen:
        """wrk in the background; finish() waits for it."""
        return load.start(
            server.url(path),
            self.headers(headers),
            connections=connections,
            seconds=seconds,
            timeout=self.timeout,
            log=self.log,
        )

    def finish(self, process: subprocess.Popen) -> load.Load:
        return load.finish(process, self.log)

    def headers(self, headers: dict[str, str]) -> dict[str, str]:
        return headers if self.keep_alive else {**headers, "Connection": "close"}


def sweep(
    server: Server,
    schemes: list[ServedScheme],
    concurrencies: list[int],
    credentials: dict[str, dict[str, dict[str, str]]],
    driver: Driver,
    progress: Callable[[Row], None],
) -> list[Row]:
    rows = []
    for scheme in schemes:
        headers = credentials[scheme.name]["good"]
        warm_up(server, scheme.path, headers, driver)
        for concurrency in concurrencies:
            if settle(server):
                warm_up(server, scheme.path, headers, driver)
            measured = driver.run(server, scheme.path, headers, concurrency)
            row = Row(
                server=server.kind.name,
                scheme=scheme.name,
                concurrency=concurrency,
                requests_per_second=measured.requests_per_second(GOOD_STATUS),
                p50_ms=measured.p50_ms,
                p99_ms=measured.p99_ms,
                errors=measured.errors(GOOD_STATUS),
                statuses={str(code): count for code, count in measured.statuses.items()},
                load_generator_cores=measured.client_cores,
                connections=server.connections,
            )
            progress(row)
            rows.append(row)
    return rows


def warm_up(server: Server, path: str, headers: dict[str, str], driver: Driver) -> None:
    """One request, then a second of requests on one connection per worker process, none recorded; then
    wait until quiet. The single request first fills a shared cache before the workers race to."""
    status_of(server.url(path), headers)
    driver.run(server, path, headers, server.workers, seconds=WARM_UP_SECONDS)
    settle(server)


def settle(server: Server) -> bool:
    """Wait until the server uses (almost) no CPU; restart it if it is still busy after SETTLE_SECONDS.

    Returns whether it was restarted (and so is cold).
    """
    deadline = time.monotonic() + SETTLE_SECONDS
    while True:
        before = cpu.sample(server.group)
        time.sleep(QUIET_WINDOW_SECONDS)
        used = cpu.usage(before, cpu.sample(server.group), QUIET_WINDOW_SECONDS)
        if used.server_cores < QUIET_CORES:
            return False
        if time.monotonic() > deadline:
            server.restart()
            return True
