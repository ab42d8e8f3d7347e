"""The authentication tables: per-request median, ratio to no authentication, hashing, queries, bad credential.

Two tables share the layout: the "auth schemes" the suite compares (benchmarks/test_schemes.py)
and the project's own authentication classes (benchmarks/test_project_auth.py), where a class
the suite could not measure is listed with the reason. pytest-benchmark's own table cannot
show extra_info, so the harness prints these after it, and `python -m benchtools schemes
RUN.json` prints them again from a saved run.
"""

from __future__ import annotations

from dataclasses import dataclass

from benchlib import formatting
from benchlib.records import (
    BAD_CREDENTIALS_GROUP,
    BASELINE_SCHEME,
    PROJECT_BAD_CREDENTIALS_GROUP,
    PROJECT_GROUP,
    SCHEMES_GROUP,
    read_scheme,
)


@dataclass(frozen=True)
class TableKind:
    """Which benchmarks a table shows: the group of good credentials, the group of bad ones, and its rows' name."""

    good_group: str
    bad_group: str
    row_name: str

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.row_name, "median", "x no auth", "hashed per request", "queries", "bad credential")


SCHEMES = TableKind(SCHEMES_GROUP, BAD_CREDENTIALS_GROUP, "scheme")
PROJECT = TableKind(PROJECT_GROUP, PROJECT_BAD_CREDENTIALS_GROUP, "authentication class")


@dataclass(frozen=True)
class Measured:
    """One benchmark's group, median (seconds) and extra_info, from a live session or a saved run."""

    group: str | None
    median: float
    extra_info: dict


def measured_of(benchmarks) -> list[Measured]:
    """Table rows of benchmarks with a group, stats.median and extra_info: a live session's or a saved run's."""
    return [Measured(bench.group, bench.stats.median, bench.extra_info) for bench in benchmarks if bench]


def scheme_table(
    benchmarks: list[Measured], kind: TableKind = SCHEMES, not_measured: dict[str, str] | None = None
) -> str:
    """A Markdown table of one kind's benchmarks, cheapest first, then what was not measured and why;
    '' if there is neither.

    A benchmark of the table whose extra_info is not a scheme record raises ValueError.
    """
    good = {read_scheme(b.extra_info).scheme: b for b in benchmarks if b.group == kind.good_group}
    bad = {read_scheme(b.extra_info).scheme: b for b in benchmarks if b.group == kind.bad_group}
    if not good and not not_measured:
        return ""
    baseline = good.get(BASELINE_SCHEME)
    rows = []
    for name, bench in sorted(good.items(), key=lambda item: item[1].median):
        record = read_scheme(bench.extra_info)
        times = formatting.ratio(bench.median / baseline.median) if baseline else "–"
        refused = bad.get(name)
        refusal = (
            f"{read_scheme(refused.extra_info).status} in {formatting.duration(refused.median)}" if refused else "–"
        )
        rows.append((name, formatting.duration(bench.median), times, record.hashes, record.queries, refusal))
    rows += [(name, f"not measured: {reason}", "–", "–", "–", "–") for name, reason in (not_measured or {}).items()]
    return "\n".join(formatting.markdown(kind.columns, rows))


def project_table(benchmarks: list[Measured], settings: str, not_measured: dict[str, str]) -> str:
    """The table of a project's own authentication classes under a line naming its settings; '' if none."""
    table = scheme_table(benchmarks, PROJECT, not_measured)
    return f"{settings}: its authentication classes through its MIDDLEWARE, cheapest first\n{table}" if table else ""
