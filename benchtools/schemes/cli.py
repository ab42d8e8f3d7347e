"""`python -m benchtools schemes RUN [RUN ...]`: saved runs' authentication tables, as pytest prints them.

One run: its auth-schemes table, then the table of the measured project's own authentication
classes (with those it could not measure), whichever the run has. Several runs (the same
schemes measured on SQLite and on PostgreSQL, say): one auth-schemes table with each run's
median and ratio to its own request without authentication side by side, then the database
each run measured and how the runs' machines and versions differ. Where the first run, or
the run given by --growth, has growth benchmarks (`pytest --benchmark-only -m growth`, or
counted with --instructions), one run's scheme table says how each row grows with what it
reads, the growth table follows, and --plot draws it: one log-log panel per scheme.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

from benchlib import growth
from benchlib.formats.records import GROWTH_GROUP, PROJECT_GROUP, SCHEMES_GROUP
from benchlib.scheme_table import measured_in_run, project_table, scheme_table, side_by_side
from benchtools import cli, options
from benchtools.errors import ExitCode, ToolError
from benchtools.runs import Run, environment_differences, load_run
from benchtools.storage import Storage


@dataclass(frozen=True)
class SchemesOptions:
    runs: list[str]
    storage: Storage
    growth_run: str | None = None  # None: the growth benchmarks of the first run, if it has any
    plot: Path | None = None


def build_parser() -> argparse.ArgumentParser:
    parser = cli.parser("schemes", description=(__doc__ or "").split("\n\n", 1)[1])
    parser.add_argument("runs", nargs="+", metavar="RUN", help="a saved run: its id (0001) or its JSON file")
    parser.add_argument(
        "--growth",
        metavar="RUN",
        help="the saved run of the growth benchmarks (pytest --benchmark-only -m growth), if not the first RUN",
    )
    parser.add_argument("--plot", type=Path, metavar="PNG", help="draw how each scheme grows to this PNG")
    options.add_storage(parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    def body(arguments: argparse.Namespace) -> int:
        chosen = SchemesOptions(arguments.runs, options.storage_of(arguments), arguments.growth, arguments.plot)
        return schemes(chosen)

    return cli.main(build_parser(), argv, body)


def schemes(chosen: SchemesOptions) -> int:
    runs = [load_run(chosen.storage.find(reference)) for reference in chosen.runs]
    growth_run = runs[0] if chosen.growth_run is None else load_run(chosen.storage.find(chosen.growth_run))
    series = growth_series(growth_run)
    if chosen.growth_run is not None and not series:
        raise ToolError(f"{growth_run.path}: no '{GROWTH_GROUP}' benchmarks (pytest --benchmark-only -m growth)")
    if chosen.plot is not None and not series:
        raise ToolError(f"{growth_run.path}: no '{GROWTH_GROUP}' benchmarks to plot; give --growth RUN")
    tables = [one_run(runs[0], series) if len(runs) == 1 else several_runs(runs)]
    print("\n\n".join(table for table in [*tables, growth.growth_table(series)] if table))
    if chosen.plot is not None:
        from benchtools.schemes.chart import growth_chart

        what = "instructions" if all(each.instructions for each in series) else "fastest request"
        growth_chart(
            series,
            chosen.plot,
            title=f"cost per request by what each scheme reads: {what}, run {growth_run.run_id}",
        )
    return ExitCode.OK


def growth_series(run: Run) -> list[growth.Series]:
    try:
        return growth.series_of(measured_in_run(run.benchmarks))
    except ValueError as error:
        raise ToolError(f"{run.path}: {error}") from None


def one_run(run: Run, series: list[growth.Series]) -> str:
    """The run's scheme table (with a 'grows with' column from `series`, if any) and its project's table."""
    measured = measured_in_run(run.benchmarks)
    project = run.content.machine_info.project
    try:
        tables = [scheme_table(measured, growth=growth.growth_column(series))]
        if project is not None:
            tables.append(project_table(measured, project.settings, project.authentication_not_measured))
    except ValueError as error:
        raise ToolError(f"{run.path}: {error}") from None
    tables = [table for table in tables if table]
    if not tables and not series:
        raise ToolError(
            f"{run.path}: no '{SCHEMES_GROUP}', '{PROJECT_GROUP}' or '{GROWTH_GROUP}' benchmarks in this run"
        )
    return "\n\n".join(tables)


def several_runs(runs: list[Run]) -> str:
    labelled = []
    for run in runs:
        try:
            labelled.append((label(run), measured_in_run(run.benchmarks)))
        except ValueError as error:
            raise ToolError(f"{run.path}: {error}") from None
    try:
        table = side_by_side(labelled)
    except ValueError as error:
        raise ToolError(f"{', '.join(str(run.path) for run in runs)}: {error}") from None
    if not table:
        raise ToolError(f"no '{SCHEMES_GROUP}' benchmarks in {', '.join(str(run.path) for run in runs)}")
    described = [f"{run.run_id}: {database(run)}; {run.date[:19]}, commit {run.short_commit}" for run in runs]
    return "\n".join([table, "", *described, *environment_differences(runs)])


def label(run: Run) -> str:
    record = run.content.machine_info.database
    return f"{run.run_id} {record.label}" if record is not None else run.run_id


def database(run: Run) -> str:
    """The database a run measured, in words; runs saved before it was recorded say so."""
    record = run.content.machine_info.database
    if record is None:
        return "database not recorded"
    words = [f"{record.vendor} {record.version}", record.where]
    connections = record.connections
    if connections is not None:
        words.append(f"CONN_MAX_AGE {connections.conn_max_age}" + (", pool" if connections.pool else ""))
    words += [f"{name} {value}" for name, value in record.settings.items()]
    return ", ".join(words)
