"""A comparison's results as a terminal table, Markdown (for a pull request) or JSON.

Each output says the same: every benchmark's verdict, for each benchmark found slower or faster
the functions whose work changed (when profiled), the packages whose versions differ between
the sides, and the notes on what the comparison left out or assumed.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from benchlib import formatting
from benchtools.compare.stats import Comparison, Verdict
from benchtools.compare.where import FunctionChange, Where
from benchtools.options import Measure

TIME_HEADERS = (
    "benchmark", "base median", "head median", "head/base", "{confidence:.0%} interval", "p slower (Holm)", "verdict",
)  # fmt: skip
COUNT_HEADERS = ("benchmark", "base instructions", "head instructions", "head/base", "range over calls", "verdict")
WHERE_HEADERS = ("function", "bytecode instructions per call", "calls")
MARKS = {Verdict.SLOWER: "🔴 ", Verdict.WITHIN_RUN_SLOWER: "🟠 ", Verdict.FASTER: "🟢 "}
# How many changed functions a terminal or Markdown report shows per benchmark; JSON has them all.
WHERE_ROWS = 8
NAMES_IN_SUMMARY = 5


@dataclass(frozen=True)
class Side:
    """The runs one side of the comparison is made of, as the report names them."""

    description: str  # `1a2b3c4d5e6f (1 runs)`
    runs: list[dict[str, str]]  # each run's file and commit


@dataclass(frozen=True)
class Report:
    comparisons: list[Comparison]
    threshold: float
    confidence: float
    base: Side
    head: Side
    notes: list[str] = field(default_factory=list)
    packages: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (base's version, head's)
    where: dict[str, Where] = field(default_factory=dict)  # by benchmark name, for those profiled

    @property
    def measure(self) -> Measure:
        return self.comparisons[0].measure

    @property
    def regression(self) -> bool:
        return any(c.verdict == Verdict.SLOWER for c in self.comparisons)

    @property
    def header(self) -> str:
        return f"head {self.head.description} vs base {self.base.description}, by {self.measure}"


def by_effect(comparisons: list[Comparison]) -> list[Comparison]:
    """Slowest-down first, biggest speed-up last."""
    return sorted(comparisons, key=lambda c: c.ratio, reverse=True)


def counted(comparisons: list[Comparison]) -> bool:
    return bool(comparisons) and comparisons[0].measure == Measure.INSTRUCTIONS


def headers(report: Report) -> tuple[str, ...]:
    if counted(report.comparisons):
        return COUNT_HEADERS
    return tuple(h.format(confidence=report.confidence) for h in TIME_HEADERS)


def row(c: Comparison) -> tuple[str, ...]:
    if c.measure == Measure.INSTRUCTIONS:
        return (
            formatting.short_name(c.name),
            formatting.count(c.base_median),
            formatting.count(c.head_median),
            f"{c.ratio:.4f}",
            f"{c.low:.4f} – {c.high:.4f}",
            c.verdict,
        )
    return (
        formatting.short_name(c.name),
        formatting.duration(c.base_median, 4),
        formatting.duration(c.head_median, 4),
        f"{c.ratio:.3f}",
        f"{c.low:.3f} – {c.high:.3f}",
        f"{c.p_slower:.3g}",
        c.verdict,
    )


def summary(report: Report) -> str:
    counts: dict[str, int] = {}
    for c in report.comparisons:
        counts[c.verdict] = counts.get(c.verdict, 0) + 1
    listed = ", ".join(f"{count} {name}" for name, count in sorted(counts.items()))
    slower = [formatting.short_name(c.name) for c in by_effect(report.comparisons) if c.verdict == Verdict.SLOWER]
    named = ", ".join(slower[:NAMES_IN_SUMMARY]) + (
        f" and {len(slower) - NAMES_IN_SUMMARY} more" if len(slower) > NAMES_IN_SUMMARY else ""
    )
    gate = f"REGRESSION: {named}" if slower else "no significant slowdown"
    minimum = f"{report.threshold * 100:g}%"
    return f"{len(report.comparisons)} benchmarks by {report.measure}: {listed}; minimum effect {minimum}; {gate}"


def function_row(change: FunctionChange) -> tuple[str, str, str]:
    if change.base_instructions is None:
        instructions = "(C)"
    else:
        instructions = (
            f"{change.change:+,}: {formatting.count(change.base_instructions)} → "
            f"{formatting.count(change.head_instructions or 0)}"
        )
    return change.function, instructions, f"{change.base_calls:,} → {change.head_calls:,}"


def where_rows(found: Where) -> list[tuple[str, str, str]]:
    return [function_row(change) for change in [*found.functions, *found.c_functions][:WHERE_ROWS]]


def where_title(name: str, found: Where) -> str:
    if found.same_work:
        return (
            f"where {formatting.short_name(name)} changed: nowhere; every function ran the same "
            f"{formatting.count(found.base_total)} bytecode instructions and calls on both sides"
        )
    changed = len(found.functions) + len(found.c_functions)
    shown = "all" if changed <= WHERE_ROWS else f"the {WHERE_ROWS} largest"
    return (
        f"where {formatting.short_name(name)} changed: {found.change:+,} bytecode instructions per call "
        f"({formatting.count(found.base_total)} → {formatting.count(found.head_total)}); {shown} of the "
        f"{len(found.functions)} Python and {len(found.c_functions)} C functions whose counts changed"
    )


def package_rows(report: Report) -> list[tuple[str, str, str]]:
    return [(name, base, head) for name, (base, head) in report.packages.items()]


def table(report: Report) -> str:
    lines = [
        report.header,
        "",
        *formatting.aligned([headers(report), *map(row, by_effect(report.comparisons))], rule=True),
    ]
    lines += ["", summary(report)]
    for comparison in by_effect(report.comparisons):
        found = report.where.get(comparison.name)
        if found is not None:
            lines += ["", where_title(comparison.name, found)]
            lines += formatting.aligned([WHERE_HEADERS, *where_rows(found)], rule=True)
    if report.packages:
        lines += ["", "packages whose versions differ:"]
        lines += formatting.aligned([("package", "base", "head"), *package_rows(report)], rule=True)
    return "\n".join(lines)


def markdown(report: Report) -> str:
    """A pull-request comment: the summary, the benchmarks that moved and where, the rest folded away."""
    moved = [c for c in by_effect(report.comparisons) if c.verdict != Verdict.UNCHANGED]
    unchanged = [c for c in by_effect(report.comparisons) if c.verdict == Verdict.UNCHANGED]

    def cells(comparisons: list[Comparison]) -> list[list[str]]:
        return [[f"`{r[0]}`", *r[1:-1], MARKS.get(c.verdict, "") + r[-1]] for c in comparisons for r in [row(c)]]

    lines = [f"**Benchmarks: {summary(report)}**", "", report.header, ""]
    if moved:
        lines += formatting.markdown(headers(report), cells(moved))
    for comparison in moved:
        found = report.where.get(comparison.name)
        if found is not None:
            lines += ["", f"**{where_title(comparison.name, found)}**", ""]
            rows = [[f"`{function}`", instructions, calls] for function, instructions, calls in where_rows(found)]
            lines += formatting.markdown(WHERE_HEADERS, rows)
    if unchanged:
        lines += ["", f"<details><summary>{len(unchanged)} unchanged</summary>", ""]
        lines += [*formatting.markdown(headers(report), cells(unchanged)), "", "</details>"]
    if report.packages:
        lines += ["", "Packages whose versions differ:", ""]
        lines += formatting.markdown(("package", "base", "head"), package_rows(report))
    return "\n".join(lines)


def as_json(report: Report) -> str:
    document: dict[str, Any] = {
        "measure": report.measure,
        "threshold": report.threshold,
        "confidence": None if counted(report.comparisons) else report.confidence,
        "runs": {"base": report.base.runs, "head": report.head.runs},
        "regression": report.regression,
        "notes": report.notes,
        "packages": {name: {"base": base, "head": head} for name, (base, head) in report.packages.items()},
        "benchmarks": [
            {**asdict(c), "where": asdict(report.where[c.name]) if c.name in report.where else None}
            for c in by_effect(report.comparisons)
        ],
    }
    return json.dumps(document, indent=2)
