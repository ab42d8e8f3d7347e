"""The two sides of a comparison made by running benchmarks: where each runs, and running them in turn.

A side is a checkout of the suite with the Python that runs it and, when a project is measured,
the project's folder on PYTHONPATH. Three kinds of pairs: the suite at two revisions (temporary
worktrees), a project at two revisions (worktrees of the project's repository, the suite as it
is), and the same code under two dependency sets (a venv each). Sides are measured `repeats`
times, alternating which goes first; instruction counts, which do not depend on what else runs,
measure both sides at once.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from benchtools.compare import checkouts
from benchtools.compare.checkouts import Checkout
from benchtools.compare.gitrev import changed_files, checkout_root, resolve, stash_commit, temporary_worktree
from benchtools.compare.venvs import venv_python
from benchtools.errors import ToolError
from benchtools.options import Measure
from benchtools.runs import Run, load_run


@dataclass(frozen=True)
class Side:
    name: str  # "base" or "head"
    checkout: Checkout
    commit: str  # the commit of the suite its runs must record
    project_commit: str | None = None  # the commit of the project its runs must record, when one is measured


@dataclass(frozen=True)
class Plan:
    """How the sides are measured: by what, how often, with which pytest arguments, saved where."""

    measure: Measure
    repeats: int
    pytest_args: list[str]
    storage: Path


@contextlib.contextmanager
def revision_sides(cwd: Path, base: str, head: str | None, *, allow_dirty: bool) -> Iterator[tuple[Side, Side]]:
    """The suite at two revisions of the checkout holding `cwd`, each a temporary worktree; HEAD omitted is the
    work tree's tracked files as they are, made a commit of their own (`git stash create`).

    Both sides are worktrees, in folders whose paths have one length: the length of the path code
    runs from moves its instruction counts (benchlib/instructions.py), so the checkout itself,
    elsewhere, would differ from a worktree of the same commit.
    """
    root = checkout_root(cwd)
    base_commit, head_commit = resolve(base, root), head_revision(root, head, allow_dirty=allow_dirty)
    with contextlib.ExitStack() as worktrees:
        base_folder = worktrees.enter_context(temporary_worktree(root, base_commit))
        head_folder = worktrees.enter_context(temporary_worktree(root, head_commit))
        yield Side("base", Checkout(base_folder), base_commit), Side("head", Checkout(head_folder), head_commit)


def head_revision(root: Path, head: str | None, *, allow_dirty: bool) -> str:
    """The commit HEAD names; HEAD omitted, the work tree as it is: HEAD, or a commit of its uncommitted changes."""
    if head is not None:
        return resolve(head, root)
    changed = changed_files(root)
    if changed and not allow_dirty:
        raise ToolError(
            f"{root}: uncommitted changes to {', '.join(changed)}; commit or stash them, "
            "name a HEAD revision, or pass --allow-dirty"
        )
    if not changed:
        return resolve("HEAD", root)
    print(f"warning: measuring uncommitted changes to {', '.join(changed)}", file=sys.stderr)
    return stash_commit(root)


@contextlib.contextmanager
def project_revision_sides(
    project: Path, base: str, head: str | None, *, allow_dirty: bool
) -> Iterator[tuple[Side, Side]]:
    """The project at two revisions of its repository, each a temporary worktree whose copy of `project` is on
    PYTHONPATH; the suite is this checkout as it is. HEAD omitted is the project's work tree as it is, made a
    commit of its own (`git stash create`) so that both sides are worktrees alike."""
    root = checkout_root(project)
    within = project.resolve().relative_to(root.resolve())
    suite = checkout_root(Path(__file__).resolve().parent)
    suite_commit = resolve("HEAD", suite)
    base_commit = resolve(base, root)
    head_commit = head_revision(root, head, allow_dirty=allow_dirty)
    with contextlib.ExitStack() as worktrees:
        base_folder = worktrees.enter_context(temporary_worktree(root, base_commit))
        head_folder = worktrees.enter_context(temporary_worktree(root, head_commit))
        yield (
            Side("base", Checkout(suite, environment=python_path(base_folder / within)), suite_commit, base_commit),
            Side("head", Checkout(suite, environment=python_path(head_folder / within)), suite_commit, head_commit),
        )


def requirement_sides(
    base: Path, head: Path, *, project: Path | None, python: str, venvs: Path | None
) -> tuple[Side, Side]:
    """The suite as it is (and the project, if given, as it is) run by a venv per requirements file."""
    suite = checkout_root(Path(__file__).resolve().parent)
    suite_commit = resolve("HEAD", suite)
    environment = python_path(project) if project is not None else {}

    def side(name: str, requirements: Path) -> Side:
        return Side(name, Checkout(suite, str(venv_python(requirements, python, venvs)), environment), suite_commit)

    return side("base", base), side("head", head)


def python_path(folder: Path) -> dict[str, str]:
    """The environment that puts a project's folder first on PYTHONPATH, as a team's project is measured."""
    return {"PYTHONPATH": os.pathsep.join(filter(None, [str(folder.resolve()), os.environ.get("PYTHONPATH")]))}


def profile_sides(sides: tuple[Side, Side], names: list[str], how: list[str]) -> tuple[list[Run], list[Run]]:
    """The named benchmarks run once more on both sides at once with `pytest --attribution` (counts per
    function, which do not depend on what else runs); their runs, kept in a folder of their own, not saved."""
    arguments = ["--attribution", *how, *names]
    with tempfile.TemporaryDirectory(prefix="benchtools-where-") as storage:
        jobs = [(side.checkout, f"{side.commit}_where_{side.name}") for side in sides]
        base, head = checkouts.measure_side_by_side(jobs, Path(storage), arguments)
        return [load_run(base)], [load_run(head)]


def measure_sides(sides: tuple[Side, Side], plan: Plan) -> tuple[list[Run], list[Run]]:
    """Run both sides `plan.repeats` times, alternating; the runs of each side, saved in the plan's storage."""
    plan.storage.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d_%H%M%S", time.gmtime())
    saved: dict[str, list[Run]] = {side.name: [] for side in sides}
    for repeat in range(1, plan.repeats + 1):
        # A B, B A, A B, ...: each side runs first as often as the other, so a drift, or a
        # slowdown that follows a run's place in the pair, does not land on one side only.
        order = sides if repeat % 2 else sides[::-1]
        started = time.monotonic()
        print(f"measuring {' and '.join(side.name for side in order)}, run {repeat}/{plan.repeats}", file=sys.stderr)
        jobs = [(side.checkout, f"{side.commit}_{stamp}_{side.name}{repeat}") for side in order]
        if plan.measure == Measure.INSTRUCTIONS:  # counts do not depend on what else runs: both sides at once
            paths = checkouts.measure_side_by_side(jobs, plan.storage, plan.pytest_args)
        else:
            paths = [
                checkouts.measure_checkout(checkout, plan.storage, name, plan.pytest_args) for checkout, name in jobs
            ]
        for side, path in zip(order, paths, strict=True):
            run = load_run(path)
            if run.commit != side.commit:
                raise ToolError(f"{path}: recorded commit {run.commit}, expected {side.commit}")
            project = run.content.machine_info.project
            recorded = project.commit_info.id if project and project.commit_info else None
            if side.project_commit is not None and recorded != side.project_commit:
                raise ToolError(f"{path}: recorded project commit {recorded}, expected {side.project_commit}")
            saved[side.name].append(run)
            elapsed = time.monotonic() - started
            print(
                f"{side.name} {side.commit[:12]} run {repeat}/{plan.repeats}: {elapsed:.0f} s, saved {path}",
                file=sys.stderr,
            )
    return saved[sides[0].name], saved[sides[1].name]
