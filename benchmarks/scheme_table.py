"""The "auth schemes" table: per-request median, ratio to no authentication, hashing, queries, bad credential.

pytest-benchmark's own table cannot show extra_info, so benchmarks/conftest.py
prints this one after it; `python -m benchmarks.scheme_table RUN.json` prints it
again from a saved run.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

GROUP = "auth schemes"
BAD_GROUP = "auth schemes: bad credentials"
BASELINE = "no authentication"
COLUMNS = ("scheme", "median", "x no auth", "hashed per request", "queries", "bad credential")


def format_time(seconds: float) -> str:
    for unit, scale in (("s", 1), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def format_ratio(ratio: float) -> str:
    return f"{ratio:,.0f}" if ratio >= 100 else f"{ratio:.1f}"


def scheme_table(benchmarks: list[dict]) -> str:
    """A Markdown table of the scheme benchmarks in a run's `benchmarks` list, cheapest first; '' if none."""
    good = {b["extra_info"]["scheme"]: b for b in benchmarks if b.get("group") == GROUP}
    bad = {b["extra_info"]["scheme"]: b for b in benchmarks if b.get("group") == BAD_GROUP}
    if not good:
        return ""
    baseline = good.get(BASELINE)
    rows = []
    for name, bench in sorted(good.items(), key=lambda item: item[1]["stats"]["median"]):
        median = bench["stats"]["median"]
        ratio = format_ratio(median / baseline["stats"]["median"]) if baseline else "–"
        refused = bad.get(name)
        refusal = (
            f"{refused['extra_info']['status']} in {format_time(refused['stats']['median'])}" if refused else "–"
        )
        info = bench["extra_info"]
        rows.append((name, format_time(median), ratio, info["hashes"], str(info["queries_per_request"]), refusal))
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def load_run(path: Path) -> list[dict]:
    """The `benchmarks` list of a saved pytest-benchmark run; ValueError names what is wrong."""
    try:
        run = json.loads(path.read_text())
        benchmarks = run["benchmarks"]
        scheme_table(benchmarks)  # every scheme entry must have the fields the table reads
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise ValueError(f"{path}: not a readable saved benchmark run ({type(error).__name__}: {error})") from None
    return benchmarks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scheme_table", description=__doc__.splitlines()[0])
    parser.add_argument("run", type=Path, help="a saved run, .benchmarks/<machine>/NNNN_*.json")
    args = parser.parse_args(argv)
    try:
        table = scheme_table(load_run(args.run))
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    if not table:
        print(f"error: {args.run}: no '{GROUP}' benchmarks in this run", file=sys.stderr)
        return 1
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
