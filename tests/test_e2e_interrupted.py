"""`python -m benchtools e2e` run as a user runs it, with real load (wrk): what it saves, and that an
interrupt (Ctrl-C, SIGTERM) leaves no process it started behind. Marked `e2e`: run by .ci/run
(`pytest -m e2e`), not by the default test command.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchtools.e2e.stage import REDIS_URL_VARIABLE
from benchtools.runs import load_e2e_run
from tests.process_tree import command_names, descendants, wait_for_stderr_line
from tests.runs import ROOT, outside_this_session

pytestmark = pytest.mark.e2e
QUICK = ["--hasher", "md5", "--workers", "1", "--duration", "1"]  # seconds, not minutes


def e2e(*argv: str, own_redis: bool = False, **popen) -> subprocess.Popen:
    """`python -m benchtools e2e measure argv`; with `own_redis`, the run starts a redis-server of its own even
    where the environment names one (as CI's does)."""
    command = [sys.executable, "-m", "benchtools", "e2e", "measure", *argv]
    environment = outside_this_session()
    if own_redis:
        environment.pop(REDIS_URL_VARIABLE, None)
    return subprocess.Popen(command, cwd=ROOT, env=environment, text=True, **popen)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_run_exits_130_and_leaves_no_process_it_started(signum):
    one_long_point = ["--servers", "gunicorn-sync", "--schemes", "none", "--concurrency", "1", "--duration", "60"]
    tool = e2e(*one_long_point, "--no-interference", "--no-save", "--hasher", "md5", "--workers", "1",
               own_redis=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    try:
        wait_for_stderr_line(tool, "gunicorn-sync:")
        deadline = time.monotonic() + 30
        while "wrk" not in command_names(descendants(tool.pid)) and time.monotonic() < deadline:
            time.sleep(0.05)
        started = descendants(tool.pid)
        assert {"wrk", "redis-server"} <= command_names(started) and len(started) >= 4  # and gunicorn's two
        tool.send_signal(signum)
        assert tool.wait(timeout=60) == 130
        assert tool.stderr.read().strip().endswith("python -m benchtools e2e: interrupted")
        assert sorted(pid for pid in started if Path(f"/proc/{pid}").exists()) == []
    finally:
        tool.kill()
        tool.wait()


def test_a_short_run_saves_rows_that_read_back_and_measures_interference(tmp_path):
    storage = tmp_path / "runs"
    argv = ["--servers", "gunicorn-sync,uvicorn", "--schemes", "none,cached-basic,async-basic", "--concurrency", "1,4",
            "--json", "--storage", str(storage), *QUICK]  # fmt: skip
    tool = e2e(*argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = tool.communicate(timeout=600)
    assert tool.returncode == 0, err
    run = json.loads(out)
    points = {(row["server"], row["scheme"], row["concurrency"]) for row in run["rows"]}
    assert points == {(server, scheme, concurrency) for server in ("gunicorn-sync", "uvicorn")
                      for scheme in ("none", "cached-basic", "async-basic") for concurrency in (1, 4)
                      if server == "uvicorn" or scheme != "async-basic"}  # fmt: skip
    assert all(row["errors"] == 0 and row["requests_per_second"] > 0 for row in run["rows"])
    assert all(set(row["statuses"]) == {"200"} for row in run["rows"])
    beside = {(row["server"], row["beside"]) for row in run["interference"]}
    assert beside == {("gunicorn-sync", "basic"), ("gunicorn-sync", "wait"), ("uvicorn", "basic"),
                      ("uvicorn", "async-basic"), ("uvicorn", "async-basic-thread"), ("uvicorn", "wait")}  # fmt: skip
    (saved,) = storage.glob("*/0001_*.json")
    assert load_e2e_run(saved).rows[0].server == "gunicorn-sync"
