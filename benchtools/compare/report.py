"""A comparison's results as a terminal table, a Markdown table (for a pull request) or JSON."""

from __future__ import annotations

import json
from dataclasses import asdict

from benchlib import formatting
from benchtools.compare.stats import Comparison, Verdict
from benchtools.options import Measure

TIME_HEADERS = (
    "benchmark", "base median", "head median", "head/base", "{confidence:.0%} interval", "p slower (Holm)", "verdict",
)  # fmt: skip
COUNT_HEADERS = ("benchmark", "base instructions", "head instructions", "head/base", "range over calls", "verdict")


def by_effect(comparisons: list[Comparison]) -> list[Comparison]:
    """Slowest-down first, biggest speed-up last."""
    return sorted(comparisons, key=lambda c: c.ratio, reverse=True)


def headers(comparisons: list[Comparison], confidence: float) -> tuple[str, ...]:
    if counted(comparisons):
        return COUNT_HEADERS
    return tuple(h.format(confidence=confidence) for h in TIME_HEADERS)


def counted(comparisons: list[Comparison]) -> bool:
    return bool(comparisons) and comparisons[0].measure == Measure.INSTRUCTIONS


def rows(comparisons: list[Comparison]) -> list[tuple[str, ...]]:
    if counted(comparisons):
        return [
            (
                formatting.short_name(c.name),
                formatting.count(c.base_median),
                formatting.count(c.head_median),
                f"{c.ratio:.4f}",
                f"{c.low:.4f} – {c.high:.4f}",
                c.verdict,
            )
            for c in by_effect(comparisons)
        ]
    return [
        (
            formatting.short_name(c.name),
            formatting.duration(c.base_median, 4),
            formatting.duration(c.head_median, 4),
            f"{c.ratio:.3f}",
            f"{c.low:.3f} – {c.high:.3f}",
            f"{c.p_slower:.3g}",
            c.verdict,
        )
        for c in by_effect(comparisons)
    ]


def summary(comparisons: list[Comparison], threshold: float) -> str:
    counts = {}
    for c in comparisons:
        counts[c.verdict] = counts.get(c.verdict, 0) + 1
    listed = ", ".join(f"{count} {name}" for name, count in sorted(counts.items()))
    slower = [formatting.short_name(c.name) for c in comparisons if c.verdict == Verdict.SLOWER]
    gate = f"REGRESSION: {', '.join(slower)}" if slower else "no significant slowdown"
    minimum = f"{threshold * 100:g}%"
    return f"{len(comparisons)} benchmarks by {comparisons[0].measure}: {listed}; minimum effect {minimum}; {gate}"


def table(comparisons: list[Comparison], *, threshold: float, confidence: float) -> str:
    lines = formatting.aligned([headers(comparisons, confidence), *rows(comparisons)], rule=True)
    return "\n".join([*lines, "", summary(comparisons, threshold)])


def markdown(comparisons: list[Comparison], *, threshold: float, confidence: float) -> str:
    marks = {Verdict.SLOWER: "🔴 ", Verdict.WITHIN_RUN_SLOWER: "🟠 ", Verdict.FASTER: "🟢 "}
    cells = [
        [f"`{row[0]}`", *row[1:-1], marks.get(comparison.verdict, "") + row[-1]]
        for comparison, row in zip(by_effect(comparisons), rows(comparisons), strict=True)
    ]
    return "\n".join(
        [
            f"**Benchmarks: {summary(comparisons, threshold)}**",
            "",
            *formatting.markdown(headers(comparisons, confidence), cells),
        ]
    )


def as_json(
    comparisons: list[Comparison], *, threshold: float, confidence: float, sides: dict, notes: list[str]
) -> str:
    return json.dumps(
        {
            "measure": comparisons[0].measure,
            "threshold": threshold,
            "confidence": None if counted(comparisons) else confidence,
            "runs": sides,
            "regression": any(c.verdict == Verdict.SLOWER for c in comparisons),
            "notes": notes,
            "benchmarks": [asdict(c) for c in by_effect(comparisons)],
        },
        indent=2,
    )
