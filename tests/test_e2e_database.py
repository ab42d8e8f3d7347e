"""The served database without servers: what `--database` and `--connections` accept, and the settings the
servers get from them (benchsite.database_settings, benchsite.settings_served)."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

import pytest

from benchsite.database_settings import CONNECTIONS, with_connections
from benchtools.e2e.cli import main
from benchtools.e2e.database import (
    DatabaseChoice,
    check_connections,
    database_choice,
    with_database,
    without_passwords,
)
from benchtools.errors import ToolError
from tests.runs import ROOT, outside_this_session

URL = "postgresql://bench:secret@db.example:5433/bench?sslmode=require"


def test_the_database_is_sqlite_a_cluster_of_the_runs_own_or_a_server_by_url():
    assert database_choice("sqlite") == DatabaseChoice("sqlite")
    assert database_choice("postgresql") == DatabaseChoice("postgresql")
    assert database_choice(URL) == DatabaseChoice("postgresql", URL)
    with pytest.raises(argparse.ArgumentTypeError, match="got a mysql:// URL"):
        database_choice("mysql://root:secret@db.example/bench")


def test_a_password_in_a_url_is_never_repeated_in_a_usage_error_or_a_saved_command(capsys):
    assert main(["measure", "--database", "mysql://root:secret@db.example/bench"]) == 2
    assert "secret" not in capsys.readouterr().err
    assert without_passwords(["--database", URL, "--redis-url", "redis://:hidden@127.0.0.1:6379/0", "--x"]) == [
        "--database",
        "postgresql://bench:***@db.example:5433/bench?sslmode=require",
        "--redis-url",
        "redis://:***@127.0.0.1:6379/0",
        "--x",
    ]


def test_the_served_database_replaces_the_urls_own_keeping_the_rest():
    assert with_database(URL, "e2e_1") == "postgresql://bench:secret@db.example:5433/e2e_1?sslmode=require"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("per-request", {}),
        ("persistent", {"CONN_MAX_AGE": None}),
        ("persistent-checked", {"CONN_MAX_AGE": None, "CONN_HEALTH_CHECKS": True}),
        ("pool", {"OPTIONS": {"sslmode": "require", "pool": True}}),
        ("pool-checked", {"CONN_HEALTH_CHECKS": True, "OPTIONS": {"sslmode": "require", "pool": True}}),
    ],
)
def test_each_way_of_handling_connections_is_what_django_is_told(name, expected):
    entry = {"ENGINE": "django.db.backends.postgresql", "NAME": "bench", "OPTIONS": {"sslmode": "require"}}
    assert with_connections(entry, name) == {**entry, **expected}


def test_an_unknown_way_of_handling_connections_is_refused_naming_the_variable():
    with pytest.raises(ValueError, match="DRF_AUTH_BENCH_CONNECTIONS='forever'"):
        with_connections({}, "forever")


def test_django_pools_postgresql_connections_only():
    check_connections(DatabaseChoice("postgresql"), list(CONNECTIONS))
    check_connections(DatabaseChoice("sqlite"), ["per-request", "persistent"])
    with pytest.raises(ToolError, match="--connections pool,pool-checked"):
        check_connections(DatabaseChoice("sqlite"), ["per-request", "pool", "pool-checked"])


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (["measure", "--database", "mysql://db.example/bench"], "--database"),
        (["check", "--connections", "pool"], "--connections pool"),
        (["measure", "--connections", "forever"], "--connections"),
    ],
)
def test_a_database_the_tool_cannot_serve_from_is_a_one_line_error(argv, named, capsys, monkeypatch):
    monkeypatch.delenv("DRF_AUTH_BENCH_DATABASE_URL", raising=False)
    assert main(argv) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and named in error


def test_the_servers_serve_the_database_url_with_the_connections_asked_for():
    environment = outside_this_session()
    environment.pop("DRF_AUTH_BENCH_DATABASE", None)
    environment.update(DRF_AUTH_BENCH_DATABASE_URL=URL, DRF_AUTH_BENCH_CONNECTIONS="pool-checked")
    shown = "import json; from benchsite import settings_served as s; print(json.dumps(s.DATABASES['default']))"
    done = subprocess.run([sys.executable, "-c", shown], cwd=ROOT, env=environment, capture_output=True, text=True)
    entry = json.loads(done.stdout)
    assert (entry["HOST"], entry["PORT"], entry["NAME"]) == ("db.example", "5433", "bench")
    assert entry["OPTIONS"] == {"sslmode": "require", "pool": True} and entry["CONN_HEALTH_CHECKS"] is True
