"""A PNG of a comparison: each benchmark's HEAD/BASE ratio with its interval, the threshold band shaded."""

from __future__ import annotations

import math
from pathlib import Path

from benchlib.formatting import short_name
from benchtools import plotting
from benchtools.compare.report import by_effect, counted
from benchtools.compare.stats import Comparison, Verdict

VERDICT_COLOURS = {Verdict.SLOWER: "tab:red", Verdict.FASTER: "tab:green", Verdict.UNCHANGED: "tab:blue"}
NOISY_COLOUR = "tab:gray"


def ratio_chart(comparisons: list[Comparison], path: Path, *, threshold: float, title: str) -> None:
    """Each benchmark's HEAD/BASE ratio with its interval, on a log axis, the ±threshold band shaded."""
    from matplotlib.lines import Line2D
    from matplotlib.ticker import FuncFormatter

    plt = plotting.pyplot()
    ordered = list(reversed(by_effect(comparisons)))  # slowest at the top
    figure, axes = plt.subplots(figsize=(9, 1.2 + 0.32 * len(ordered)))
    axes.axvspan(1 / (1 + threshold), 1 + threshold, color="0.92", label=f"±{threshold * 100:g}%")
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
    bars = "range over the counted calls" if counted(ordered) else "confidence interval"
    axes.set_xlabel(f"head / base median (log scale); bars: {bars}")
    axes.set_title(title, fontsize=9)
    verdicts = [Line2D([], [], marker="o", linestyle="", color=c, label=v) for v, c in VERDICT_COLOURS.items()]
    verdicts.append(Line2D([], [], marker="o", linestyle="", color=NOISY_COLOUR, label=Verdict.NOISY))
    axes.legend(handles=[*axes.get_legend_handles_labels()[0], *verdicts], loc="lower right", fontsize=7)
    plotting.save(figure, path)


def leading_digit(value: float) -> int:
    return round(value / 10 ** math.floor(math.log10(value)))
