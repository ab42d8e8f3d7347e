"""benchsite.auth.cached across processes: a change made in one process takes effect in another.

Two worker processes (tests/auth_worker.py) share a SQLite file and a cache: Django's
file-based cache always, and a real Redis server when DRF_AUTH_BENCH_REDIS_URL is set (CI
sets it). The workers use the cached authentication as DRF's default authentication
class, so this is also the drop-in test for DEFAULT_AUTHENTICATION_CLASSES: settings must
name it before DRF builds its views, which only a process of its own can show.
"""

from __future__ import annotations

import json
import select
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import caches

from conftest import PASSWORD, forget_all, redis_cache_config

WORKER = Path(__file__).with_name("auth_worker.py")
ANSWER_TIMEOUT_SECONDS = 60  # generous for a loaded machine; a hung worker fails the test, never the run
NEW_PASSWORD = "a brand new passphrase"
VARIANTS = {
    "trusting": "benchsite.auth.cached.CachedBasicAuthentication",
    "revalidating": "benchsite.auth.cached.RevalidatingCachedBasicAuthentication",
}


class Worker:
    """One worker process, asked one command at a time."""

    def __init__(self, tmp_path: Path, name: str, cache: dict, auth_class: str):
        self.stderr_path = tmp_path / f"{name}.stderr"
        arguments = [str(tmp_path / "shared.sqlite3"), json.dumps(cache), auth_class]
        with self.stderr_path.open("w") as stderr:
            self.process = subprocess.Popen(
                [sys.executable, str(WORKER), *arguments],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, text=True,
            )

    def ask(self, *command):
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        ready, _, _ = select.select([self.process.stdout], [], [], ANSWER_TIMEOUT_SECONDS)
        line = self.process.stdout.readline() if ready else ""
        assert line, f"worker gave no answer to {command}: {self.stderr_path.read_text()[-2000:]}"
        return json.loads(line)

    def close(self) -> None:
        self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture(params=["filebased", "redis"])
def shared_cache(request, tmp_path, settings):
    """A cache configuration two processes can share."""
    if request.param == "filebased":
        yield {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(tmp_path / "cache")}
        return
    config = redis_cache_config(settings)
    settings.CACHES = {**settings.CACHES, "cross-process": config}
    caches["cross-process"].get("ping")  # with Redis configured but not running: an error, not a skip
    yield config
    forget_all(caches["cross-process"])


@pytest.fixture(params=list(VARIANTS))
def variant_name(request):
    return request.param


@pytest.fixture
def two_workers(tmp_path, shared_cache, variant_name):
    workers = [Worker(tmp_path, name, shared_cache, VARIANTS[variant_name]) for name in ("a", "b")]
    yield workers
    for worker in workers:
        worker.close()


def test_change_in_one_process_takes_effect_on_the_next_request_in_another(two_workers, variant_name):
    a, b = two_workers
    a.ask("create_database")
    a.ask("create_user", "alice", PASSWORD)

    first = a.ask("authenticate", "alice", PASSWORD)
    # A view with DRF's default authentication classes used the cached one: it is a drop-in default.
    assert first == {"status": 200, "password_checks": 1, "classes": [VARIANTS[variant_name].rsplit(".", 1)[1]]}
    assert a.ask("authenticate", "alice", PASSWORD)["password_checks"] == 0
    assert b.ask("authenticate", "alice", PASSWORD) == {**first, "password_checks": 0}  # shared: a hit in b

    b.ask("set_password", "alice", NEW_PASSWORD)
    assert a.ask("authenticate", "alice", PASSWORD)["status"] == 401
    assert a.ask("authenticate", "alice", NEW_PASSWORD)["status"] == 200
    assert a.ask("authenticate", "alice", NEW_PASSWORD)["password_checks"] == 0

    b.ask("deactivate", "alice")
    assert a.ask("authenticate", "alice", NEW_PASSWORD)["status"] == 401

