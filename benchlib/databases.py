"""What a run's timings depend on in its database: the vendor, the version, how it is reached, how Django
connects, and the server's settings that change what a query costs. Recorded in every saved run that used it."""

from __future__ import annotations

import sqlite3
from typing import Any

from benchlib.formats.records import ConnectionSettings, DatabaseRecord

# The PostgreSQL settings a request's cost depends on: a commit waiting for the disk, the shared cache,
# and the isolation a transaction gets.
POSTGRESQL_SETTINGS = ("fsync", "synchronous_commit", "shared_buffers", "default_transaction_isolation")


def database_record(connection: Any) -> DatabaseRecord:
    """The record of a Django connection's database, asking the server what only it knows (its version)."""
    settings = connection.settings_dict
    connections = ConnectionSettings(
        conn_max_age=settings.get("CONN_MAX_AGE", 0),
        health_checks=bool(settings.get("CONN_HEALTH_CHECKS", False)),
        pool=bool(settings.get("OPTIONS", {}).get("pool")),
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            server = {}
            for name in ("server_version", *POSTGRESQL_SETTINGS):
                cursor.execute(f"SHOW {name}")
                server[name] = str(cursor.fetchone()[0])
        version = server.pop("server_version")
        return DatabaseRecord("postgresql", version, postgresql_where(settings), server, connections)
    if connection.vendor == "sqlite":
        return DatabaseRecord("sqlite", sqlite3.sqlite_version, sqlite_where(settings["NAME"]), {}, connections)
    version = ".".join(map(str, connection.get_database_version()))
    return DatabaseRecord(connection.vendor, version, "?", {}, connections)


def postgresql_where(settings: dict[str, Any]) -> str:
    """`TCP to 127.0.0.1`, `Unix socket`; and the TLS mode if one is asked for."""
    host = str(settings.get("HOST") or "")
    where = "Unix socket" if not host or host.startswith("/") else f"TCP to {host}"
    sslmode = settings.get("OPTIONS", {}).get("sslmode")
    return f"{where}, sslmode={sslmode}" if sslmode else where


def sqlite_where(name: object) -> str:
    text = str(name)
    return "in memory" if text == ":memory:" or "mode=memory" in text else "a file"
