"""A comparison's results as a terminal table, a Markdown table (for a pull request) or JSON."""

from __future__ import annotations

import json
from dataclasses import asdict

from benchlib import formatting
from benchtools.compare.stats import FASTER, SLOWER, Comparison

HEADERS = ("benchmark", "base median", "head median", "head/base", "{confidence:.0%} interval", "verdict")


def by_effect(comparisons: list[Comparison]) -> list[Comparison]:
    """Slowest-down first, biggest speed-up last."""
    return sorted(comparisons, key=lambda c: c.ratio, reverse=True)


def rows(comparisons: list[Comparison]) -> list[tuple[str, ...]]:
    return [
        (
            formatting.short_name(c.name),
            formatting.duration(c.base_median, 4),
            formatting.duration(c.head_median, 4),
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
    slower = [formatting.short_name(c.name) for c in comparisons if c.verdict == SLOWER]
    gate = f"REGRESSION: {', '.join(slower)}" if slower else "no significant slowdown"
    return f"{len(comparisons)} benchmarks: {listed}; minimum effect {threshold:.0%}; {gate}"


def table(comparisons: list[Comparison], *, threshold: float, confidence: float) -> str:
    headers = tuple(h.format(confidence=confidence) for h in HEADERS)
    lines = formatting.aligned([headers, *rows(comparisons)], rule=True)
    return "\n".join([*lines, "", summary(comparisons, threshold)])


def markdown(comparisons: list[Comparison], *, threshold: float, confidence: float) -> str:
    headers = tuple(h.format(confidence=confidence) for h in HEADERS)
    marks = {SLOWER: "🔴 ", FASTER: "🟢 "}
    cells = [
        [f"`{row[0]}`", *row[1:5], marks.get(comparison.verdict, "") + row[5]]
        for comparison, row in zip(by_effect(comparisons), rows(comparisons), strict=True)
    ]
    return "\n".join([f"**Benchmarks: {summary(comparisons, threshold)}**", "", *formatting.markdown(headers, cells)])


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
