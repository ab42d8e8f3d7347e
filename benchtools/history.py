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

from benchtools.gitrev import default_storage
from benchtools.report import short_name
from benchtools.runs import Run, RunError, find_run, load_run, saved_run_paths


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchtools history",
        description="List saved benchmark runs and plot benchmarks' medians over commits.",
    )
    parser.add_argument("--storage", type=Path, help="pytest-benchmark storage (default: .benchmarks of this checkout)")
    parser.add_argument("--run", nargs="+", metavar="RUN", help="only these runs (ids or JSON files)")
    parser.add_argument(
        "--benchmark",
        action="append",
        metavar="PATTERN",
        help="benchmark to plot: its name or full name, shell wildcards allowed; repeatable",
    )
    parser.add_argument("--plot", type=Path, metavar="PNG", help="write the medians over runs to this PNG")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.plot and not args.benchmark:
        parser.error("--plot needs at least one --benchmark")
    args.storage = args.storage or default_storage()
    try:
        runs = chosen_runs(args)
        if not runs:
            raise RunError(f"{args.storage}: no saved runs")
        print(listing(runs))
        if args.plot:
            plot(runs, args.benchmark, args.plot)
    except RunError as error:
        print(f"benchtools history: {error}", file=sys.stderr)
        return 2
    return 0


def chosen_runs(args: argparse.Namespace) -> list[Run]:
    if args.run:
        return sorted((load_run(find_run(run, args.storage)) for run in args.run), key=lambda run: run.date)
    runs = []
    for path in saved_run_paths(args.storage):
        try:
            runs.append(load_run(path))
        except RunError as error:
            print(f"warning: skipped {error}", file=sys.stderr)
    return sorted(runs, key=lambda run: run.date)


def listing(runs: list[Run]) -> str:
    rows = [("id", "commit", "date (UTC)", "django", "benchmarks", "machine", "file")]
    for run in runs:
        rows.append(
            (
                run.run_id,
                run.commit[:12] + ("+dirty" if run.dirty else ""),
                run.date[:19].replace("T", " "),
                str(run.versions.get("django", "?")),
                str(len(run.content["benchmarks"])),
                run.machine,
                run.path.name,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows)


def plot(runs: list[Run], patterns: list[str], path: Path) -> None:
    """Each matching benchmark's median per run, runs labelled `id commit`, oldest first."""
    from benchtools.charts import history_chart  # matplotlib only when a chart is asked for

    series: dict[str, list[tuple[str, float, float, float]]] = {}
    for run in runs:
        label = f"{run.run_id} {run.commit[:8]}"
        for bench in run.content["benchmarks"]:
            if any(matches(bench, pattern) for pattern in patterns):
                stats = bench["stats"]
                median = float(stats["median"])
                point = (label, float(stats.get("q1", median)), median, float(stats.get("q3", median)))
                series.setdefault(bench["fullname"], []).append(point)
    unmatched = [p for p in patterns if not any(matches({"fullname": name}, p) for name in series)]
    if unmatched:
        raise RunError(f"no saved run has a benchmark matching {', '.join(unmatched)}")
    history_chart(series, path, title=f"medians over {len(runs)} runs")


def matches(bench: dict, pattern: str) -> bool:
    fullname = bench["fullname"]
    names = (fullname, short_name(fullname), fullname.split("::")[-1])
    # Parametrize ids look like wildcard classes ("[md5]"): a literal name matches first.
    return pattern in names or any(fnmatch.fnmatchcase(name, pattern) for name in names)
