"""`python -m benchtools compare`: is HEAD slower than BASE? Statistics over repeated runs, and a CI gate.

Either runs the benchmarks for two git revisions, alternating A B B A A B ... so that
the machine's drift lands on both sides, or compares runs already saved. Exit code
(benchtools.cli): 1 when a benchmark is significantly slower by more than the threshold,
0 otherwise, 2 when the comparison could not be made (usage, bad revision or run file,
pytest failing).
"""

from __future__ import annotations

import argparse
import contextlib
import shlex
import sys
import time
from pathlib import Path

from benchtools import cli
from benchtools.cli import ToolError
from benchtools.compare import report
from benchtools.compare.gitrev import changed_files, checkout_root, resolve, temporary_worktree
from benchtools.compare.measure import measure_checkout
from benchtools.compare.stats import SLOWER, Comparison, compare_timings
from benchtools.runs import Run, Stats, environment_differences, find_run, load_run

# The A/B must finish in under 10 minutes on 2 cores: 6 runs (3 repeats x 2 sides) of the whole
# suite take far longer, and even PBKDF2 and MD5 alone took 89 s a run (25 Nov 2026, busy machine).
# The default keeps every benchmark but parametrizes the hasher ones with MD5 only, so the code
# around the hasher shows instead of ~0.5 s of PBKDF2 per round (PBKDF2's own cost stays in the
# raw-hashlib and the PBKDF2 API-key and BasicAuthentication scheme benchmarks); 0.25 s and at
# least 3 rounds per benchmark, since the repeats, not long single runs, give the between-run
# variation. One run: 34 s.
DEFAULT_PYTEST_ARGS = "--hashers=md5 --benchmark-max-time=0.25 --benchmark-min-rounds=3"


def build_parser() -> argparse.ArgumentParser:
    parser = cli.parser(
        "compare",
        description="Compare benchmarks between two git revisions (run here, alternating A B B A ...) or between "
        "saved runs: per benchmark the HEAD/BASE ratio of medians, its confidence interval and a verdict. "
        "CI gate: python -m benchtools compare origin/main HEAD",
    )
    parser.add_argument("base", nargs="?", metavar="BASE", help="git revision to compare against, e.g. origin/main")
    parser.add_argument(
        "head", nargs="?", metavar="HEAD", help="git revision to compare; default: this checkout as it is (no worktree)"
    )
    saved = parser.add_argument_group("compare saved runs instead of running")
    saved.add_argument("--base-runs", nargs="+", metavar="RUN", help="run ids (0001, 0001_<commit>...) or JSON files")
    saved.add_argument("--head-runs", nargs="+", metavar="RUN", help="run ids or JSON files for the HEAD side")
    running = parser.add_argument_group("running revisions")
    running.add_argument("--repeats", type=int, default=3, help="runs per side, alternating (default: 3)")
    running.add_argument("-k", metavar="EXPRESSION", help="pytest -k selection, passed through")
    running.add_argument("-m", metavar="MARKEXPR", help="pytest -m marker selection, passed through")
    running.add_argument(
        "--pytest-args",
        default=DEFAULT_PYTEST_ARGS,
        help="further pytest arguments, replacing the default selection; write it with = "
        f'(default: --pytest-args="{DEFAULT_PYTEST_ARGS}")',
    )
    running.add_argument(
        "--allow-dirty", action="store_true", help="measure this checkout even with uncommitted changes (HEAD omitted)"
    )
    verdicts = parser.add_argument_group("statistics")
    verdicts.add_argument("--threshold", type=float, default=5.0, help="minimum effect in percent (default: 5)")
    verdicts.add_argument("--confidence", type=float, default=0.95, help="interval confidence (default: 0.95)")
    output = parser.add_argument_group("output")
    formats = output.add_mutually_exclusive_group()
    formats.add_argument("--markdown", action="store_true", help="a Markdown table, e.g. for a pull-request comment")
    formats.add_argument("--json", action="store_true", help="JSON for machines")
    output.add_argument("--plot", type=Path, metavar="PNG", help="write a chart of the ratios and intervals")
    parser.add_argument("--storage", type=Path, help="pytest-benchmark storage (default: .benchmarks of this checkout)")
    return parser


def main(argv: list[str] | None = None) -> int:
    return cli.main(build_parser(), argv, compare, argument_problem)


def compare(args: argparse.Namespace) -> int:
    threshold = args.threshold / 100
    with cli.interrupt_on_sigterm():
        if args.base_runs:
            base_paths = [find_run(run, args.storage) for run in args.base_runs]
            head_paths = [find_run(run, args.storage) for run in args.head_runs]
        else:
            base_paths, head_paths = run_revisions(args)
        base, head = [load_run(p) for p in base_paths], [load_run(p) for p in head_paths]
        comparisons, notes = compare_runs(base, head, threshold=threshold, confidence=args.confidence)
    for note in notes:
        print(note, file=sys.stderr)
    if args.plot:
        from benchtools.compare.chart import ratio_chart

        title = f"head {describe(head)} / base {describe(base)}"
        ratio_chart(comparisons, args.plot, threshold=threshold, title=title)
    print(render(args, comparisons, threshold, base, head, notes))
    return cli.EXIT_FINDING if any(c.verdict == SLOWER for c in comparisons) else cli.EXIT_OK


