"""`python -m benchtools history`: the saved runs, and chosen benchmarks' medians or counts over commits.

Lists every run in storage (id, commit, date, Django version, what it measured, machine)
oldest first; with --plot, draws the medians (and quartiles) of the benchmarks named by
--benchmark over those runs, like asv's graphs. With --measure instructions only the runs
with instruction counts are listed, and --benchmark also lists each chosen benchmark's
count per run; --plot draws the counts (and the range of the counted calls). Storage is
only read. A file in storage that is not a readable run is named in a warning and
skipped; a run file given by --run that is not one is an error (exit 2).
"""

from __future__ import annotations

import argparse
import fnmatch
import sys
from pathlib import Path

from benchlib import formatting
from benchlib.formats.benchmark_run import Benchmark
from benchtools import cli, options
from benchtools.errors import ExitCode, ToolError, one_line
from benchtools.options import Measure
from benchtools.runs import Run, load_run
from benchtools.storage import Storage, saved_run_paths


def build_parser() -> argparse.ArgumentParser:
    parser = cli.parser("history", description="List saved benchmark runs and plot benchmarks' medians over commits.")
    options.add_storage(parser)
    parser.add_argument("--run", nargs="+", metavar="RUN", help="only these runs (ids or JSON files)")
    parser.add_argument(
        "--benchmark",
        action="append",
        metavar="PATTERN",
        help="benchmark to plot: its name or full name, or a shell pattern (`*`, `?`); repeatable",
    )
    parser.add_argument("--plot", type=Path, metavar="PNG", help="write the medians over runs to this PNG")
    parser.add_argument(
        "--measure",
        type=Measure,
        choices=list(Measure),
        default=Measure.TIME,
        help="time: timed runs' medians (default); instructions: the runs with instruction counts, and the counts",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()

    def body(arguments: argparse.Namespace) -> int:
        if arguments.plot and not arguments.benchmark:
            raise ToolError("--plot needs at least one --benchmark")
        return history(
            options.storage_of(arguments), arguments.run, arguments.benchmark, arguments.measure, arguments.plot
        )

    return cli.main(parser, argv, body)


def history(
    storage: Storage, references: list[str] | None, patterns: list[str] | None, measure: Measure, plot_to: Path | None
) -> int:
    runs = chosen_runs(references, storage)
    if not runs:
        raise ToolError(f"{storage.path}: no saved runs")
    if measure == Measure.INSTRUCTIONS:
        counted = [run for run in runs if run.counting is not None]
        if not counted:
            where = ", ".join(str(run.path) for run in runs) if references else str(storage.path)
            raise ToolError(f"{where}: no saved run has instruction counts (pytest --instructions makes one)")
        runs = counted
        print(listing(runs))
        if patterns:
            print()
            print(count_listing(runs, patterns))
    else:
        print(listing(runs))
        # A counted or profiled run's timings are of valgrind or of profiling: never plotted as time.
        runs = [run for run in runs if run.counting is None and not run.content.machine_info.profiled]
    if plot_to and patterns:
        if not runs:
            raise ToolError("--plot: no timed run to draw (--measure instructions draws counted runs)")
        plot(runs, patterns, plot_to, measure)
    return ExitCode.OK


def measured(run: Run) -> str:
    """What a run measured: time, instructions, or per-function work (pytest --attribution)."""
    if run.content.machine_info.profiled:
        return "profiles"
    return Measure.TIME if run.counting is None else Measure.INSTRUCTIONS


def chosen_runs(references: list[str] | None, storage: Storage) -> list[Run]:
    if references:
        return sorted((load_run(storage.find(reference)) for reference in references), key=lambda run: run.date)
    runs = []
    for path in saved_run_paths(storage.path):
        try:
            runs.append(load_run(path))
        except ToolError as error:
            print(f"warning: skipped {one_line(str(error))}", file=sys.stderr)
    return sorted(runs, key=lambda run: run.date)


def listing(runs: list[Run]) -> str:
    rows: list[tuple[object, ...]] = [
        ("id", "commit", "date (UTC)", "django", "benchmarks", "measured", "machine", "file")
    ]
    for run in runs:
        rows.append(
            (
                run.run_id,
                run.short_commit,
                run.date[:19].replace("T", " "),
                run.versions.get("django", "?"),
                len(run.benchmarks),
                measured(run),
                run.machine,
                run.path.name,
            )
        )
    return "\n".join(formatting.aligned(rows))


def count_listing(runs: list[Run], patterns: list[str]) -> str:
    """Each chosen benchmark's instruction count per run, oldest run first."""
    series = chosen_series(runs, patterns)
    rows = [("benchmark", *(run.run_id for run in runs))]
    for name, by_run in series.items():
        rows.append((formatting.short_name(name), *(counted(by_run.get(run.run_id)) for run in runs)))
    return "\n".join(formatting.aligned(rows, rule=True))


def counted(bench: Benchmark | None) -> str:
    return "-" if bench is None or bench.instructions is None else formatting.count(bench.instructions.median)


def chosen_series(runs: list[Run], patterns: list[str]) -> dict[str, dict[str, Benchmark]]:
    """The benchmarks matching any pattern, each with its entry per run id; a pattern matching none is an error."""
    series: dict[str, dict[str, Benchmark]] = {}
    for run in runs:
        for bench in run.benchmarks:
            if any(matches(bench.fullname, pattern) for pattern in patterns):
                series.setdefault(bench.fullname, {})[run.run_id] = bench
    unmatched = [p for p in patterns if not any(matches(name, p) for name in series)]
    if unmatched:
        where = (
            ", ".join(str(run.path) for run in runs)
            if len(runs) <= 3
            else f"the {len(runs)} runs of {runs[0].path.parent.parent}"
        )
        raise ToolError(f"no benchmark matching {', '.join(unmatched)} in {where}")
    return series


def plot(runs: list[Run], patterns: list[str], path: Path, measure: Measure) -> None:
    """Each matching benchmark's median (or count) per run, runs labelled `id commit`, oldest first."""
    from benchtools.history.chart import history_chart

    labels = {run.run_id: f"{run.run_id} {run.commit[:8]}" for run in runs}
    series: dict[str, list[tuple[str, float, float, float]]] = {}
    for name, by_run in chosen_series(runs, patterns).items():
        for run_id, bench in by_run.items():
            if bench.instructions is not None and measure == Measure.INSTRUCTIONS:
                calls = bench.instructions.calls
                point: tuple[float, float, float] = (min(calls), bench.instructions.median, max(calls))
            else:
                point = (bench.stats.q1, bench.stats.median, bench.stats.q3)
            series.setdefault(name, []).append((labels[run_id], *point))
    if measure == Measure.INSTRUCTIONS:
        axis = "instructions per call (log scale); bars: fewest – most of the counted calls"
        title = f"instruction counts over {len(runs)} runs"
    else:
        axis = "median time per call, s (log scale); bars: q1 – q3"
        title = f"medians over {len(runs)} runs"
    history_chart(series, path, title=title, axis=axis)


def matches(fullname: str, pattern: str) -> bool:
    """A benchmark's full name, its name without the folder, or its test name, literally or as a pattern.

    A parametrize id looks like a wildcard class (`[md5]`), so a literal name matches first, and
    `[` in a pattern is taken literally: `test_drf_view_basic_auth[*]` matches every hasher's row.
    """
    names = (fullname, formatting.short_name(fullname), fullname.split("::")[-1])
    literal_brackets = pattern.replace("[", "[[]")
    return pattern in names or any(fnmatch.fnmatchcase(name, literal_brackets) for name in names)
