"""The authentication tables: per-request median, ratio to no authentication, hashing, queries, bad credential.

Two tables share the layout: the "auth schemes" the suite compares (benchmarks/test_schemes.py)
and the project's own authentication classes (benchmarks/test_project_auth.py), where a class
the suite could not measure is listed with the reason. pytest-benchmark's own table cannot
show extra_info, so the harness prints these after it, and `python -m benchtools schemes
RUN.json` prints them again from a saved run.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from benchlib import formatting
from benchlib.formats.benchmark_run import Benchmark
from benchlib.formats.records import (
    BAD_CREDENTIALS_GROUP,
    BASELINE_SCHEME,
    PROJECT_BAD_CREDENTIALS_GROUP,
    PROJECT_GROUP,
    SCHEMES_GROUP,
    ExtraInfo,
    SchemeRow,
    extra_info_of,
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
    """One benchmark's group, median (seconds) and extra_info, from a live session or a saved run, and its
    fastest round (seconds) where known."""

    group: str | None
    median: float
    extra_info: ExtraInfo
    fastest: float | None = None

    def scheme(self) -> SchemeRow:
        if self.extra_info.scheme is None:
            raise ValueError(f"a benchmark of group {self.group!r} has no extra_info.scheme")
        return self.extra_info.scheme


def measured_in_run(benchmarks: Iterable[Benchmark]) -> list[Measured]:
    return [Measured(bench.group, bench.stats.median, bench.extra_info, bench.stats.minimum) for bench in benchmarks]


def measured_in_session(benchmarks: Iterable[Any]) -> list[Measured]:
    """pytest-benchmark's results of this session (its `Metadata`); a malformed record raises FormatError."""
    return [
        Measured(bench.group, bench.stats.median, extra_info_of(bench.extra_info), bench.stats.min)
        for bench in benchmarks
    ]


def scheme_table(
    benchmarks: list[Measured],
    kind: TableKind = SCHEMES,
    not_measured: dict[str, str] | None = None,
    growth: dict[str, str] | None = None,
) -> str:
    """A Markdown table of one kind's benchmarks, cheapest first, then what was not measured and why;
    '' if there is neither. With `growth` (benchlib.growth.growth_column), a last column says how
    each row's cost grows with what it reads.

    A benchmark of the table without a scheme record raises ValueError.
    """
    good = {b.scheme().name: b for b in benchmarks if b.group == kind.good_group}
    bad = {b.scheme().name: b for b in benchmarks if b.group == kind.bad_group}
    if not good and not not_measured:
        return ""
    baseline = good.get(BASELINE_SCHEME)
    columns = kind.columns + (("grows with",) if growth else ())
    rows: list[tuple[object, ...]] = []
    for name, bench in sorted(good.items(), key=lambda item: item[1].median):
        record = bench.scheme()
        times = formatting.ratio(bench.median / baseline.median) if baseline else "–"
        refused = bad.get(name)
        refusal = f"{refused.scheme().refused_with} in {formatting.duration(refused.median)}" if refused else "–"
        row = (name, formatting.duration(bench.median), times, record.hashes, record.queries_per_request, refusal)
        rows.append(row + ((growth.get(name, "–"),) if growth else ()))
    not_measured_rows = (not_measured or {}).items()
    rows += [(name, f"not measured: {reason}", *["–"] * (len(columns) - 2)) for name, reason in not_measured_rows]
    return "\n".join(formatting.markdown(columns, rows))


def side_by_side(runs: list[tuple[str, list[Measured]]]) -> str:
    """One Markdown table of the scheme benchmarks of several runs: per run, the median and its ratio to that
    run's own `no authentication`; rows in the first run's order, cheapest first. '' if no run has any.

    A scheme missing from a run is a dash there; queries that differ between runs are all shown (`1 / 2`).
    """
    good = [(label, {b.scheme().name: b for b in benchmarks if b.group == SCHEMES_GROUP}) for label, benchmarks in runs]
    cheapest_first = [sorted(by_name, key=lambda name: by_name[name].median) for _, by_name in good]
    names = list(dict.fromkeys(name for ordered in cheapest_first for name in ordered))
    if not names:
        return ""
    columns = ["scheme", "hashed per request", "queries"]
    for label, _ in good:
        columns += [f"{label}: median", f"{label}: x no auth"]
    rows = []
    for name in names:
        records = [by_name[name].scheme() for _, by_name in good if name in by_name]
        queries = " / ".join(dict.fromkeys(str(record.queries_per_request) for record in records))
        row: list[object] = [name, records[0].hashes, queries]
        for _, by_name in good:
            bench, baseline = by_name.get(name), by_name.get(BASELINE_SCHEME)
            if bench is None:
                row += ["–", "–"]
                continue
            times = formatting.ratio(bench.median / baseline.median) if baseline else "–"
            row += [formatting.duration(bench.median), times]
        rows.append(row)
    return "\n".join(formatting.markdown(columns, rows))


def project_table(benchmarks: list[Measured], settings: str, not_measured: dict[str, str]) -> str:
    """The table of a project's own authentication classes under a line naming its settings; '' if none."""
    table = scheme_table(benchmarks, PROJECT, not_measured)
    return f"{settings}: its authentication classes through its MIDDLEWARE, cheapest first\n{table}" if table else ""
