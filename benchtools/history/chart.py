"""A PNG of chosen benchmarks' medians (and quartiles) or instruction counts over saved runs, oldest first."""

from __future__ import annotations

from pathlib import Path

from benchlib.formatting import short_name
from benchtools import plotting


def history_chart(
    series: dict[str, list[tuple[str, float, float, float]]], path: Path, *, title: str, axis: str
) -> None:
    """Values over runs: series maps a benchmark to (label, low, value, high) per run, oldest first."""
    plt = plotting.pyplot()
    figure, axes = plt.subplots(figsize=(10, 5))
    labels: list[str] = []
    for points in series.values():
        labels.extend(label for label, *_ in points if label not in labels)
    for name, points in series.items():
        positions = [labels.index(label) for label, *_ in points]
        medians = [median for _, _, median, _ in points]
        spread = [[median - q1 for _, q1, median, _ in points], [q3 - median for _, _, median, q3 in points]]
        axes.errorbar(positions, medians, yerr=spread, marker="o", capsize=3, label=short_name(name))
    axes.set_xticks(range(len(labels)), labels, rotation=60, ha="right", fontsize=7)
    axes.set_yscale("log")
    axes.set_ylabel(axis, fontsize=8)
    axes.set_title(title, fontsize=9)
    axes.legend(fontsize=7)
    plotting.save(figure, path)
