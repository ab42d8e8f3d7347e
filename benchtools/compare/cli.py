"""`python -m benchtools compare`: is HEAD slower than BASE? By instruction counts or wall time, and a CI gate.

Either runs the benchmarks for two git revisions, or compares runs already saved. By
instructions (the default where valgrind is installed) each side is counted once under
callgrind and a benchmark is slower when its count grew by more than the threshold. By
wall time the sides alternate A B, B A, ... so that the machine's drift lands on both, and
a benchmark is slower when significantly so over the whole comparison and by more than the
threshold. Exit code (benchtools.cli): 1 when a benchmark is slower, 0 otherwise, 2 when
the comparison could not be made (usage, bad revision or run file, pytest failing).
"""

from __future__ import annotations

import argparse
import contextlib
import shlex
import sys
import time
from pathlib import Path

from benchlib.instructions import valgrind_version
from benchtools import cli
from benchtools.cli import ToolError
from benchtools.compare import report
from benchtools.compare.counts import WHAT_COUNTS_MISS, compare_counts
from benchtools.compare.gitrev import changed_files, checkout_root, resolve, temporary_worktree
from benchtools.compare.measure import measure_checkout, measure_side_by_side
from benchtools.compare.stats import INSTRUCTIONS, SLOWER, TIME, Comparison, compare_all
from benchtools.runs import Run, environment_differences, find_run, load_run

# The A/B must finish in under 10 minutes on 2 cores: 6 runs (3 repeats x 2 sides) of the whole
# suite take far longer, and even PBKDF2 and MD5 alone took 89 s a run (25 Nov 2026, busy machine).
# The default keeps every benchmark but parametrizes the hasher ones with MD5 only, so the code
# around the hasher shows instead of ~0.5 s of PBKDF2 per round (PBKDF2's own cost stays in the
# raw-hashlib and the PBKDF2 API-key and BasicAuthentication scheme benchmarks); 0.25 s and at
# least 3 rounds per benchmark, since the repeats, not long single runs, give the between-run
# variation. One run: 34 s.
DEFAULT_TIME_ARGS = "--hashers=md5 --benchmark-max-time=0.25 --benchmark-min-rounds=3"
# Counting: MD5 for the hasher-parametrized benchmarks as above, and without the rows that run
# PBKDF2 at Django's default iterations on every call (raw hashlib, Basic and its cached variants
# refusing a bad password, PBKDF2-stored API keys): ~7e9 instructions and a minute each under
# callgrind, all of it OpenSSL's loop, whose count follows from the iterations, which each run
# records (machine_info.hashers) and compare reports when they differ.
DEFAULT_INSTRUCTION_ARGS = (
    "benchmarks --hashers=md5 --deselect=benchmarks/test_hashers.py::test_raw_pbkdf2_hmac_sha256 "
    '"--deselect=benchmarks/test_schemes.py::test_scheme[BasicAuthentication]" '
    '"--deselect=benchmarks/test_schemes.py::test_scheme_bad_credentials[BasicAuthentication" '
    '"--deselect=benchmarks/test_schemes.py::test_scheme[API key (PBKDF2" '
    '"--deselect=benchmarks/test_schemes.py::test_scheme_bad_credentials[API key (PBKDF2"'
)
DEFAULTS = {
    # measure: (threshold in percent, repeats per side, pytest arguments)
    # 0.75%: unchanged code counted in two checkouts moved by up to 0.68% (docs/results/2026-11-25-compare.md).
    INSTRUCTIONS: (0.75, 1, DEFAULT_INSTRUCTION_ARGS),
    TIME: (5.0, 4, DEFAULT_TIME_ARGS),
}
NO_VALGRIND = "valgrind not found (apt-get install valgrind): comparing wall time instead of instruction counts"


