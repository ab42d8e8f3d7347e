from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest

from benchtools.cli import interrupt_on_sigterm
from benchtools.compare.gitrev import changed_files, resolve, temporary_worktree
from benchtools.errors import ToolError


@pytest.fixture
def repo(tmp_path):
    def git(*args):
        command = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args]
        return subprocess.run(command, cwd=tmp_path, check=True, capture_output=True, text=True).stdout.strip()

    (tmp_path / "tracked.txt").write_text("one\n")
    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "one")
    return tmp_path, git


def test_a_revision_resolves_to_its_full_commit_id(repo):
    path, git = repo
    assert resolve("HEAD", path) == git("rev-parse", "HEAD") and len(resolve("HEAD", path)) == 40


@pytest.mark.parametrize("revision", ["no-such-branch", "HEAD~5", "--help", ""])
def test_a_revision_that_does_not_exist_is_a_one_line_error_naming_it(repo, revision):
    path, _ = repo
    with pytest.raises(ToolError, match="no such git revision") as raised:
        resolve(revision, path)
    assert str(raised.value).startswith(f"{revision}: ") and "\n" not in str(raised.value)


def test_changed_files_are_modified_or_staged_tracked_files_only(repo):
    path, git = repo
    assert changed_files(path) == []
    (path / "untracked.txt").write_text("new\n")
    assert changed_files(path) == []
    (path / "tracked.txt").write_text("two\n")
    assert changed_files(path) == ["tracked.txt"]
    git("add", "tracked.txt")
    assert changed_files(path) == ["tracked.txt"]


def test_a_temporary_worktree_holds_the_commit_and_is_removed_after_an_error(repo):
    path, git = repo
    commit = git("rev-parse", "HEAD")
    with pytest.raises(ZeroDivisionError), temporary_worktree(path, commit) as checkout:
        assert (checkout / "tracked.txt").read_text() == "one\n"
        assert (
            subprocess.run(["git", "rev-parse", "HEAD"], cwd=checkout, capture_output=True, text=True).stdout.strip()
            == commit
        )
        raise ZeroDivisionError
    assert not checkout.exists() and not checkout.parent.exists()
    assert git("worktree", "list").count("\n") == 0


def test_sigterm_becomes_keyboard_interrupt_and_the_old_handler_comes_back():
    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(KeyboardInterrupt), interrupt_on_sigterm():
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)  # the handler interrupts this at once
    assert signal.getsignal(signal.SIGTERM) is before
