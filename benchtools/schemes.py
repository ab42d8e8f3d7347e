"""`python -m benchtools schemes RUN`: a saved run's authentication tables, as `pytest --benchmark-only` prints them.

The auth-schemes table, then the table of the measured project's own authentication classes
(with those it could not measure), whichever the run has.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from benchlib.records import PROJECT_GROUP, SCHEMES_GROUP, read_project
from benchlib.scheme_table import measured_of, project_table, scheme_table
from benchtools import cli
from benchtools.cli import ToolError
from benchtools.runs import find_run, load_run


def build_parser() -> argparse.ArgumentParser:
    parser = cli.parser("schemes", description=__doc__.split(": ", 1)[1].split("\n", 1)[0])
    parser.add_argument("run", metavar="RUN", help="a saved run: its id (0001) or its JSON file")
    parser.add_argument("--storage", type=Path, help="pytest-benchmark storage (default: .benchmarks of this checkout)")
    return parser


def main(argv: list[str] | None = None) -> int:
    return cli.main(build_parser(), argv, schemes)


def schemes(args: argparse.Namespace) -> int:
    path = find_run(args.run, args.storage)
    run = load_run(path)
    measured = measured_of(run.benchmarks)
    try:
        project = read_project(run.project)
    except ValueError as error:
        raise ToolError(f"{path}: {error}") from None
    try:
        tables = [scheme_table(measured)]
        if project is not None:
            tables.append(project_table(measured, project.settings, project.not_measured))
    except ValueError as error:
        raise ToolError(f"{path}: a scheme benchmark's {error}") from None
    tables = [table for table in tables if table]
    if not tables:
        raise ToolError(f"{path}: no '{SCHEMES_GROUP}' or '{PROJECT_GROUP}' benchmarks in this run")
    print("\n\n".join(tables))
    return cli.EXIT_OK
