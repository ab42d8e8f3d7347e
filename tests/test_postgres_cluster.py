"""A throwaway PostgreSQL cluster (benchtools.postgres_cluster) and `python -m benchtools postgres -- COMMAND`:
the server runs as the postgres user under root, restarts on its port with its data, and nothing of it is left
after, however the command ends. Marked `e2e` (it starts PostgreSQL): run by .ci/run (`pytest -m e2e`).
"""

from __future__ import annotations

import os
import pwd
import signal
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from benchtools import processes
from benchtools.postgres_cluster import SERVER_USER, throwaway_cluster
from tests.process_tree import command_lines, descendants, wait_for_stderr_line
from tests.runs import ROOT, outside_this_session

pytestmark = pytest.mark.e2e


def test_a_cluster_serves_restarts_on_its_port_with_its_data_and_is_gone_after():
    with throwaway_cluster() as cluster:
        leader, folder = cluster.process.pid, cluster.folder
        if os.geteuid() == 0:
            assert os.stat(f"/proc/{leader}").st_uid == pwd.getpwnam(SERVER_USER).pw_uid
        with psycopg.connect(cluster.url(), autocommit=True) as connection:
            assert connection.execute("SHOW fsync").fetchone() == ("off",)
            connection.execute("CREATE TABLE kept (value int)")
        port = cluster.port
        cluster.stop()
        assert processes.members(leader) == []
        cluster.start()
        assert cluster.port == port
        with psycopg.connect(cluster.url(), autocommit=True) as connection:
            assert connection.execute("SELECT count(*) FROM kept").fetchone() == (0,)
        leader = cluster.process.pid
    assert processes.members(leader) == [] and not folder.exists()


CONNECT = """
import os, sys, psycopg
with psycopg.connect(os.environ["DRF_AUTH_BENCH_DATABASE_URL"]) as connection:
    print(connection.execute("SELECT current_database(), current_setting('data_directory')").fetchone()[1])
sys.exit(3)
"""


def test_the_command_runs_against_a_database_of_its_own_and_its_exit_code_is_the_tools():
    done = subprocess.run(
        [sys.executable, "-m", "benchtools", "postgres", "--", sys.executable, "-c", CONNECT],
        cwd=ROOT, env=outside_this_session(), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 3, done.stderr
    assert "DRF_AUTH_BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:" in done.stderr
    assert not Path(done.stdout.strip()).exists()  # the cluster's data folder is removed


def test_an_interrupted_tool_exits_130_and_leaves_no_process_of_its_cluster():
    tool = subprocess.Popen(
        [sys.executable, "-m", "benchtools", "postgres", "--", "sleep", "60"],
        cwd=ROOT, env=outside_this_session(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        wait_for_stderr_line(tool, "PostgreSQL")
        started = descendants(tool.pid)
        assert any("postgres -D" in line for line in command_lines(started))
        tool.send_signal(signal.SIGTERM)
        assert tool.wait(timeout=60) == 130
        left = {pid for pid in started if Path(f"/proc/{pid}").exists()}
        assert left == set(), command_lines(left)
    finally:
        tool.kill()
        tool.wait()