def build_parser() -> argparse.ArgumentParser:
    parser = cli.parser(
        "compare",
        description="Compare benchmarks between two git revisions (run here) or between saved runs, by "
        "instruction counts (valgrind) or wall time: per benchmark the HEAD/BASE ratio and a verdict. "
        "CI gate: python -m benchtools compare origin/main HEAD",
    )
    parser.add_argument(
        "--measure",
        choices=(INSTRUCTIONS, TIME),
        help="instruction counts under valgrind's callgrind, or wall time (default: instructions when valgrind "
        "is installed, or, for saved runs, when every run has counts; else time)",
    )
    parser.add_argument("base", nargs="?", metavar="BASE", help="git revision to compare against, e.g. origin/main")
    parser.add_argument(
        "head", nargs="?", metavar="HEAD", help="git revision to compare; default: this checkout as it is (no worktree)"
    )
    saved = parser.add_argument_group("compare saved runs instead of running")
    saved.add_argument("--base-runs", nargs="+", metavar="RUN", help="run ids (0001, 0001_<commit>...) or JSON files")
    saved.add_argument("--head-runs", nargs="+", metavar="RUN", help="run ids or JSON files for the HEAD side")
    running = parser.add_argument_group("running revisions")
    running.add_argument(
        "--repeats",
        type=cli.whole_number(1),
        help="runs per side (default: 1 for instructions, which the load does not change; 4 for time, alternating "
        "A B, B A, ... so each side runs first equally often)",
    )
    running.add_argument("-k", metavar="EXPRESSION", help="pytest -k selection, passed through")
    running.add_argument("-m", metavar="MARKEXPR", help="pytest -m marker selection, passed through")
    running.add_argument(
        "--pytest-args",
        help="further pytest arguments, replacing the default selection; write it with = (default for time: "
        f'--pytest-args="{DEFAULT_TIME_ARGS}"; for instructions: {DEFAULT_INSTRUCTION_ARGS})',
    )
    running.add_argument(
        "--allow-dirty", action="store_true", help="measure this checkout even with uncommitted changes (HEAD omitted)"
    )
    verdicts = parser.add_argument_group("statistics")
    verdicts.add_argument(
        "--threshold",
        type=cli.positive_number,
        help="minimum effect in percent (default: 0.75 for instructions, 5 for time)",
    )
    verdicts.add_argument(
        "--confidence",
        type=float,
        default=0.95,
        help="time: interval confidence; the chance of any false 'slower' over all benchmarks is at most "
        "(1 - confidence) / 2 (default: 0.95)",
    )
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
    with cli.interrupt_on_sigterm():
        if args.base_runs:
            base_paths = [find_run(run, args.storage) for run in args.base_runs]
            head_paths = [find_run(run, args.storage) for run in args.head_runs]
            base, head = [load_run(p) for p in base_paths], [load_run(p) for p in head_paths]
            measure = args.measure or saved_runs_measure(base + head)
        else:
            measure = args.measure or revisions_measure()
            base_paths, head_paths = run_revisions(args, measure)
            base, head = [load_run(p) for p in base_paths], [load_run(p) for p in head_paths]
        threshold = (DEFAULTS[measure][0] if args.threshold is None else args.threshold) / 100
        comparisons, notes = compare_runs(base, head, measure=measure, threshold=threshold, confidence=args.confidence)
    for note in notes:
        print(note, file=sys.stderr)
    if args.plot:
        from benchtools.compare.chart import ratio_chart

        title = f"head {describe(head)} / base {describe(base)}, {measure}"
        ratio_chart(comparisons, args.plot, threshold=threshold, title=title)
    print(render(args, comparisons, threshold, base, head, notes))
    return cli.EXIT_FINDING if any(c.verdict == SLOWER for c in comparisons) else cli.EXIT_OK


def revisions_measure() -> str:
    """Instructions where valgrind is installed, else wall time, said in one line."""
    if valgrind_version() is not None:
        return INSTRUCTIONS
    print(NO_VALGRIND, file=sys.stderr)
    return TIME


def saved_runs_measure(runs: list[Run]) -> str:
    """Instructions when every run has counts, wall time when none has; a mix is an error."""
    counted = [run for run in runs if run.counting is not None]
    if len(counted) == len(runs):
        return INSTRUCTIONS
    if counted:
        timed = [run for run in runs if run.counting is None]
        raise ToolError(f"{files(timed)}: no instruction counts, unlike {files(counted)}: compare runs made alike")
    return TIME


def argument_problem(args: argparse.Namespace) -> str | None:
    if args.base_runs or args.head_runs:
        if not (args.base_runs and args.head_runs) or args.base:
            return "compare saved runs with both --base-runs and --head-runs, and no revisions"
    elif not args.base:
        return "give a BASE revision (and optionally HEAD), or --base-runs and --head-runs"
    if not 0.5 <= args.confidence < 1:
        return "--confidence must be in [0.5, 1)"
    return None


