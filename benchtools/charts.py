"""PNG charts: a comparison's ratios with their intervals, and benchmarks' medians over commits."""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, no display needed (CI)
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from benchtools.report import by_effect, short_name  # noqa: E402
from benchtools.stats import FASTER, NOISY, SLOWER, UNCHANGED, Comparison  # noqa: E402

VERDICT_COLOURS = {SLOWER: "tab:red", FASTER: "tab:green", UNCHANGED: "tab:blue"}
NOISY_COLOUR = "tab:gray"


def ratio_chart(comparisons: list[Comparison], path: Path, *, threshold: float, title: str) -> None:
    """Each benchmark's HEAD/BASE ratio with its interval, on a log axis, the ±threshold band shaded."""
    ordered = list(reversed(by_effect(comparisons)))  # slowest at the top
    figure, axes = plt.subplots(figsize=(9, 1.2 + 0.32 * len(ordered)))
    axes.axvspan(1 / (1 + threshold), 1 + threshold, color="0.92", label=f"±{threshold:.0%}")
    axes.axvline(1, color="0.4", linewidth=0.8)
    for row, comparison in enumerate(ordered):
        colour = VERDICT_COLOURS.get(comparison.verdict, NOISY_COLOUR)
        axes.errorbar(
            comparison.ratio,
            row,
            xerr=[[comparison.ratio - comparison.low], [comparison.high - comparison.ratio]],
            fmt="o",
            color=colour,
            capsize=3,
        )
    axes.set_yticks(range(len(ordered)), [short_name(c.name) for c in ordered], fontsize=7)
    axes.set_xscale("log")
    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    axes.xaxis.set_minor_formatter(
        FuncFormatter(lambda value, _: f"{value:g}" if leading_digit(value) in (2, 5) else "")
    )
    axes.tick_params(axis="x", which="both", labelsize=7)
    axes.set_xlabel("head / base median (log scale); bars: confidence interval")
    axes.set_title(title, fontsize=9)
    verdicts = [Line2D([], [], marker="o", linestyle="", color=c, label=v) for v, c in VERDICT_COLOURS.items()]
    verdicts.append(Line2D([], [], marker="o", linestyle="", color=NOISY_COLOUR, label=NOISY))
    axes.legend(handles=[*axes.get_legend_handles_labels()[0], *verdicts], loc="lower right", fontsize=7)
    _save(figure, path)


def history_chart(series: dict[str, list[tuple[str, float, float, float]]], path: Path, *, title: str) -> None:
    """Medians over runs: series maps a benchmark to (label, q1, median, q3) per run, oldest first."""
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
    axes.set_ylabel("median time per call, s (log scale); bars: q1 – q3")
    axes.set_title(title, fontsize=9)
    axes.legend(fontsize=7)
    _save(figure, path)


def leading_digit(value: float) -> int:
    return round(value / 10 ** math.floor(math.log10(value)))


def _save(figure, path: Path) -> None:
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)
