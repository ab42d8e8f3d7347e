"""`python -m benchtools e2e measure` on PostgreSQL: a row per way of handling connections, every request
answered, the server recorded, and the database made for the run dropped after. Marked `e2e`: run by .ci/run.
"""

from __future__ import annotations

import json
import subprocess
import sys

import psycopg
import pytest

from benchtools.postgres_cluster import throwaway_cluster
from tests.runs import ROOT, outside_this_session

pytestmark = pytest.mark.e2e


def test_each_way_of_handling_connections_serves_every_request_from_a_database_dropped_after():
    with throwaway_cluster() as cluster:
        argv = ["--database", cluster.url(), "--servers", "gunicorn-sync", "--schemes", "token",
                "--connections", "per-request,persistent,pool", "--concurrency", "2", "--duration", "1",
                "--no-interference", "--no-save", "--json", "--hasher", "md5", "--workers", "2"]  # fmt: skip
        done = subprocess.run(
            [sys.executable, "-m", "benchtools", "e2e", "measure", *argv],
            cwd=ROOT, env=outside_this_session(), capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        run = json.loads(done.stdout)
        with psycopg.connect(cluster.url(), autocommit=True) as connection:
            databases = [name for (name,) in connection.execute("SELECT datname FROM pg_database")]
    assert [(row["connections"], row["scheme"]) for row in run["rows"]] == [
        ("per-request", "token"),
        ("persistent", "token"),
        ("pool", "token"),
    ]
    assert all(set(row["statuses"]) == {"200"} and row["requests_per_second"] > 0 for row in run["rows"])
    database = run["settings"]["database"]
    assert database["vendor"] == "postgresql" and database["version"] == cluster.version
    assert database["where"] == "TCP to 127.0.0.1" and database["settings"]["fsync"] == "off"
    assert not [name for name in databases if name.startswith("drf_auth_bench_e2e_")]