def run_revisions(args: argparse.Namespace, measure: str) -> tuple[list[Path], list[Path]]:
    """Run both revisions `--repeats` times, alternating; return the saved run files per side."""
    if measure == INSTRUCTIONS and valgrind_version() is None:
        raise ToolError("--measure instructions: valgrind is not installed (apt-get install valgrind)")
    _, repeats, default_args = DEFAULTS[measure]
    repeats = args.repeats or repeats
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
    selection = shlex.split(default_args if args.pytest_args is None else args.pytest_args)
    selection += ["--instructions"] if measure == INSTRUCTIONS else []
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
        for repeat in range(1, repeats + 1):
            # A B, B A, A B, ...: each side runs first as often as the other, so a drift, or a
            # slowdown that follows a run's place in the pair, does not land on one side only.
            sides = ("base", "head") if repeat % 2 else ("head", "base")
            started = time.monotonic()
            jobs = {side: (checkouts[side], f"{commits[side]}_{stamp}_{side}{repeat}") for side in sides}
            if measure == INSTRUCTIONS:  # counts do not depend on what else runs: both sides at once
                both = measure_side_by_side([jobs[side] for side in sides], storage, selection, measure_checkout)
                paths = dict(zip(sides, both, strict=True))
            else:
                paths = {side: measure_checkout(jobs[side][0], storage, jobs[side][1], selection) for side in sides}
            for side in sides:
                recorded = load_run(paths[side]).commit
                if recorded != commits[side]:
                    raise ToolError(f"{paths[side]}: recorded commit {recorded}, expected {commits[side]}")
                saved[side].append(paths[side])
                print(
                    f"{side} {commits[side][:12]} run {repeat}/{repeats}: {time.monotonic() - started:.0f} s, "
                    f"saved {paths[side]}",
                    file=sys.stderr,
                )
    return saved["base"], saved["head"]


def compare_runs(
    base: list[Run], head: list[Run], *, measure: str, threshold: float, confidence: float
) -> tuple[list[Comparison], list[str]]:
    """Compare every benchmark the two sides have in common; notes say what was left out or assumed."""
    check_measured(base + head, measure)
    notes = environment_differences(base + head)
    base_by_name = [run.by_name() for run in base]
    head_by_name = [run.by_name() for run in head]
    base_names = set().union(*base_by_name)
    head_names = set().union(*head_by_name)
    common = sorted(base_names & head_names)
    if not common:
        raise ToolError(f"no benchmark in common between {files(base)} and {files(head)}")
    one_sided = sorted(base_names ^ head_names)
    if one_sided:
        listed = ", ".join(one_sided[:5]) + (", ..." if len(one_sided) > 5 else "")
        notes.append(f"note: {len(one_sided)} benchmarks in only one side, not compared: {listed}")

    def side(runs_by_name: list[dict], name: str) -> list:
        found = [by_name[name] for by_name in runs_by_name if name in by_name]
        return [bench.instructions if measure == INSTRUCTIONS else bench.stats for bench in found]

    if measure == INSTRUCTIONS:
        notes.append(WHAT_COUNTS_MISS)
        comparisons = [
            compare_counts(name, side(base_by_name, name), side(head_by_name, name), threshold=threshold)
            for name in common
        ]
        return comparisons, notes
    without_data = [run.path.name for run in base + head if not any(bench.stats.data for bench in run.benchmarks)]
    if without_data:
        notes.append(
            f"note: no raw timings (saved without --benchmark-save-data) in {', '.join(without_data)}: "
            "their within-run spread is estimated from the IQR"
        )
    if len(base) + len(head) < 3:
        notes.append(
            "note: one run per side: intervals cover within-run variation only, not between runs; "
            "a slowdown so found does not fail the gate (run --repeats 2 or more)"
        )
    timings = {name: (side(base_by_name, name), side(head_by_name, name)) for name in common}
    return compare_all(timings, threshold=threshold, confidence=confidence), notes


def check_measured(runs: list[Run], measure: str) -> None:
    """Instruction counts need counted runs; wall time needs timed ones (a counted run's times are valgrind's)."""
    for run in runs:
        if measure == INSTRUCTIONS and run.counting is None:
            raise ToolError(f"{run.path}: no instruction counts (a timed run): compare it with --measure time")
        if measure == TIME and run.counting is not None:
            raise ToolError(f"{run.path}: an instruction-count run, timed under valgrind: use --measure instructions")


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
    header = f"head {describe(head)} vs base {describe(base)}, by {comparisons[0].measure}"
    if args.markdown:
        return header + "\n\n" + report.markdown(comparisons, threshold=threshold, confidence=args.confidence)
    return header + "\n\n" + report.table(comparisons, threshold=threshold, confidence=args.confidence)
