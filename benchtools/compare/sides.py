"""The two sides of a comparison made by running benchmarks: where each runs, and running them in turn.

A side is a checkout of the suite (a temporary worktree of a revision, or this checkout as it
is) with the Python that runs it. Sides are measured `repeats` times, alternating which goes
first; instruction counts, which do not depend on what else runs, measure both sides at once.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from benchtools.compare import checkouts
from benchtools.compare.checkouts import Checkout
from benchtools.compare.gitrev import changed_files, checkout_root, resolve, temporary_worktree
from benchtools.errors import ToolError
from benchtools.options import Measure
from benchtools.runs import Run, load_run


@dataclass(frozen=True)
class Side:
    name: str  # "base" or "head"
    checkout: Checkout
    commit: str  # the commit of the suite its runs must record


@dataclass(frozen=True)
class Plan:
    """How the sides are measured: by what, how often, with which pytest arguments, saved where."""

    measure: Measure
    repeats: int
    pytest_args: list[str]
    storage: Path


@contextlib.contextmanager
def revision_sides(cwd: Path, base: str, head: str | None, *, allow_dirty: bool) -> Iterator[tuple[Side, Side]]:
    """The suite at two revisions of the checkout holding `cwd`; HEAD omitted is the checkout as it is."""
    root = checkout_root(cwd)
    base_commit, head_commit = resolve(base, root), resolve(head or "HEAD", root)
    if head is None:
        changed = changed_files(root)
        if changed and not allow_dirty:
            raise ToolError(
                f"{root}: uncommitted changes to {', '.join(changed)}; commit or stash them, "
                "name a HEAD revision, or pass --allow-dirty"
            )
        if changed:
            print(f"warning: measuring uncommitted changes to {', '.join(changed)}", file=sys.stderr)
    with contextlib.ExitStack() as worktrees:
        base_folder = worktrees.enter_context(temporary_worktree(root, base_commit))
        head_folder = root if head is None else worktrees.enter_context(temporary_worktree(root, head_commit))
        yield Side("base", Checkout(base_folder), base_commit), Side("head", Checkout(head_folder), head_commit)


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
            saved[side.name].append(run)
            elapsed = time.monotonic() - started
            print(
                f"{side.name} {side.commit[:12]} run {repeat}/{plan.repeats}: {elapsed:.0f} s, saved {path}",
                file=sys.stderr,
            )
    return saved[sides[0].name], saved[sides[1].name]