def argument_problem(args: argparse.Namespace) -> str | None:
    if args.base_runs or args.head_runs:
        if not (args.base_runs and args.head_runs) or args.base:
            return "compare saved runs with both --base-runs and --head-runs, and no revisions"
    elif not args.base:
        return "give a BASE revision (and optionally HEAD), or --base-runs and --head-runs"
    if args.repeats < 1:
        return "--repeats must be at least 1"
    if not args.threshold > 0:
        return "--threshold must be a positive percentage"
    if not 0.5 <= args.confidence < 1:
        return "--confidence must be in [0.5, 1)"
    return None


def run_revisions(args: argparse.Namespace) -> tuple[list[Path], list[Path]]:
    """Run both revisions `--repeats` times, alternating; return the saved run files per side."""
    root = checkout_root(Path.cwd())
    storage = (args.storage or root / ".benchmarks").resolve()
    base_commit = resolve(args.base, root)
    head_commit = resolve(args.head or "HEAD", root)
    if args.head is None:
        changed = changed_files(root)
        if changed and not args.allow_dirty:
            raise ToolError(
                f"{root}: uncommitted changes to {', '.join(changed)}; commit or stash them, "
                "name a HEAD revision, or pass --allow-dirty"
            )
        if changed:
            print(f"warning: measuring uncommitted changes to {', '.join(changed)}", file=sys.stderr)
    selection = shlex.split(args.pytest_args)
    selection += ["-k", args.k] if args.k else []
    selection += ["-m", args.m] if args.m else []
    storage.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d_%H%M%S", time.gmtime())
    saved: dict[str, list[Path]] = {"base": [], "head": []}
    with contextlib.ExitStack() as worktrees:
        checkouts = {
            "base": worktrees.enter_context(temporary_worktree(root, base_commit)),
            "head": root if args.head is None else worktrees.enter_context(temporary_worktree(root, head_commit)),
        }
        commits = {"base": base_commit, "head": head_commit}
        for repeat in range(1, args.repeats + 1):
            # A B, B A, A B, ...: each side runs first as often as the other, so a drift, or a
            # slowdown that follows a run's place in the pair, does not land on one side only.
            for side in ("base", "head") if repeat % 2 else ("head", "base"):
                started = time.monotonic()
                path = measure_checkout(checkouts[side], storage, f"{commits[side]}_{stamp}_{side}{repeat}", selection)
                recorded = load_run(path).commit
                if recorded != commits[side]:
                    raise ToolError(f"{path}: recorded commit {recorded}, expected {commits[side]}")
                saved[side].append(path)
                print(
                    f"{side} {commits[side][:12]} run {repeat}/{args.repeats}: {time.monotonic() - started:.0f} s, "
                    f"saved {path}",
                    file=sys.stderr,
                )
    return saved["base"], saved["head"]


def compare_runs(
    base: list[Run], head: list[Run], *, threshold: float, confidence: float
) -> tuple[list[Comparison], list[str]]:
    """Compare every benchmark the two sides have in common; notes say what was left out or assumed."""
    notes = environment_differences(base + head)
    base_timings = [timings_of(run) for run in base]
    head_timings = [timings_of(run) for run in head]
    base_names = set().union(*base_timings)
    head_names = set().union(*head_timings)
    common = sorted(base_names & head_names)
    if not common:
        raise ToolError(f"no benchmark in common between {files(base)} and {files(head)}")
    one_sided = sorted(base_names ^ head_names)
    if one_sided:
        listed = ", ".join(one_sided[:5]) + (", ..." if len(one_sided) > 5 else "")
        notes.append(f"note: {len(one_sided)} benchmarks in only one side, not compared: {listed}")
    without_data = [
        run.path.name
        for run, timings in zip(base + head, base_timings + head_timings, strict=True)
        if not any(t.data for t in timings.values())
    ]
    if without_data:
        notes.append(
            f"note: no raw timings (saved without --benchmark-save-data) in {', '.join(without_data)}: "
            "their within-run spread is estimated from the IQR"
        )
    if len(base) + len(head) < 3:
        notes.append("note: one run per side: intervals cover within-run variation only, not between runs")
    comparisons = [
        compare_timings(
            name,
            [timings[name] for timings in base_timings if name in timings],
            [timings[name] for timings in head_timings if name in timings],
            threshold=threshold,
            confidence=confidence,
        )
        for name in common
    ]
    return comparisons, notes


def timings_of(run: Run) -> dict[str, Stats]:
    return {bench.fullname: bench.stats for bench in run.benchmarks}


def files(runs: list[Run]) -> str:
    return ", ".join(str(run.path) for run in runs)


def describe(runs: list[Run]) -> str:
    commits = sorted({run.commit[:12] + ("+dirty" if run.dirty else "") for run in runs})
    return f"{'/'.join(commits)} ({len(runs)} runs)"


def render(
    args: argparse.Namespace,
    comparisons: list[Comparison],
    threshold: float,
    base: list[Run],
    head: list[Run],
    notes: list[str],
) -> str:
    if args.json:
        sides = {
            side: [{"file": str(run.path), "commit": run.commit} for run in runs]
            for side, runs in (("base", base), ("head", head))
        }
        return report.as_json(comparisons, threshold=threshold, confidence=args.confidence, sides=sides, notes=notes)
    header = f"head {describe(head)} vs base {describe(base)}"
    if args.markdown:
        return header + "\n\n" + report.markdown(comparisons, threshold=threshold, confidence=args.confidence)
    return header + "\n\n" + report.table(comparisons, threshold=threshold, confidence=args.confidence)
