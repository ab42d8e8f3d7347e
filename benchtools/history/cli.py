"""`python -m benchtools history`: the saved runs, and chosen benchmarks' medians over commits.

Lists every run in storage (id, commit, date, Django version, machine) oldest first;
with --plot, draws the medians (and quartiles) of the benchmarks named by --benchmark
over those runs, like asv's graphs. Storage is only read. A file in storage that is
not a readable run is named in a warning and skipped; a run file given by --run that
is not one is an error (exit 2).
"""

from __future__ import annotations

import argparse
import fnmatch
import sys
from pathlib import Path

from benchlib import formatting
from benchtools import cli
from benchtools.cli import ToolError
from benchtools.runs import Run, default_storage, find_run, load_run, saved_run_paths


def build_parser() -> argparse.ArgumentParser:
    parser = cli.parser("history", description="List saved benchmark runs and plot benchmarks' medians over commits.")
    parser.add_argument("--storage", type=Path, help="pytest-benchmark storage (default: .benchmarks of this checkout)")
    parser.add_argument("--run", nargs="+", metavar="RUN", help="only these runs (ids or JSON files)")
    parser.add_argument(
        "--benchmark",
        action="append",
        metavar="PATTERN",
        help="benchmark to plot: its name or full name, or a shell pattern (`*`, `?`); repeatable",
    )
    parser.add_argument("--plot", type=Path, metavar="PNG", help="write the medians over runs to this PNG")
    return parser


def main(argv: list[str] | None = None) -> int:
    return cli.main(build_parser(), argv, history, argument_problem)


def argument_problem(args: argparse.Namespace) -> str | None:
    return "--plot needs at least one --benchmark" if args.plot and not args.benchmark else None


def history(args: argparse.Namespace) -> int:
    storage = args.storage or default_storage()
    runs = chosen_runs(args.run, storage)
    if not runs:
        raise ToolError(f"{storage}: no saved runs")
    print(listing(runs))
    if args.plot:
        plot(runs, args.benchmark, args.plot)
    return cli.EXIT_OK


def chosen_runs(references: list[str] | None, storage: Path) -> list[Run]:
    if references:
        return sorted((load_run(find_run(reference, storage)) for reference in references), key=lambda run: run.date)
    runs = []
    for path in saved_run_paths(storage):
        try:
            runs.append(load_run(path))
        except ToolError as error:
            print(f"warning: skipped {cli.one_line(str(error))}", file=sys.stderr)
    return sorted(runs, key=lambda run: run.date)


def listing(runs: list[Run]) -> str:
    rows = [("id", "commit", "date (UTC)", "django", "benchmarks", "machine", "file")]
    for run in runs:
        rows.append(
            (
                run.run_id,
                run.commit[:12] + ("+dirty" if run.dirty else ""),
                run.date[:19].replace("T", " "),
                run.versions.get("django", "?"),
                len(run.benchmarks),
                run.machine,
                run.path.name,
            )
        )
    return "\n".join(formatting.aligned(rows))


def plot(runs: list[Run], patterns: list[str], path: Path) -> None:
    """Each matching benchmark's median per run, runs labelled `id commit`, oldest first."""
    from benchtools.history.chart import history_chart

    series: dict[str, list[tuple[str, float, float, float]]] = {}
    for run in runs:
        label = f"{run.run_id} {run.commit[:8]}"
        for bench in run.benchmarks:
            if any(matches(bench.fullname, pattern) for pattern in patterns):
                stats = bench.stats
                series.setdefault(bench.fullname, []).append((label, stats.q1, stats.median, stats.q3))
    unmatched = [p for p in patterns if not any(matches(name, p) for name in series)]
    if unmatched:
        raise ToolError(f"no saved run has a benchmark matching {', '.join(unmatched)}")
    history_chart(series, path, title=f"medians over {len(runs)} runs")


def matches(fullname: str, pattern: str) -> bool:
    """A benchmark's full name, its name without the folder, or its test name, literally or as a pattern.

    A parametrize id looks like a wildcard class (`[md5]`), so a literal name matches first, and
    `[` in a pattern is taken literally: `test_drf_view_basic_auth[*]` matches every hasher's row.
    """
    names = (fullname, formatting.short_name(fullname), fullname.split("::")[-1])
    literal_brackets = pattern.replace("[", "[[]")
    return pattern in names or any(fnmatch.fnmatchcase(name, literal_brackets) for name in names)
