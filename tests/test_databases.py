"""benchlib.databases: what a saved run records of the database it measured (the configured one: SQLite in
memory by default, PostgreSQL where DRF_AUTH_BENCH_DATABASE_URL names one, as .ci/run runs these tests too)."""

from __future__ import annotations

import sqlite3

import pytest
from django.db import connection

from benchlib.databases import POSTGRESQL_SETTINGS, database_record, postgresql_where, sqlite_where


@pytest.mark.django_db
def test_the_record_names_the_configured_database_and_how_django_connects_to_it():
    record = database_record(connection)
    assert record.vendor == connection.vendor
    assert record.connections is not None and record.connections.conn_max_age == 0
    assert record.connections.pool is False and record.connections.health_checks is False


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="a PostgreSQL database is configured")
def test_a_sqlite_record_is_the_library_version_in_memory():
    record = database_record(connection)
    assert (record.version, record.where, record.settings) == (sqlite3.sqlite_version, "in memory", {})


@pytest.mark.django_db
@pytest.mark.postgresql
def test_a_postgresql_record_is_the_servers_version_and_the_settings_a_request_depends_on():
    record = database_record(connection)
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('server_version'), current_setting('fsync')")
        version, fsync = cursor.fetchone()
    assert record.version == version and record.label.startswith("postgresql ")
    assert set(record.settings) == set(POSTGRESQL_SETTINGS) and record.settings["fsync"] == fsync


def test_how_a_database_is_reached_is_said_without_its_credentials():
    assert postgresql_where({"HOST": "db.example", "PASSWORD": "secret"}) == "TCP to db.example"
    assert postgresql_where({"HOST": "/run/postgresql"}) == "Unix socket"
    assert postgresql_where({"HOST": "", "OPTIONS": {"sslmode": "require"}}) == "Unix socket, sslmode=require"
    assert [sqlite_where(name) for name in (":memory:", "file:memorydb_default?mode=memory&cache=shared")] == [
        "in memory",
        "in memory",
    ]
    assert sqlite_where("/tmp/served.sqlite3") == "a file"
