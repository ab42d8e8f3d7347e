"""cached_auth across processes: a change made in one process takes effect in another.

Two worker processes (tests/cached_auth_worker.py) share a SQLite file and a cache: Django's
file-based cache always, and a real Redis server when DRF_AUTH_BENCH_REDIS_URL is set (CI
sets it). The workers have the trusting variant as DRF's default authentication class, so
this is also the drop-in test for DEFAULT_AUTHENTICATION_CLASSES (settings must name it
before DRF builds its views, which only a process of its own can show); the revalidating
variant is named in a view's authentication_classes. One pair of workers serves both
variants, as starting Django twice is most of these tests' time.
"""

from __future__ import annotations

import json
import select
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.module_loading import import_string

from benchlib.caches import forget_all, redis_cache_config
from benchlib.credentials import PASSWORD

WORKER = Path(__file__).with_name("cached_auth_worker.py")
ANSWER_TIMEOUT_SECONDS = 60  # generous for a loaded machine; a hung worker fails the test, never the run
NEW_PASSWORD = "a brand new passphrase"
VIEW_CLASSES = {"default": "CachedBasicAuthentication", "revalidating": "RevalidatingCachedBasicAuthentication"}


class Worker:
    """One worker process, asked one command at a time."""

    def __init__(self, directory: Path, name: str, cache: dict):
        self.stderr_path = directory / f"{name}.stderr"
        arguments = [str(directory / "shared.sqlite3"), json.dumps(cache)]
        with self.stderr_path.open("w") as stderr:
            self.process = subprocess.Popen(
                [sys.executable, str(WORKER), *arguments],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=stderr,
                text=True,
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


@pytest.fixture(scope="module", params=["filebased", "redis"])
def shared_cache(request, tmp_path_factory):
    """A cache configuration two processes can share."""
    if request.param == "filebased":
        location = tmp_path_factory.mktemp("cache")
        yield {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(location)}
        return
    config = redis_cache_config(settings)
    cache = import_string(config["BACKEND"])(config["LOCATION"], config)
    cache.get("ping")  # with Redis configured but not running: an error, not a skip
    yield config
    forget_all(cache)


@pytest.fixture(scope="module")
def two_workers(shared_cache, tmp_path_factory):
    directory = tmp_path_factory.mktemp("workers")
    workers = [Worker(directory, name, shared_cache) for name in ("a", "b")]
    workers[0].ask("create_database")
    yield workers
    for worker in workers:
        worker.close()


@pytest.mark.parametrize("view", list(VIEW_CLASSES))
def test_change_in_one_process_takes_effect_on_the_next_request_in_another(two_workers, view):
    a, b = two_workers
    alice = f"alice-{view}"
    a.ask("create_user", alice, PASSWORD)

    first = a.ask("authenticate", view, alice, PASSWORD)
    assert first == {"status": 200, "password_checks": 1, "classes": [VIEW_CLASSES[view]]}
    assert a.ask("authenticate", view, alice, PASSWORD)["password_checks"] == 0
    assert b.ask("authenticate", view, alice, PASSWORD) == {**first, "password_checks": 0}  # shared: a hit in b

    b.ask("set_password", alice, NEW_PASSWORD)
    assert a.ask("authenticate", view, alice, PASSWORD)["status"] == 401
    assert a.ask("authenticate", view, alice, NEW_PASSWORD)["status"] == 200
    assert a.ask("authenticate", view, alice, NEW_PASSWORD)["password_checks"] == 0

    b.ask("deactivate", alice)
    assert a.ask("authenticate", view, alice, NEW_PASSWORD)["status"] == 401
