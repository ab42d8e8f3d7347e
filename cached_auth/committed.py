"""The user row as the database has committed it now, read past the request's transaction snapshot if need be.

A request in a transaction under REPEATABLE READ or SERIALIZABLE (PostgreSQL, MySQL), or on
SQLite in WAL mode, reads every row as it was at the transaction's first read: the row it
verified can be older than a change committed since. Before a miss caches that row it is
compared with the row read here: on the request's own connection where a new statement
sees every commit (autocommit, READ COMMITTED, SQLite's rollback journal), otherwise on a
connection of its own, opened for this one read. The row is read from the database users
are written to, so that a replica behind its primary is never taken for the committed state.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper

from cached_auth import stamps
from cached_auth.config import Config

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

# Per database, how to ask whether an open transaction reads from a snapshot of its own.
_SNAPSHOT_QUESTIONS: dict[str, tuple[str, Callable[[str], bool]]] = {
    # READ UNCOMMITTED and READ COMMITTED take a snapshot per statement.
    "postgresql": (
        "SELECT current_setting('transaction_isolation')",
        lambda level: level not in ("read committed", "read uncommitted"),
    ),
    "sqlite": ("PRAGMA journal_mode", lambda mode: mode.lower() == "wal"),
}


def committed_fingerprint(config: Config, user: AbstractBaseUser) -> str:
    """The state_fingerprint of the user row as committed now (with the request's own writes); NO_USER if gone."""
    using = router.db_for_write(config.user_model, instance=user)
    connection = connections[using]
    if connection.in_atomic_block and reads_a_snapshot(connection):
        own = connection.copy()
        try:
            return _fingerprint_through(config, own, user.pk)
        finally:
            own.close()
    return _fingerprint_through(config, connection, user.pk)


def reads_a_snapshot(connection: BaseDatabaseWrapper) -> bool:
    """Whether the transaction open on `connection` reads rows as of its start rather than as last committed.

    Asked of the database, not of Django's settings: a server's default or a SET TRANSACTION
    can choose the level. Of another database it is assumed, and the row read on a
    connection of its own.
    """
    if connection.vendor not in _SNAPSHOT_QUESTIONS:
        return True
    sql, reads_from_a_snapshot = _SNAPSHOT_QUESTIONS[connection.vendor]
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return reads_from_a_snapshot(cursor.fetchone()[0])


def _fingerprint_through(config: Config, connection: BaseDatabaseWrapper, pk: Any) -> str:
    names = (*config.cached_fields, "password")
    query = config.user_model._base_manager.filter(pk=pk).values_list(*names).query
    rows = list(query.get_compiler(connection=connection).results_iter())
    if not rows:
        return stamps.NO_USER
    return stamps.state_fingerprint(config, dict(zip(names, rows[0], strict=True)))
