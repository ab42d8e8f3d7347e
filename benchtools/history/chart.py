"""A PNG of chosen benchmarks' medians (and quartiles) or instruction counts over saved runs, oldest first.

Each benchmark has its own colour and marker, and the key sits beside the axes, so that
twenty benchmarks' lines stay visible and can each be found.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from benchtools import plotting

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def history_chart(
    series: dict[str, list[tuple[str, float, float, float]]], path: Path, *, title: str, axis: str
) -> None:
    """Values over runs: series maps a benchmark to (label, low, value, high) per run, oldest first."""
    plotting.save(history_figure(series, title=title, axis=axis), path)


def history_figure(series: dict[str, list[tuple[str, float, float, float]]], *, title: str, axis: str) -> Figure:
    """The chart as a figure: one line per benchmark over the runs, the key to the right of the axes."""
    figure = plotting.figure(14, max(5.0, 1.5 + 0.2 * len(series)))
    axes = figure.subplots()
    labels: list[str] = []
    for points in series.values():
        labels.extend(label for label, *_ in points if label not in labels)
    styles = plotting.series_styles(list(series))
    for name, points in series.items():
        positions = [labels.index(label) for label, *_ in points]
        medians = [median for _, _, median, _ in points]
        spread = [[median - q1 for _, q1, median, _ in points], [q3 - median for _, _, median, q3 in points]]
        axes.errorbar(
            positions,
            medians,
            yerr=spread,
            capsize=3,
            color=styles[name].colour,
            marker=styles[name].marker,
            label=plotting.benchmark_label(name),
        )
    axes.set_xticks(range(len(labels)), labels, rotation=60, ha="right", fontsize=8)
    axes.set_xlim(-0.5, len(labels) - 0.5)
    axes.set_yscale("log")
    plotting.plain_log_ticks(axes.yaxis)
    axes.tick_params(axis="y", which="both", labelsize=8)
    axes.grid(True, which="major", alpha=0.4)
    axes.grid(True, which="minor", alpha=0.12)
    axes.set_ylabel(axis, fontsize=9)
    axes.set_title(title, fontsize=10)
    figure.legend(loc="outside right upper", fontsize=8)
    return figure
