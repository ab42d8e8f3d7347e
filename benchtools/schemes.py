"""`python -m benchtools schemes RUN`: the auth-schemes table of a saved run, as `pytest --benchmark-only` prints it."""

from __future__ import annotations

import argparse
from pathlib import Path

from benchlib.records import SCHEMES_GROUP
from benchlib.scheme_table import Measured, scheme_table
from benchtools import cli
from benchtools.cli import ToolError
from benchtools.runs import find_run, load_run


def build_parser() -> argparse.ArgumentParser:
    parser = cli.parser("schemes", description=__doc__.split(": ", 1)[1])
    parser.add_argument("run", metavar="RUN", help="a saved run: its id (0001) or its JSON file")
    parser.add_argument("--storage", type=Path, help="pytest-benchmark storage (default: .benchmarks of this checkout)")
    return parser


def main(argv: list[str] | None = None) -> int:
    return cli.main(build_parser(), argv, schemes)


def schemes(args: argparse.Namespace) -> int:
    path = find_run(args.run, args.storage)
    run = load_run(path)
    measured = [Measured(bench.group, bench.stats.median, bench.extra_info) for bench in run.benchmarks]
    try:
        table = scheme_table(measured)
    except ValueError as error:
        raise ToolError(f"{path}: a scheme benchmark's {error}") from None
    if not table:
        raise ToolError(f"{path}: no '{SCHEMES_GROUP}' benchmarks in this run")
    print(table)
    return cli.EXIT_OK
