"""The servers benchsite is measured under, each started on a free loopback port and stopped whatever happens.

gunicorn with sync workers: one request per process at a time, the classic WSGI deployment.
gunicorn with gthread workers: each process serves several requests in threads.
uvicorn: Django's ASGI handler on an asyncio event loop per process; a sync view (every
DRF view) runs in a thread of its own per request (asgiref's ThreadSensitiveContext).
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from benchsite.database_settings import CONNECTIONS_VARIABLE, PER_REQUEST
from benchtools import processes
from benchtools.errors import ToolError
from benchtools.processes import free_port

READY_PATH = "/e2e/none/"
START_ATTEMPTS = 3
# What gunicorn and uvicorn log when their port is taken.
PORT_TAKEN = ("address already in use", "connection in use")
START_TIMEOUT_SECONDS = 60.0  # every worker imports Django first, and shares the cores with the others


@dataclass(frozen=True)
class ServerKind:
    name: str
    description: str

    def command(self, port: int, workers: int, threads: int) -> list[str]:
        if self.name == "uvicorn":
            return [
                sys.executable, "-m", "uvicorn", "benchsite.asgi:application",
                "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
                "--lifespan", "off", "--no-access-log", "--log-level", "warning",
                "--timeout-graceful-shutdown", "2",
            ]  # fmt: skip
        worker_class = "gthread" if self.name == "gunicorn-gthread" else "sync"
        return [
            sys.executable, "-m", "gunicorn", "benchsite.wsgi:application",
            "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--worker-class", worker_class,
            "--threads", str(threads if worker_class == "gthread" else 1),
            # A worker is killed after --timeout s without a heartbeat; a queue of logins must not trip it.
            "--timeout", "300", "--graceful-timeout", "2", "--log-level", "warning",
        ]  # fmt: skip

    def shape(self, workers: int, threads: int) -> str:
        """How many requests it serves at once, in words: `2 processes x 4 threads`."""
        if self.name == "gunicorn-gthread":
            return f"{workers} processes × {threads} threads"
        if self.name == "uvicorn":
            return f"{workers} processes, an event loop each"
        return f"{workers} processes"


SERVERS = {
    kind.name: kind
    for kind in (
        ServerKind("gunicorn-sync", "gunicorn, sync workers (WSGI)"),
        ServerKind("gunicorn-gthread", "gunicorn, gthread workers (WSGI, threads)"),
        ServerKind("uvicorn", "uvicorn (ASGI)"),
    )
}


@dataclass
class Server:
    """A started server: its group leader's process and the port it listens on."""

    kind: ServerKind
    workers: int
    threads: int
    env: dict[str, str]
    logs: Path
    port: int = 0
    process: subprocess.Popen | None = None

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    @property
    def connections(self) -> str:
        """How its workers handle their database connections (benchsite.database_settings.CONNECTIONS)."""
        return self.env.get(CONNECTIONS_VARIABLE, PER_REQUEST)

    @property
    def leader(self) -> subprocess.Popen:
        """Its group leader's process, once launched."""
        if self.process is None:
            raise RuntimeError(f"{self.kind.name} is not launched")
        return self.process

    @property
    def group(self) -> int:
        return self.leader.pid

    @property
    def log(self) -> Path:
        return self.logs / f"{self.kind.name}-{self.port}.log"

    def start(self) -> None:
        """Start on a free port and return once it answers; if it never does, stop it and raise a ToolError."""
        self.launch()
        self.wait_until_answering()

    def launch(self) -> None:
        """Start on a free port, without waiting for it to answer."""
        self.port = free_port()
        command = self.kind.command(self.port, self.workers, self.threads)
        with processes.interrupts_held():  # so that an interrupt never finds a server started but not yet known
            self.process = processes.start_group(command, env=self.env, log=self.log)

    def wait_until_answering(self) -> None:
        """Return once it answers; if it never does, stop it and raise a ToolError quoting its log.

        A free port is free when chosen, not always when the server binds it: any process's
        outgoing connection may take it meanwhile. A server that could not bind its port is
        started again on another.
        """
        for attempt in range(1, START_ATTEMPTS + 1):
            try:
                wait_until_answering(self)
                return
            except PortTaken:
                self.stop()
                if attempt == START_ATTEMPTS:
                    raise ToolError(f"{self.kind.name} found no free port in {START_ATTEMPTS} tries") from None
                self.launch()
            except BaseException:
                self.stop()
                raise

    def stop(self) -> None:
        if self.process is not None:
            processes.stop_group(self.process)

    def restart(self) -> None:
        """A fresh server, for work the last one still has queued (requests whose clients have gone)."""
        self.stop()
        self.start()


class PortTaken(Exception):
    """The server exited because its port was taken between choosing it and binding it."""


@contextlib.contextmanager
def serving(
    kinds: list[ServerKind], *, workers: int, threads: int, env: dict[str, str], logs: Path
) -> Iterator[list[Server]]:
    """`kinds` serving benchsite, started together, until the block ends; every process of them is gone after."""
    servers = [Server(kind, workers, threads, env, logs) for kind in kinds]
    try:
        for server in servers:
            server.launch()
        for server in servers:
            server.wait_until_answering()
        yield servers
    finally:
        processes.stop_groups([server.process for server in servers if server.process is not None])


def wait_until_answering(server: Server, timeout: float = START_TIMEOUT_SECONDS) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if server.leader.poll() is not None:
            said = processes.log_tail(server.log)
            if any(words in said.lower() for words in PORT_TAKEN):
                raise PortTaken(said)
            raise ToolError(f"{server.kind.name} exited with {server.leader.returncode}: {said}")
        try:
            with urllib.request.urlopen(server.url(READY_PATH), timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() > deadline:
            waited = f"{server.kind.name} did not answer on port {server.port} in {timeout:g} s"
            raise ToolError(f"{waited}: {processes.log_tail(server.log)}")
        time.sleep(0.05)
