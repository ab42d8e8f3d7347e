"""`python -m benchtools schemes RUN`: a saved run's authentication tables, as `pytest --benchmark-only` prints them.

The auth-schemes table, then the table of the measured project's own authentication classes
(with those it could not measure), whichever the run has. Where the run, or the run given by
--growth, has growth benchmarks (`pytest --benchmark-only -m growth`, or counted with
--instructions), the scheme table says how each row grows with what it reads, the growth
table follows, and --plot draws it: one log-log panel per scheme.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

from benchlib import growth
from benchlib.formats.records import GROWTH_GROUP, PROJECT_GROUP, SCHEMES_GROUP
from benchlib.scheme_table import measured_in_run, project_table, scheme_table
from benchtools import cli, options
from benchtools.errors import ExitCode, ToolError
from benchtools.runs import Run, load_run
from benchtools.storage import Storage


@dataclass(frozen=True)
class SchemesOptions:
    run: str
    storage: Storage
    growth_run: str | None = None  # None: the growth benchmarks of `run`, if it has any
    plot: Path | None = None


def build_parser() -> argparse.ArgumentParser:
    parser = cli.parser("schemes", description=(__doc__ or "").split(": ", 1)[1].split("\n", 1)[0])
    parser.add_argument("run", metavar="RUN", help="a saved run: its id (0001) or its JSON file")
    parser.add_argument(
        "--growth",
        metavar="RUN",
        help="the saved run of the growth benchmarks (pytest --benchmark-only -m growth), if not RUN itself",
    )
    parser.add_argument("--plot", type=Path, metavar="PNG", help="draw how each scheme grows to this PNG")
    options.add_storage(parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    def body(arguments: argparse.Namespace) -> int:
        chosen = SchemesOptions(arguments.run, options.storage_of(arguments), arguments.growth, arguments.plot)
        return schemes(chosen)

    return cli.main(build_parser(), argv, body)


def schemes(chosen: SchemesOptions) -> int:
    run = load_run(chosen.storage.find(chosen.run))
    growth_run = run if chosen.growth_run is None else load_run(chosen.storage.find(chosen.growth_run))
    series = growth_series(growth_run)
    if chosen.growth_run is not None and not series:
        raise ToolError(f"{growth_run.path}: no '{GROWTH_GROUP}' benchmarks (pytest --benchmark-only -m growth)")
    if chosen.plot is not None and not series:
        raise ToolError(f"{run.path}: no '{GROWTH_GROUP}' benchmarks to plot; give --growth RUN")
    measured = measured_in_run(run.benchmarks)
    project = run.content.machine_info.project
    try:
        tables = [scheme_table(measured, growth=growth.growth_column(series))]
        if project is not None:
            tables.append(project_table(measured, project.settings, project.authentication_not_measured))
    except ValueError as error:
        raise ToolError(f"{run.path}: {error}") from None
    tables = [table for table in tables if table] + ([growth.growth_table(series)] if series else [])
    if not tables:
        raise ToolError(
            f"{run.path}: no '{SCHEMES_GROUP}', '{PROJECT_GROUP}' or '{GROWTH_GROUP}' benchmarks in this run"
        )
    print("\n\n".join(tables))
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
    return growth.series_of(measured_in_run(run.benchmarks))
