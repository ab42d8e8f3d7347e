"""Git revisions and the temporary worktrees that compare runs them in."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from benchtools import processes
from benchtools.errors import ToolError


def git(*args: str, cwd: Path) -> str:
    # git is never stopped halfway (through adding or removing a worktree, say): it runs in a
    # session of its own, out of reach of a signal to the tool's process group (a cancelled CI
    # job), and an interrupt meanwhile is raised once git is done.
    with processes.interrupts_held():
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, start_new_session=True)
    if done.returncode != 0:
        raise ToolError(f"git {' '.join(args)} failed in {cwd}: {done.stderr.strip().splitlines()[-1:]}")
    return done.stdout.strip()


def checkout_root(cwd: Path) -> Path:
    """The top folder of the git checkout containing `cwd`."""
    try:
        return Path(git("rev-parse", "--show-toplevel", cwd=cwd))
    except ToolError:
        raise ToolError(f"{cwd}: not inside a git checkout") from None


def resolve(revision: str, root: Path) -> str:
    """The full commit id a revision names; a one-line ToolError naming it if none."""
    done = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"],
        cwd=root,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0 or not done.stdout.strip():
        raise ToolError(f"{revision}: no such git revision in {root}")
    return done.stdout.strip()


def stash_commit(root: Path) -> str:
    """A commit of the work tree's tracked files as they are, made without touching the work tree or any branch."""
    return git("stash", "create", "measured as it is", cwd=root) or resolve("HEAD", root)


def changed_files(root: Path) -> list[str]:
    """Tracked files with uncommitted changes (staged or not); untracked files are not measured state."""
    return git("diff", "HEAD", "--name-only", cwd=root).splitlines()


@contextlib.contextmanager
def temporary_worktree(root: Path, commit: str) -> Iterator[Path]:
    """A detached checkout of `commit` in a temporary folder, removed on exit, failure or interrupt."""
    parent = Path(tempfile.mkdtemp(prefix="benchtools-"))
    path = parent / commit[:12]
    try:
        git("worktree", "add", "--detach", str(path), commit, cwd=root)
        print(f"worktree of {commit[:12]} in {path}", file=sys.stderr)
        yield path
    finally:
        # A second interrupt (a CI runner sends SIGTERM again) waits until the worktree is gone.
        with processes.interrupts_held():
            with contextlib.suppress(ToolError):
                git("worktree", "remove", "--force", str(path), cwd=root)
            shutil.rmtree(parent, ignore_errors=True)
            with contextlib.suppress(ToolError):
                git("worktree", "prune", cwd=root)
