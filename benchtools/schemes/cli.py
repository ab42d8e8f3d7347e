"""`python -m benchtools schemes RUN`: a saved run's authentication tables, as `pytest --benchmark-only` prints them.

The auth-schemes table, then the table of the measured project's own authentication classes
(with those it could not measure), whichever the run has.
"""

from __future__ import annotations

import argparse

from benchlib.formats.records import PROJECT_GROUP, SCHEMES_GROUP
from benchlib.scheme_table import measured_in_run, project_table, scheme_table
from benchtools import cli, options
from benchtools.errors import ExitCode, ToolError
from benchtools.runs import load_run
from benchtools.storage import Storage


def build_parser() -> argparse.ArgumentParser:
    parser = cli.parser("schemes", description=(__doc__ or "").split(": ", 1)[1].split("\n", 1)[0])
    parser.add_argument("run", metavar="RUN", help="a saved run: its id (0001) or its JSON file")
    options.add_storage(parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    return cli.main(build_parser(), argv, lambda arguments: schemes(arguments.run, options.storage_of(arguments)))


def schemes(reference: str, storage: Storage) -> int:
    path = storage.find(reference)
    run = load_run(path)
    measured = measured_in_run(run.benchmarks)
    project = run.content.machine_info.project
    try:
        tables = [scheme_table(measured)]
        if project is not None:
            tables.append(project_table(measured, project.settings, project.authentication_not_measured))
    except ValueError as error:
        raise ToolError(f"{path}: {error}") from None
    tables = [table for table in tables if table]
    if not tables:
        raise ToolError(f"{path}: no '{SCHEMES_GROUP}' or '{PROJECT_GROUP}' benchmarks in this run")
    print("\n\n".join(tables))
    return ExitCode.OK
