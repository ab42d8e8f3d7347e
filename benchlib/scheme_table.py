"""The "auth schemes" table: per-request median, ratio to no authentication, hashing, queries, bad credential.

pytest-benchmark's own table cannot show extra_info, so the harness prints this one after
it, and `python -m benchtools schemes RUN.json` prints it again from a saved run.
"""

from __future__ import annotations

from dataclasses import dataclass

from benchlib import formatting
from benchlib.records import BAD_CREDENTIALS_GROUP, BASELINE_SCHEME, SCHEMES_GROUP, read_scheme

COLUMNS = ("scheme", "median", "x no auth", "hashed per request", "queries", "bad credential")


@dataclass(frozen=True)
class Measured:
    """One benchmark's group, median (seconds) and extra_info, from a live session or a saved run."""

    group: str | None
    median: float
    extra_info: dict


def scheme_table(benchmarks: list[Measured]) -> str:
    """A Markdown table of the scheme benchmarks, cheapest first; '' if there are none.

    A scheme benchmark whose extra_info is not a scheme record raises ValueError.
    """
    good = {read_scheme(b.extra_info).scheme: b for b in benchmarks if b.group == SCHEMES_GROUP}
    bad = {read_scheme(b.extra_info).scheme: b for b in benchmarks if b.group == BAD_CREDENTIALS_GROUP}
    if not good:
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
    return "\n".join(formatting.markdown(COLUMNS, rows))
