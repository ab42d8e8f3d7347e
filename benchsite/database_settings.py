"""DATABASES entries: PostgreSQL's from a URL, and each way of handling connections the served site is measured
with (`python -m benchtools e2e --connections`).

Plain data and functions, importable without configuring Django (the e2e tool reads the
names and checks a URL before any server starts).
"""

from __future__ import annotations

from urllib.parse import parse_qsl, unquote, urlsplit

DATABASE_URL_VARIABLE = "DRF_AUTH_BENCH_DATABASE_URL"
CONNECTIONS_VARIABLE = "DRF_AUTH_BENCH_CONNECTIONS"
PER_REQUEST = "per-request"


def database_from_url(url: str) -> dict:
    """Django's DATABASES entry for `postgresql://user:password@host:port/name?option=value`.

    A host that is a folder (`?host=/run/postgresql`) is a Unix socket, as libpq reads it.
    The query's other options go to OPTIONS (for psycopg: `sslmode`, `options`, ...).
    """
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise ValueError(f"{DATABASE_URL_VARIABLE}: expected a postgresql:// URL, got {parts.scheme or url!r}")
    options = dict(parse_qsl(parts.query))
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")) or "postgres",
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": options.pop("host", parts.hostname or ""),
        "PORT": str(parts.port or ""),
        "OPTIONS": options,
    }


# Each way of handling connections: what it does, and what it changes in the DATABASES entry.
# Django's defaults (5.2, 6.1): CONN_MAX_AGE 0, CONN_HEALTH_CHECKS False, no pool.
CONNECTIONS: dict[str, tuple[str, dict]] = {
    PER_REQUEST: ("a connection opened and closed per request (CONN_MAX_AGE = 0, Django's default)", {}),
    "persistent": ("a connection per worker thread, kept (CONN_MAX_AGE = None)", {"CONN_MAX_AGE": None}),
    "persistent-checked": (
        "persistent, checked before its first use in each request (CONN_HEALTH_CHECKS = True)",
        {"CONN_MAX_AGE": None, "CONN_HEALTH_CHECKS": True},
    ),
    "pool": ("psycopg's pool per worker process (OPTIONS pool = True; PostgreSQL, Django 5.1+)", {"pool": True}),
    "pool-checked": (
        "the pool, checking a connection before handing it out (CONN_HEALTH_CHECKS = True)",
        {"pool": True, "CONN_HEALTH_CHECKS": True},
    ),
}
POOLED = frozenset(name for name, (_, changes) in CONNECTIONS.items() if changes.get("pool"))


def with_connections(entry: dict, name: str) -> dict:
    """A DATABASES entry handling its connections the way `name` (a key of CONNECTIONS) says."""
    if name not in CONNECTIONS:
        raise ValueError(f"{CONNECTIONS_VARIABLE}={name!r}: expected one of {', '.join(CONNECTIONS)}")
    changes = dict(CONNECTIONS[name][1])
    pool = changes.pop("pool", False)
    options = {**entry.get("OPTIONS", {}), "pool": True} if pool else entry.get("OPTIONS", {})
    return {**entry, **changes, "OPTIONS": options}
