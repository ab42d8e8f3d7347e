"""The fault drills under real load (`python -m benchtools e2e drill`), short: a revocation holds on the next
request in every worker, Redis stopped and started serves no 5xx and nothing revoked, PostgreSQL restarted
accepts nothing revoked; a drill finds a revocation that does not hold; an interrupted drill leaves no process.
Marked `e2e`: run by .ci/run (`pytest -m e2e`), not by the default test command.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.process_tree import command_lines, descendants, wait_for_stderr_line
from tests.runs import ROOT, outside_this_session

pytestmark = pytest.mark.e2e
QUICK = ["--hasher", "md5", "--workers", "2", "--no-save", "--json"]  # seconds, not minutes


def drill(*argv: str, **popen) -> subprocess.Popen:
    command = [sys.executable, "-m", "benchtools", "e2e", "drill", *argv]
    return subprocess.Popen(command, cwd=ROOT, env=outside_this_session(), text=True, **popen)


def drills_of(*argv: str) -> tuple[int, list[dict]]:
    tool = drill(*argv, *QUICK, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = tool.communicate(timeout=600)
    assert tool.returncode in (0, 1), err
    return tool.returncode, json.loads(out)["drills"]


def test_a_revoked_password_and_a_deactivated_user_are_refused_from_the_next_request_in_every_worker():
    status, found = drills_of("revocation", "--schemes", "cached-basic,revalidating-basic", "--duration", "2",
                              "--at", "1")  # fmt: skip
    assert status == 0
    assert {(d["scheme"], d["change"]) for d in found} == {
        (scheme, change) for scheme in ("cached-basic", "revalidating-basic") for change in ("password", "deactivation")
    }
    for found_drill in found:
        assert found_drill["accepted_after_commit"] == 0
        assert found_drill["accepted_before"] > 0 and found_drill["refused"] > 0
        assert found_drill["first_refusal_ms"] is not None and found_drill["other"] == {}


def test_a_cache_of_each_process_is_found_accepting_a_revoked_password_exit_1():
    status, found = drills_of("revocation", "--auth-cache", "locmem", "--duration", "2", "--at", "1")
    assert status == 1
    assert all(d["cache"] == "locmem" and d["accepted_after_commit"] > 0 for d in found)


def test_redis_stopped_and_started_serves_no_5xx_nothing_revoked_and_throughput_comes_back():
    status, (found,) = drills_of("redis", "--duration", "3", "--at", "1", "--down", "1")
    assert status == 0
    assert found["service"] == "redis" and found["server_errors"] == 0 and found["wrongly_accepted"] == 0
    assert found["requests_per_second_down"] > 0  # served without the cache meanwhile
    assert set(found["statuses"]) == {"200"} and found["recovery_seconds"] is not None


def test_postgresql_restarted_accepts_nothing_revoked_and_cached_hits_need_no_database():
    status, found = drills_of("postgres", "--schemes", "token,cached-basic", "--duration", "4", "--at", "1",
                              "--down", "1")  # fmt: skip
    assert status == 0
    assert [d["scheme"] for d in found] == ["token", "cached-basic"]
    assert all(d["wrongly_accepted"] == 0 and d["recovery_seconds"] is not None for d in found)
    assert found[0]["server_errors"] > 0  # a token is looked up in the database: answered 500 meanwhile
    # A trusted hit reads the cache only: the good credential was answered 200 throughout.
    assert all(set(d["statuses"]) == {"200"} for d in found if d["scheme"] == "cached-basic")


def test_an_interrupted_drill_exits_130_and_leaves_no_process_it_started():
    tool = drill("postgres", "--duration", "60", "--at", "30", *QUICK, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        wait_for_stderr_line(tool, "gunicorn-sync:")
        deadline = time.monotonic() + 60
        while not any("wrk" in line for line in command_lines(descendants(tool.pid))) and time.monotonic() < deadline:
            time.sleep(0.05)
        started = descendants(tool.pid)
        lines = command_lines(started)
        for program in ("wrk", "redis-server", "postgres", "gunicorn", "benchtools.e2e.user_admin"):
            assert any(program in line for line in lines), program
        tool.send_signal(signal.SIGTERM)
        assert tool.wait(timeout=60) == 130
        assert sorted(pid for pid in started if Path(f"/proc/{pid}").exists()) == []
    finally:
        tool.kill()
        tool.wait()
