"""The Redis the cached BasicAuthentication shares between workers: a configured one, or one of the run's own.

A local-memory cache would be per worker process: each worker runs the hasher once
per credential before its own first hit, and a password change or deactivation saved
in one process replaces the user's stamp in that process's cache only, so the other
workers go on serving the old credentials until their entries expire. A shared
cache is what cached_auth is made for; Redis is the one Django ships a backend for.
"""

from __future__ import annotations

import contextlib
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

from benchtools import processes
from benchtools.errors import ToolError

START_TIMEOUT_SECONDS = 10.0


@contextlib.contextmanager
def redis_for_run(configured_url: str | None, key_prefix: str, logs: Path) -> Iterator[str]:
    """A Redis URL for the run; the run's own server is stopped after, a configured one keeps only other keys."""
    if configured_url:
        client = _client(configured_url)
        try:
            yield configured_url
        finally:
            for key in client.scan_iter(match=f"{key_prefix}:*"):
                client.delete(key)
        return
    if shutil.which("redis-server") is None:
        raise ToolError("redis-server not found: install it (apt-get install redis-server) or give --redis-url")
    port = processes.free_port()
    log = logs / f"redis-{port}.log"
    command = ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"]
    with processes.group(command, env={}, log=log) as process:
        url = f"redis://127.0.0.1:{port}/0"
        _wait_for_ping(url, process, log)
        yield url


def _client(url: str):
    import redis

    return redis.Redis.from_url(url, socket_timeout=2)


def _wait_for_ping(url: str, process, log: Path) -> None:
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
