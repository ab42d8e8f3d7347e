"""Growth data sets made once and kept: a SQLite file, or a PostgreSQL database, per data set and making code.

A data set (what a scheme reads, at a size) is made with bulk inserts (benchlib.growth_data) the
first time it is asked for, and kept under a key that hashes the code that makes it, the size,
the database schema and Django's version: while none of them changes, it is loaded instead
of made. What is kept is never written to: the benchmarks run on it inside the test's
transaction, which is rolled back.

On SQLite (the suite's in-memory test database), a data set is kept as a file in a folder
(`.benchmarks/growth-data/`) and copied into the test database with SQLite's backup API; the
test database's own content is copied back after. On PostgreSQL, it is kept as a database of
its own (`drfab_<maker>_<size>_<key>`), made from the test database as a template, and the
connection points at it while it is in use. When a data set is made, the same maker and size
kept by other making code are deleted; those of another schema or Django version are kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import django
from django.apps import apps
from django.db import connection

from benchlib import growth_data
from benchlib.auth_schemes import Data

# A key's length in hex characters, and how many of them name the making code.
KEY, CODE_KEY = 16, 6


@dataclass(frozen=True)
class DataSet:
    """A data of benchlib.auth_schemes at one size."""

    data: Data
    size: int

    @property
    def name(self) -> str:
        return f"{self.data.maker}_{self.size}"


def making_code() -> bytes:
    """The source of what makes the rows (benchlib.growth_data)."""
    return Path(growth_data.__file__).read_bytes()


def making_key(data_set: DataSet) -> str:
    """What the data set's rows depend on, hashed: the making code, the size, the schema and Django's version.

    Its first CODE_KEY characters hash the making code alone: data sets of another schema or Django
    (a run that collects the tests, whose models add tables; another venv) are kept beside it.
    """
    code = making_code()
    digest = hashlib.sha256(code)
    digest.update(f"{data_set.data.maker} {data_set.size} {django.get_version()} {connection.vendor}".encode())
    digest.update(schema().encode())
    return hashlib.sha256(code).hexdigest()[:CODE_KEY] + digest.hexdigest()[: KEY - CODE_KEY]


def made_by_other_code(other_key: str, key: str) -> bool:
    """Whether a kept data set's key (the same data set's) is one made by other code than `key`'s: it is stale."""
    return len(other_key) != len(key) or other_key[:CODE_KEY] != key[:CODE_KEY]


def schema() -> str:
    """Every installed model's table, columns (name, type, null, unique, index) and indexes, as text."""
    lines = []
    for model in sorted(apps.get_models(include_auto_created=True), key=lambda model: model._meta.db_table):
        meta = model._meta
        columns = [
            (field.column, field.db_type(connection), field.null, field.unique, getattr(field, "db_index", False))
            for field in meta.local_concrete_fields
        ]
        lines.append(f"{meta.db_table} {columns} {meta.unique_together} {[index.name for index in meta.indexes]}")
    return "\n".join(lines)


@contextlib.contextmanager
def loaded(data_set: DataSet, folder: Path) -> Iterator[bool]:
    """The data set in the database the connection uses, until the block ends; yields whether it was made now.

    Needs database access (pytest-django's django_db_blocker) and no transaction open.
    """
    store = PostgreSQLStore() if connection.vendor == "postgresql" else SQLiteStore(folder)
    with store.loaded(data_set) as made:
        yield made


class Loader:
    """One data set at a time in the database: each benchmark asks for its own; the one before is put away then."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.current: DataSet | None = None
        self.stack = contextlib.ExitStack()

    def use(self, data_set: DataSet) -> None:
        if data_set != self.current:
            self.close()
            self.stack.enter_context(loaded(data_set, self.folder))
            self.current = data_set

    def close(self) -> None:
        self.stack.close()
        self.current = None


class SQLiteStore:
    """Data sets as files of a folder, copied into the connection's database and out of it."""

    def __init__(self, folder: Path):
        self.folder = folder

    @contextlib.contextmanager
    def loaded(self, data_set: DataSet) -> Iterator[bool]:
        connection.ensure_connection()
        own = sqlite3.connect(":memory:")
        connection.connection.backup(own)
        path = self.folder / f"{data_set.name}_{making_key(data_set)}.sqlite3"
        made = not path.exists()
        try:
            if made:
                self.make(data_set, path)
            else:
                with contextlib.closing(sqlite3.connect(path)) as kept:
                    kept.backup(connection.connection)
            yield made
        finally:
            own.backup(connection.connection)
            own.close()

    def make(self, data_set: DataSet, path: Path) -> None:
        growth_data.make(data_set.data.maker, data_set.size)
        self.folder.mkdir(parents=True, exist_ok=True)
        making = path.with_name(f"{path.stem}.{os.getpid()}.making")
        with contextlib.closing(sqlite3.connect(making)) as kept:
            connection.connection.backup(kept)
        os.replace(making, path)
        key = path.stem.removeprefix(f"{data_set.name}_")
        for other in self.folder.glob(f"{data_set.name}_*.sqlite3"):
            if made_by_other_code(other.stem.removeprefix(f"{data_set.name}_"), key):
                other.unlink(missing_ok=True)


class PostgreSQLStore:
    """Data sets as databases of the server, each made from the test database as a template."""

    PREFIX = "drfab_"

    @contextlib.contextmanager
    def loaded(self, data_set: DataSet) -> Iterator[bool]:
        test_database = connection.settings_dict["NAME"]
        name = f"{self.PREFIX}{data_set.name}_{making_key(data_set)}"
        made = name not in self.databases()
        try:
            if made:
                self.make(data_set, name, test_database)
            self.use(name)
            yield made
        finally:
            self.use(test_database)

    def databases(self) -> set[str]:
        with connection._nodb_cursor() as cursor:
            cursor.execute("SELECT datname FROM pg_database")
            return {row[0] for row in cursor.fetchall()}

    def use(self, name: str) -> None:
        connection.close()
        connection.settings_dict["NAME"] = name

    def execute(self, sql: str) -> None:
        with connection._nodb_cursor() as cursor:
            cursor.execute(sql)

    def make(self, data_set: DataSet, name: str, template: str) -> None:
        making = f"{name}_m{os.getpid()}"
        connection.close()  # a template must have no connection
        self.execute(f'CREATE DATABASE "{making}" TEMPLATE "{template}"')
        try:
            self.use(making)
            growth_data.make(data_set.data.maker, data_set.size)
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")  # the planner's statistics, as autovacuum gathers them after inserts
            self.use(template)
            if name in self.databases():  # another process made it meanwhile
                self.execute(f'DROP DATABASE "{making}"')
            else:
                self.execute(f'ALTER DATABASE "{making}" RENAME TO "{name}"')
        except BaseException:
            self.use(template)
            self.execute(f'DROP DATABASE IF EXISTS "{making}"')
            raise
        prefix = f"{self.PREFIX}{data_set.name}_"
        for other in self.databases():  # the same data set made by other code (one being made has a longer name)
            kept = other.startswith(prefix) and len(other) == len(name)
            if kept and made_by_other_code(other.removeprefix(prefix), name.removeprefix(prefix)):
                self.execute(f'DROP DATABASE IF EXISTS "{other}"')
