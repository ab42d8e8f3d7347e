"""benchtools.processes: a stopped group has no process left, not even an orphan or one ignoring SIGTERM."""

from __future__ import annotations

import signal
import subprocess
import time

from benchtools import processes


def shell_group(script: str, tmp_path, *, members: int = 2) -> subprocess.Popen:
    """`sh -c script` as a group of its own, once `members` processes are in it (or after 5 s)."""
    process = processes.start_group(["sh", "-c", script], env={"PATH": "/usr/bin:/bin"}, log=tmp_path / "log")
    deadline = time.monotonic() + 5
    while len(processes.members(process.pid)) < members and time.monotonic() < deadline:
        time.sleep(0.01)
    return process


def test_stopping_a_group_ends_its_leader_and_its_children(tmp_path):
    process = shell_group("sleep 30 & sleep 30 & wait", tmp_path, members=3)
    assert len(processes.members(process.pid)) == 3
    processes.stop_group(process)
    assert processes.members(process.pid) == []
    assert process.returncode is not None


def test_a_group_ignoring_sigterm_is_killed_after_the_grace_period(tmp_path):
    with processes.adopting_orphans():
        process = shell_group("trap '' TERM; sleep 30 & wait", tmp_path)
        processes.stop_group(process, grace=0.3)
        assert processes.members(process.pid) == []
        assert process.returncode == -signal.SIGKILL  # not the sleep's end: SIGTERM was ignored


def test_an_orphan_of_a_killed_leader_is_reaped_not_left_a_zombie(tmp_path):
    with processes.adopting_orphans():
        # The leader exits at once on SIGTERM; its child ignores SIGTERM, is orphaned, then killed.
        process = shell_group("(trap '' TERM; sleep 30) & exec sleep 30", tmp_path)
        processes.stop_group(process, grace=0.3)
        assert processes.members(process.pid) == []
