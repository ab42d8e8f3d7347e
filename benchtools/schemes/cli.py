"""`python -m benchtools schemes RUN [RUN ...]`: saved runs' authentication tables, as pytest prints them.

One run: its auth-schemes table, then the table of the measured project's own authentication
classes (with those it could not measure), whichever the run has. Several runs (the same
schemes measured on SQLite and on PostgreSQL, say): one auth-schemes table with each run's
median and ratio to its own request without authentication side by side, then the database
each run measured and how the runs' machines and versions differ.
"""

from __future__ import annotations

import argparse

from benchlib.formats.records import PROJECT_GROUP, SCHEMES_GROUP
from benchlib.scheme_table import measured_in_run, project_table, scheme_table, side_by_side
from benchtools import cli, options
from benchtools.errors import ExitCode, ToolError
from benchtools.runs import Run, environment_differences, load_run
from benchtools.storage import Storage


def build_parser() -> argparse.ArgumentParser:
    parser = cli.parser("schemes", description=(__doc__ or "").split("\n\n", 1)[1])
    parser.add_argument("runs", nargs="+", metavar="RUN", help="a saved run: its id (0001) or its JSON file")
    options.add_storage(parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    return cli.main(build_parser(), argv, lambda arguments: schemes(arguments.runs, options.storage_of(arguments)))


def schemes(references: list[str], storage: Storage) -> int:
    runs = [load_run(storage.find(reference)) for reference in references]
    print(one_run(runs[0]) if len(runs) == 1 else several_runs(runs))
    return ExitCode.OK


def one_run(run: Run) -> str:
    measured = measured_in_run(run.benchmarks)
    project = run.content.machine_info.project
    try:
        tables = [scheme_table(measured)]
        if project is not None:
            tables.append(project_table(measured, project.settings, project.authentication_not_measured))
    except ValueError as error:
        raise ToolError(f"{run.path}: {error}") from None
    tables = [table for table in tables if table]
    if not tables:
        raise ToolError(f"{run.path}: no '{SCHEMES_GROUP}' or '{PROJECT_GROUP}' benchmarks in this run")
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
