"""Everything the servers share, made before any starts: the database, the Redis, the environment; removed after."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from benchsite.database_settings import CONNECTIONS_VARIABLE, DATABASE_URL_VARIABLE
from benchtools.e2e.cache_server import RedisServer, configured_redis, own_redis
from benchtools.e2e.database import SQLITE_FILE_VARIABLE, DatabaseChoice, ServedDatabase, served_database
from benchtools.errors import ToolError

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = "benchsite.settings_served"
REDIS_URL_VARIABLE = "DRF_AUTH_BENCH_REDIS_URL"  # benchsite.settings reads the same
RESPONSE_LOG_VARIABLE = "DRF_AUTH_BENCH_RESPONSE_LOG"  # benchsite.settings_served reads the same


@dataclass(frozen=True)
class Stage:
    env: dict[str, str]  # the servers' environment
    logs: Path
    credentials: dict[str, dict[str, dict[str, str]]]  # scheme -> "good"/"bad" -> request headers
    database: ServedDatabase
    redis: RedisServer | None  # the run's own, or None: a configured one

    def env_for(self, connections: str) -> dict[str, str]:
        """The servers' environment, their connections handled as `connections` says (database_settings)."""
        return {**self.env, CONNECTIONS_VARIABLE: connections}


@contextlib.contextmanager
def staged(
    *, hasher_class: str | None, redis_url: str | None, database: DatabaseChoice, response_log: bool = False
) -> Iterator[Stage]:
    """A fresh database with the user and their credentials, and a Redis, for one run.

    With `response_log`, every server records each response it gives in the folder's responses.log
    (benchsite.response_log).
    """
    with tempfile.TemporaryDirectory(prefix="drf-auth-bench-e2e-") as directory:
        logs = Path(directory)
        prefix = f"e2e-{uuid.uuid4().hex[:12]}"
        with served_database(database, logs) as served, redis_for_run(redis_url, prefix, logs) as (url, redis):
            env = {
                **{name: value for name, value in os.environ.items() if not inherited_wrongly(name)},
                "DJANGO_SETTINGS_MODULE": SETTINGS,
                "PYTHONPATH": str(ROOT),
                REDIS_URL_VARIABLE: url,
                "DRF_AUTH_BENCH_CACHE_PREFIX": prefix,
                **served.env,
            }
            if hasher_class:
                env["DRF_AUTH_BENCH_PREFERRED_HASHER"] = hasher_class
            if response_log:
                env[RESPONSE_LOG_VARIABLE] = str(logs / "responses.log")
            yield Stage(env, logs, make_accounts(env), served, redis)


def inherited_wrongly(name: str) -> bool:
    """What the servers must not take from this process's environment: pytest's and Django's, and a database
    other than the run's own."""
    return name.startswith(("PYTEST_", "DJANGO_")) or name in (SQLITE_FILE_VARIABLE, DATABASE_URL_VARIABLE)


@contextlib.contextmanager
def redis_for_run(configured_url: str | None, key_prefix: str, logs: Path) -> Iterator[tuple[str, RedisServer | None]]:
    """A Redis URL for the run, and the run's own server (None for a configured one, which keeps only other keys)."""
    if configured_url:
        with configured_redis(configured_url, key_prefix) as url:
            yield url, None
        return
    with own_redis(logs) as server:
        yield server.url, server


def make_accounts(env: dict[str, str]) -> dict:
    """Run benchtools.e2e.accounts in a process of its own; its JSON output is what each client sends."""
    done = subprocess.run(
        [sys.executable, "-m", "benchtools.e2e.accounts"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise ToolError(f"making the served database failed: {last}")
    return json.loads(done.stdout)
