"""The database the served site's workers share: a SQLite file, or a PostgreSQL database made for the run.

`--database sqlite` (the default without DRF_AUTH_BENCH_DATABASE_URL): a file in the run's
folder; workers are separate processes, and SQLite needs no server. `--database postgresql`:
a cluster of the run's own (benchtools.postgres_cluster), which the PostgreSQL drill can
restart. `--database postgresql://...`: a server of yours, on which the run creates a
database of its own (the URL's role must be allowed to) and drops it after. Either way the
served database is a fresh one, made before the servers start and gone after the run.
"""

from __future__ import annotations

import argparse
import contextlib
import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from benchlib.databases import POSTGRESQL_SETTINGS, postgresql_where
from benchlib.formats.records import DatabaseRecord
from benchsite.database_settings import DATABASE_URL_VARIABLE, POOLED, database_from_url
from benchtools import postgres_cluster
from benchtools.errors import ToolError
from benchtools.postgres_cluster import Cluster

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
OWN_CLUSTER = "a cluster of the run's own"
SQLITE_FILE_VARIABLE = "DRF_AUTH_BENCH_DATABASE"  # benchsite.settings_served reads the same


@dataclass(frozen=True)
class DatabaseChoice:
    """What `--database` asked for: SQLite, a PostgreSQL cluster of the run's own, or the server at `url`."""

    vendor: str  # SQLITE or POSTGRESQL
    url: str | None = None  # a server given by URL; None: the run's own

    def __str__(self) -> str:
        return self.vendor if self.url is None else "postgresql (a server given by URL)"


def database_choice(text: str) -> DatabaseChoice:
    """`sqlite`, `postgresql`, or a postgresql:// URL; anything else is argparse's usage error, which never
    repeats the text (a URL may hold a password)."""
    if text in (SQLITE, POSTGRESQL):
        return DatabaseChoice(text)
    if urlsplit(text).scheme not in ("postgres", "postgresql"):
        kind = f"a {urlsplit(text).scheme}:// URL" if "://" in text else "something else"
        raise argparse.ArgumentTypeError(f"expected sqlite, postgresql or a postgresql:// URL, got {kind}")
    return DatabaseChoice(POSTGRESQL, text)


def without_passwords(words: list[str]) -> list[str]:
    """Command-line words with the password of any URL among them replaced by `***`, to be saved or shown."""
    return [_without_password(word) if "://" in word else word for word in words]


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def check_connections(choice: DatabaseChoice, connections: list[str]) -> None:
    """Django pools connections for PostgreSQL only."""
    pooled = [name for name in connections if name in POOLED]
    if pooled and choice.vendor != POSTGRESQL:
        raise ToolError(f"--connections {','.join(pooled)}: Django pools PostgreSQL connections only (--database)")


@dataclass(frozen=True)
class ServedDatabase:
    """The served database: what the servers' environment names it by, its record, and the run's own cluster."""

    env: dict[str, str]
    record: DatabaseRecord
    cluster: Cluster | None = None  # the run's own, or None


@contextlib.contextmanager
def served_database(choice: DatabaseChoice, folder: Path) -> Iterator[ServedDatabase]:
    """A fresh database for one run, removed after however the run ends."""
    if choice.vendor == SQLITE:
        path = folder / "served.sqlite3"
        yield ServedDatabase({SQLITE_FILE_VARIABLE: str(path)}, sqlite_record())
        return
    name = f"drf_auth_bench_e2e_{uuid.uuid4().hex[:12]}"
    if choice.url is None:
        with postgres_cluster.throwaway_cluster() as cluster:
            with fresh_database(cluster.url(), name) as url:
                yield ServedDatabase({DATABASE_URL_VARIABLE: url}, postgresql_record(url, OWN_CLUSTER), cluster)
        return
    with fresh_database(choice.url, name) as url:
        yield ServedDatabase({DATABASE_URL_VARIABLE: url}, postgresql_record(url, None))


@contextlib.contextmanager
def fresh_database(server_url: str, name: str) -> Iterator[str]:
    """Database `name` created on the server `server_url` connects to, for the block; its URL. Dropped after."""
    postgres_cluster.create_database(server_url, name)
    try:
        yield with_database(server_url, name)
    finally:
        postgres_cluster.drop_database(server_url, name)


def with_database(url: str, name: str) -> str:
    """`url` naming database `name` instead of its own."""
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def sqlite_record() -> DatabaseRecord:
    """The SQLite library the servers link (the same Python's as this process's)."""
    return DatabaseRecord(SQLITE, sqlite3.sqlite_version, "a file")


def postgresql_record(url: str, whose: str | None) -> DatabaseRecord:
    """The server's version and the settings a request depends on, asked of the server; how it is reached."""
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=10, autocommit=True) as connection:
            version, *values = (
                postgres_cluster.setting(connection, name) for name in ("server_version", *POSTGRESQL_SETTINGS)
            )
    except psycopg.Error as error:
        raise ToolError(f"the served PostgreSQL database: {str(error).strip()}") from None
    where = postgresql_where(database_from_url(url))
    return DatabaseRecord(
        POSTGRESQL,
        version,
        f"{where}, {whose}" if whose else where,
        dict(zip(POSTGRESQL_SETTINGS, values, strict=True)),
    )
