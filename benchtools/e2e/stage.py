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

from benchtools.e2e.cache_server import redis_for_run
from benchtools.errors import ToolError

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = "benchsite.settings_served"
REDIS_URL_VARIABLE = "DRF_AUTH_BENCH_REDIS_URL"  # benchsite.settings reads the same


@dataclass(frozen=True)
class Stage:
    env: dict[str, str]  # the servers' environment
    logs: Path
    credentials: dict[str, dict[str, dict[str, str]]]  # scheme -> "good"/"bad" -> request headers


@contextlib.contextmanager
def staged(*, hasher_class: str | None, redis_url: str | None) -> Iterator[Stage]:
    """A fresh SQLite file with the user and their credentials, and a Redis, for one run."""
    with tempfile.TemporaryDirectory(prefix="drf-auth-bench-e2e-") as directory:
        logs = Path(directory)
        prefix = f"e2e-{uuid.uuid4().hex[:12]}"
        with redis_for_run(redis_url, prefix, logs) as url:
            env = {
                **{name: value for name, value in os.environ.items() if not name.startswith(("PYTEST_", "DJANGO_"))},
                "DJANGO_SETTINGS_MODULE": SETTINGS,
                "PYTHONPATH": str(ROOT),
                "DRF_AUTH_BENCH_DATABASE": str(Path(directory) / "served.sqlite3"),
                REDIS_URL_VARIABLE: url,
                "DRF_AUTH_BENCH_CACHE_PREFIX": prefix,
            }
            if hasher_class:
                env["DRF_AUTH_BENCH_PREFERRED_HASHER"] = hasher_class
            yield Stage(env, logs, make_accounts(env))


def make_accounts(env: dict[str, str]) -> dict:
    """Run benchtools.e2e.accounts in a process of its own; its JSON output is what each client sends."""
    done = subprocess.run(
        [sys.executable, "-m", "benchtools.e2e.accounts"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise ToolError(f"making the served database failed: {last}")
    return json.loads(done.stdout)
