"""cached_auth on PostgreSQL against concurrent transactions: old snapshots and writes still open.

A request whose transaction snapshot predates a committed password change verifies the old
password against the old row (REPEATABLE READ and SERIALIZABLE keep the snapshot; READ
COMMITTED takes a new one per statement). Whether the user's stamp is still in the cache
or was evicted between the change and that verification, nothing the old snapshot showed
may be cached: a later request with the old password is refused. A write held open in
another connection is the other side: its old state is not cached while it may still
commit, and once it commits the old password is refused.

These need concurrent connections to one database with its isolation levels: PostgreSQL
(DRF_AUTH_BENCH_DATABASE_URL), with committed data (pytest-django's transactional database).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, connections, transaction

from benchlib.credentials import PASSWORD, basic_header
from cached_auth import config, invalidation, stamps
from cached_auth.authentication import CachedBasicAuthentication

NEW_PASSWORD = "a brand new passphrase"
REQUESTS = 10
THREAD_TIMEOUT_SECONDS = 60  # a hung thread fails the test, never the run
# Open writes are the trusting variant's concern: the revalidating one reads the committed row on every hit.
TRUSTING = pytest.mark.parametrize("variant", [CachedBasicAuthentication], ids=["trusting"])
LOCAL = pytest.mark.parametrize("auth_cache", ["locmem"], indirect=True)

pytestmark = [
    pytest.mark.postgresql,  # .ci/run runs these on a cluster of its own (pytest -m postgresql)
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason=f"PostgreSQL only (concurrent transactions, isolation levels): set {settings.DATABASE_URL_VARIABLE}="
        "postgresql://USER@HOST:PORT/NAME to run",
    ),
    pytest.mark.django_db(transaction=True),
]


def in_another_connection(work: Callable[[], None]) -> None:
    """Run `work` in a thread of its own, so on a database connection of its own (autocommit), and wait."""
    errors: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(THREAD_TIMEOUT_SECONDS)
    assert not thread.is_alive(), "the other connection's work did not finish"
    if errors:
        raise errors[0]


def change_password(pk) -> None:
    user = get_user_model()._default_manager.get(pk=pk)
    user.set_password(NEW_PASSWORD)
    user.save()


def accepted_of_ten(authenticate, header: str) -> int:
    return sum(authenticate(header)[0] == 200 for _ in range(REQUESTS))


@pytest.mark.parametrize("isolation", ["READ COMMITTED", "REPEATABLE READ", "SERIALIZABLE"])
@pytest.mark.parametrize("stamp", ["kept", "evicted"])
def test_a_snapshot_older_than_a_password_change_is_never_cached(
    authenticate, fast_user, auth_cache, isolation, stamp, caplog
):
    header = basic_header(fast_user.username, PASSWORD)
    assert authenticate(header)[0::2] == (200, 1)  # cached before the change
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"SET TRANSACTION ISOLATION LEVEL {isolation}")
        assert get_user_model()._default_manager.filter(pk=fast_user.pk).exists()  # the snapshot starts
        in_another_connection(lambda: change_password(fast_user.pk))  # committed
        if stamp == "evicted":
            auth_cache.delete(stamps.stamp_key(config.current(), fast_user.username))
        in_the_old_snapshot = authenticate(header)[0]
    # Under READ COMMITTED the verification already reads the new row; the others verify the old one.
    assert in_the_old_snapshot == (401 if isolation == "READ COMMITTED" else 200)
    assert accepted_of_ten(authenticate, header) == 0
    assert not [record.getMessage() for record in caplog.records if record.name == "cached_auth"]  # refused, not failed


@pytest.mark.parametrize("isolation", ["READ COMMITTED", "REPEATABLE READ", "SERIALIZABLE"])
def test_a_snapshot_of_the_committed_row_is_cached_at_every_isolation_level(
    authenticate, fast_user, auth_cache, isolation
):
    """Without a stamp, a miss caches only after reading the committed row, past the snapshot if need be."""
    header = basic_header(fast_user.username, PASSWORD)
    auth_cache.delete(stamps.stamp_key(config.current(), fast_user.username))
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"SET TRANSACTION ISOLATION LEVEL {isolation}")
        assert get_user_model()._default_manager.filter(pk=fast_user.pk).exists()
        assert authenticate(header)[0::2] == (200, 1)
    assert authenticate(header)[0::2] == (200, 0)


class OpenWrite:
    """A password change saved in a transaction of another connection, and committed when asked."""

    def __init__(self, pk) -> None:
        self.pk = pk
        self.saved, self.release = threading.Event(), threading.Event()
        self.errors: list[BaseException] = []
        self.thread = threading.Thread(target=self._run)

    def _run(self) -> None:
        try:
            with transaction.atomic():
                change_password(self.pk)
                self.saved.set()
                assert self.release.wait(THREAD_TIMEOUT_SECONDS), "never asked to commit"
        except BaseException as error:
            self.errors.append(error)
        finally:
            self.saved.set()
            connections.close_all()

    def __enter__(self) -> OpenWrite:
        self.thread.start()
        assert self.saved.wait(THREAD_TIMEOUT_SECONDS)
        return self

    def commit(self) -> None:
        self.release.set()
        self.thread.join(THREAD_TIMEOUT_SECONDS)
        assert not self.thread.is_alive()
        if self.errors:
            raise self.errors[0]

    def __exit__(self, *exc_info) -> None:
        self.release.set()
        self.thread.join(THREAD_TIMEOUT_SECONDS)


@TRUSTING
@LOCAL
def test_a_write_still_open_leaves_the_old_password_uncached_so_its_commit_refuses_it(
    authenticate, fast_user, monkeypatch
):
    """Even when the stamps' replacement after the commit is lost (the cache failing at that moment)."""
    header = basic_header(fast_user.username, PASSWORD)
    assert authenticate(header)[0::2] == (200, 1)
    with OpenWrite(fast_user.pk) as write:
        # The committed row still has the old password: accepted, and verified every time.
        assert [authenticate(header)[0::2] for _ in range(REQUESTS)] == [(200, 1)] * REQUESTS
        monkeypatch.setattr(invalidation, "_replace_or_log", lambda *args, **kwargs: None)
        write.commit()
    assert accepted_of_ten(authenticate, header) == 0


@TRUSTING
@LOCAL
def test_a_write_open_past_the_commit_timeout_is_refused_once_it_commits(
    authenticate, fast_user, monkeypatch, settings
):
    """Held open past AUTH_CACHE_COMMIT_TIMEOUT it looks rolled back: the old state is cached again until it commits."""
    settings.AUTH_CACHE_COMMIT_TIMEOUT = 2
    header = basic_header(fast_user.username, PASSWORD)
    with OpenWrite(fast_user.pk) as write:
        written = stamps.now()
        monkeypatch.setattr(stamps, "now", lambda: written + 3)
        assert sum(authenticate(header)[2] for _ in range(REQUESTS)) <= 1
        write.commit()
    assert accepted_of_ten(authenticate, header) == 0
