"""`python -m benchtools compare` interrupted as a CI job is cancelled (SIGTERM to its process group) at each
phase: making worktrees, building a venv, and counting under valgrind. It exits 130 and leaves no worktree, no
venv half built, and no pytest, valgrind or pip behind. Marked `e2e`: run by .ci/run (`pytest -m e2e`).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.process_tree import alive, descendants, wait_for_command, wait_for_stderr_line
from tests.runs import ROOT, outside_this_session

pytestmark = pytest.mark.e2e


def compare(*argv: str, storage: Path) -> subprocess.Popen:
    """The tool in a session of its own, as a CI runner starts a job's shell, saving its runs in `storage`."""
    return subprocess.Popen(
        [sys.executable, "-m", "benchtools", "compare", *argv, "--storage", str(storage)],
        cwd=ROOT,
        env=outside_this_session(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def worktrees() -> list[str]:
    done = subprocess.run(["git", "worktree", "list", "--porcelain"], cwd=ROOT, capture_output=True, text=True)
    return sorted(line for line in done.stdout.splitlines() if line.startswith("worktree "))


def cancelled(tool: subprocess.Popen, started: set[int], *, twice: bool = False) -> None:
    """SIGTERM to the job's process group, as a cancelled CI job gets it (`twice`: again at once, as some
    runners do); then nothing of it may be left."""
    os.killpg(tool.pid, signal.SIGTERM)
    if twice:
        os.killpg(tool.pid, signal.SIGTERM)
    assert tool.wait(timeout=60) == 130
    assert tool.stderr.read().strip().endswith("python -m benchtools compare: interrupted")
    assert alive(started) == []


@pytest.fixture
def tool_and_worktrees():
    before = worktrees()
    tools: list[subprocess.Popen] = []
    yield tools.append
    for tool in tools:
        if tool.poll() is None:
            os.killpg(tool.pid, signal.SIGKILL)
            tool.wait()
    assert worktrees() == before


def test_interrupted_while_making_worktrees(tool_and_worktrees, tmp_path):
    tool = compare("revisions", "HEAD", "HEAD", "--measure", "time", "-k", "test_django_view", storage=tmp_path)
    tool_and_worktrees(tool)
    wait_for_stderr_line(tool, "worktree of ")
    cancelled(tool, descendants(tool.pid))


@pytest.mark.skipif(shutil.which("valgrind") is None, reason="counting needs valgrind")
@pytest.mark.parametrize("twice", [False, True], ids=["once", "twice"])
def test_interrupted_while_counting_under_valgrind(tool_and_worktrees, twice, tmp_path):
    tool = compare("revisions", "HEAD", "HEAD", "-k", "test_django_view", storage=tmp_path)
    tool_and_worktrees(tool)
    started = wait_for_command(tool, "valgrind")
    cancelled(tool, started | descendants(tool.pid), twice=twice)


def test_interrupted_while_building_a_venv(tool_and_worktrees, tmp_path):
    base, head = tmp_path / "base.txt", tmp_path / "head.txt"
    base.write_text("six==1.16.0\n")
    head.write_text("six==1.17.0\n")
    venvs = tmp_path / "venvs"
    tool = compare(
        "requirements", str(base), str(head), "--venvs", str(venvs), "--measure", "time", storage=tmp_path / "runs"
    )
    tool_and_worktrees(tool)
    wait_for_stderr_line(tool, "building a venv for ")
    started = wait_for_command(tool, "-m pip install")
    cancelled(tool, started | descendants(tool.pid))
    assert list(venvs.iterdir()) == []
