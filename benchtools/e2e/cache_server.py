"""The Redis the cached BasicAuthentication shares between workers: a configured one, or one of the run's own.

A local-memory cache would be per worker process: each worker runs the hasher once
per credential before its own first hit, and a password change or deactivation saved
in one process replaces the user's stamp in that process's cache only, so the other
workers go on serving the old credentials until their entries expire. A shared
cache is what cached_auth is made for; Redis is the one Django ships a backend for.
The run's own server keeps nothing on disk (no snapshot, no append-only file): stopped
and started again, as the Redis drill does, it starts empty.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from benchtools import processes
from benchtools.errors import ToolError

if TYPE_CHECKING:
    import redis

START_TIMEOUT_SECONDS = 10.0


@dataclass
class RedisServer:
    """A redis-server of the run's own on a loopback port, started and stopped (and started again on the same port)."""

    logs: Path
    port: int = 0
    process: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def log(self) -> Path:
        return self.logs / f"redis-{self.port}.log"

    def start(self) -> None:
        """Start on a free port (or its port, if it had one) and return once it answers PING."""
        if shutil.which("redis-server") is None:
            raise ToolError("redis-server not found: install it (apt-get install redis-server) or give --redis-url")
        self.port = self.port or processes.free_port()
        command = ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no"]
        with processes.interrupts_held():  # so that an interrupt never finds the server started but not yet known
            self.process = processes.start_group(command, env={}, log=self.log)
        try:
            _wait_for_ping(self.url, self.process, self.log)
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        if self.process is not None:
            processes.stop_group(self.process)


@contextlib.contextmanager
def own_redis(logs: Path) -> Iterator[RedisServer]:
    """A redis-server of the run's own for the block, stopped after however the block ends."""
    server = RedisServer(logs)
    try:
        server.start()
        yield server
    finally:
        server.stop()


@contextlib.contextmanager
def configured_redis(url: str, key_prefix: str) -> Iterator[str]:
    """A configured Redis for the block; the keys the run wrote under `key_prefix` are deleted after."""
    client = _client(url)
    try:
        yield url
    finally:
        for key in client.scan_iter(match=f"{key_prefix}:*"):
            client.delete(key)


def _client(url: str) -> redis.Redis:
    import redis

    return redis.Redis.from_url(url, socket_timeout=2)


def _wait_for_ping(url: str, process: subprocess.Popen, log: Path) -> None:
    import redis

    client = _client(url)
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while True:
        if process.poll() is not None:
            raise ToolError(f"redis-server exited with {process.returncode}: {processes.log_tail(log)}")
        with contextlib.suppress(redis.exceptions.ConnectionError):
            if client.ping():
                return
        if time.monotonic() > deadline:
            raise ToolError(
                f"redis-server did not answer at {url} in {START_TIMEOUT_SECONDS:g} s: {processes.log_tail(log)}"
            )
        time.sleep(0.05)
