"""A comparison's results as a terminal table, a Markdown table (for a pull request) or JSON."""

from __future__ import annotations

import json
from dataclasses import asdict

from benchtools.stats import FASTER, SLOWER, Comparison

HEADERS = ("benchmark", "base median", "head median", "head/base", "{confidence:.0%} interval", "verdict")


def by_effect(comparisons: list[Comparison]) -> list[Comparison]:
    """Slowest-down first, biggest speed-up last."""
    return sorted(comparisons, key=lambda c: c.ratio, reverse=True)


def short_name(fullname: str) -> str:
    """`benchmarks/test_views.py::test_x[p]` -> `test_views.py::test_x[p]`."""
    return fullname.rsplit("/", 1)[-1]


def duration(seconds: float) -> str:
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.4g} {unit}"
    return f"{seconds / 1e-9:.4g} ns"


def rows(comparisons: list[Comparison]) -> list[tuple[str, ...]]:
    return [
        (
            short_name(c.name),
            duration(c.base_median),
            duration(c.head_median),
            f"{c.ratio:.3f}",
            f"{c.low:.3f} – {c.high:.3f}",
            c.verdict,
        )
        for c in by_effect(comparisons)
    ]


def summary(comparisons: list[Comparison], threshold: float) -> str:
    counts = {}
    for c in comparisons:
        counts[c.verdict] = counts.get(c.verdict, 0) + 1
    listed = ", ".join(f"{count} {name}" for name, count in sorted(counts.items()))
    slower = [short_name(c.name) for c in comparisons if c.verdict == SLOWER]
    gate = f"REGRESSION: {', '.join(slower)}" if slower else "no significant slowdown"
    return f"{len(comparisons)} benchmarks: {listed}; minimum effect {threshold:.0%}; {gate}"


def table(comparisons: list[Comparison], *, threshold: float, confidence: float) -> str:
    headers = tuple(h.format(confidence=confidence) for h in HEADERS)
    body = rows(comparisons)
    widths = [max(len(row[i]) for row in [headers, *body]) for i in range(len(headers))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in [headers, *body]]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join([*lines, "", summary(comparisons, threshold)])


def markdown(comparisons: list[Comparison], *, threshold: float, confidence: float) -> str:
    headers = tuple(h.format(confidence=confidence) for h in HEADERS)
    marks = {SLOWER: "🔴 ", FASTER: "🟢 "}
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    for comparison, row in zip(by_effect(comparisons), rows(comparisons)):
        cells = [f"`{row[0]}`", *row[1:5], marks.get(comparison.verdict, "") + row[5]]
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join([f"**Benchmarks: {summary(comparisons, threshold)}**", "", *lines])


def as_json(
    comparisons: list[Comparison], *, threshold: float, confidence: float, sides: dict, notes: list[str]
) -> str:
    return json.dumps(
        {
            "threshold": threshold,
            "confidence": confidence,
            "runs": sides,
            "regression": any(c.verdict == SLOWER for c in comparisons),
            "notes": notes,
            "benchmarks": [asdict(c) for c in by_effect(comparisons)],
        },
        indent=2,
    )
