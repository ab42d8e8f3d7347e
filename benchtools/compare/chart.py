"""A PNG of a comparison: each benchmark's change from BASE to HEAD with its interval, the threshold band shaded.

Benchmarks are sorted by their change, slowest at the top, each coloured by its verdict and
labelled with its change in percent. A comparison of many benchmarks is mostly unchanged
ones: beyond NAMED_UP_TO benchmarks, and when there are at least COLLAPSED_AT_LEAST of them,
those are drawn as one row of dots, one per benchmark, named by their count, so that the
benchmarks that moved stay few enough to read at a glance.
"""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from benchtools import plotting
from benchtools.compare.report import by_effect, counted
from benchtools.compare.stats import Comparison, Verdict

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

VERDICT_COLOURS = {
    Verdict.SLOWER: "tab:red",
    Verdict.WITHIN_RUN_SLOWER: "tab:orange",
    Verdict.FASTER: "tab:green",
    Verdict.NOISY: "tab:gray",
    Verdict.UNCHANGED: "tab:blue",
    Verdict.SAME_WORK: "tab:cyan",
}
NAMED_UP_TO = 30
COLLAPSED_AT_LEAST = 10
ROW_HEIGHT = 0.27  # inches per row: names at 8 pt stay apart


def ratio_chart(comparisons: list[Comparison], path: Path, *, threshold: float, title: str) -> None:
    """Write the comparison's chart to `path`."""
    plotting.save(ratio_figure(comparisons, threshold=threshold, title=title), path)


def ratio_figure(comparisons: list[Comparison], *, threshold: float, title: str) -> Figure:
    """The chart as a figure: a row per benchmark (or the unchanged ones in one row), on a log axis of change."""
    rows = chart_rows(comparisons)
    figure = plotting.figure(12, 2.3 + ROW_HEIGHT * len(rows))
    axes = figure.subplots()
    band_low, band_high = 1 / (1 + threshold), 1 + threshold
    axes.axvspan(band_low, band_high, color="0.9", zorder=0)
    axes.axvline(1, color="0.4", linewidth=0.8, zorder=1)
    names = []
    for index, row in enumerate(rows):
        if isinstance(row, Comparison):
            draw_comparison(axes, index, row, decimals_for(threshold))
            names.append(plotting.benchmark_label(row.name))
        else:
            draw_collapsed(axes, index, row)
            names.append(f"{len(row)} unchanged, a dot each")
    axes.set_yticks(range(len(rows)), names, fontsize=8)
    axes.set_ylim(len(rows) - 0.4, -0.6)
    axes.tick_params(axis="y", length=0)
    change_axis(axes, rows, band_low, band_high)
    axes.grid(True, axis="x", alpha=0.3)
    measured, bars = (
        ("instruction count", "range over the counted calls")
        if counted(comparisons)
        else ("time", "confidence interval")
    )
    axes.set_xlabel(f"head against base: change of the median {measured} (log scale); bars: {bars}")
    axes.legend(
        handles=legend_handles(comparisons, threshold),
        loc="lower center",
        bbox_to_anchor=(0.5, 1.0),
        ncols=6,
        fontsize=8,
        frameon=False,
    )
    figure.suptitle(f"{title}\n{tally(comparisons, rows)}", fontsize=10)
    return figure


def chart_rows(comparisons: list[Comparison]) -> list[Comparison | list[Comparison]]:
    """Slowest first; with many benchmarks, the unchanged ones as one row where their changes sort."""
    ordered = by_effect(comparisons)
    unchanged = [c for c in ordered if c.verdict == Verdict.UNCHANGED]
    if len(ordered) <= NAMED_UP_TO or len(unchanged) < COLLAPSED_AT_LEAST:
        return list(ordered)
    moved = [c for c in ordered if c.verdict != Verdict.UNCHANGED]
    above = sum(c.ratio > unchanged[len(unchanged) // 2].ratio for c in moved)
    return [*moved[:above], unchanged, *moved[above:]]


def draw_comparison(axes: Axes, row: int, comparison: Comparison, decimals: int) -> None:
    """A benchmark's ratio and interval, in its verdict's colour, its change in percent at the right edge."""
    colour = VERDICT_COLOURS[comparison.verdict]
    axes.errorbar(
        comparison.ratio,
        row,
        xerr=[[comparison.ratio - comparison.low], [comparison.high - comparison.ratio]],
        fmt="o",
        color=colour,
        markersize=5,
        capsize=3,
        zorder=3,
    )
    axes.annotate(
        percent(comparison.ratio, decimals),
        (1.0, row),
        xycoords=("axes fraction", "data"),
        xytext=(6, 0),
        textcoords="offset points",
        va="center",
        fontsize=8,
        color=colour,
        fontweight="normal" if comparison.verdict == Verdict.UNCHANGED else "bold",
    )


def draw_collapsed(axes: Axes, row: int, comparisons: list[Comparison]) -> None:
    """The unchanged benchmarks' ratios as dots in one row, spread up and down so that close ones stay apart."""
    spread = [((index % 5) - 2) * 0.12 for index in range(len(comparisons))]
    axes.scatter(
        [c.ratio for c in comparisons],
        [row + offset for offset in spread],
        s=14,
        color=VERDICT_COLOURS[Verdict.UNCHANGED],
        alpha=0.6,
        zorder=3,
    )
    axes.axhspan(row - 0.45, row + 0.45, color=VERDICT_COLOURS[Verdict.UNCHANGED], alpha=0.06, zorder=0)


def change_axis(axes: Axes, rows: list[Comparison | list[Comparison]], band_low: float, band_high: float) -> None:
    """A log axis wide enough for the band, every interval drawn and every dot, its ticks labelled in percent."""
    from matplotlib.ticker import FixedLocator, FuncFormatter, LogLocator, MaxNLocator, NullLocator

    intervals = [(row.low, row.high) for row in rows if isinstance(row, Comparison)]
    dots = [(c.ratio, c.ratio) for row in rows if isinstance(row, list) for c in row]
    low = min(band_low, *(low for low, _ in intervals + dots))
    high = max(band_high, *(high for _, high in intervals + dots))
    margin = (high / low) ** 0.06
    low, high = low / margin, high * margin
    axes.set_xscale("log")
    axes.set_xlim(low, high)
    if high / low <= 4:
        # Within a factor of 4 the log axis is near enough linear for evenly spaced percentages.
        steps = MaxNLocator(nbins=8, steps=[1, 2, 2.5, 5, 10]).tick_values((low - 1) * 100, (high - 1) * 100)
        axes.xaxis.set_major_locator(FixedLocator([1 + step / 100 for step in steps]))
    else:
        axes.xaxis.set_major_locator(LogLocator(subs=(1, 2, 5)))
    axes.xaxis.set_minor_locator(NullLocator())
    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _: tick_label(value)))
    axes.tick_params(axis="x", labelsize=8)


def percent(ratio: float, decimals: int) -> str:
    """A ratio as a change in percent, `decimals` under ±10%: 1.05 -> +5.0%, 0.98 -> −2.0%, 1.38 -> +38%."""
    change = (ratio - 1) * 100
    places = decimals if abs(round(change, decimals)) < 10 else 0
    return "0%" if round(change, places) == 0 else f"{change:+,.{places}f}%".replace("-", "−")


def tick_label(ratio: float) -> str:
    """A tick's change in percent, as few digits as it has: +20%, −2.5%, 0%."""
    change = round((ratio - 1) * 100, 6)
    return "0%" if change == 0 else f"{change:+g}%".replace("-", "−")


def decimals_for(threshold: float) -> int:
    """Decimals that tell changes around the threshold apart: 1 for a 5% threshold, 2 for 0.75%."""
    return max(0, 1 - math.floor(math.log10(threshold * 100)))


def tally(comparisons: list[Comparison], rows: list[Comparison | list[Comparison]]) -> str:
    """How many benchmarks, by verdict, and which are drawn as dots only."""
    counts = Counter(c.verdict for c in comparisons)
    listed = ", ".join(f"{counts[verdict]} {verdict}" for verdict in VERDICT_COLOURS if verdict in counts)
    collapsed = any(isinstance(row, list) for row in rows)
    shown = " (the unchanged drawn as one row of dots)" if collapsed else ""
    return f"{len(comparisons)} benchmarks: {listed}{shown}"


def legend_handles(comparisons: list[Comparison], threshold: float) -> list[Artist]:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    present = {c.verdict for c in comparisons}
    handles: list[Artist] = [Patch(color="0.9", label=f"±{threshold * 100:g}%: minimum effect")]
    handles += [
        Line2D([], [], marker="o", linestyle="", color=colour, label=verdict)
        for verdict, colour in VERDICT_COLOURS.items()
        if verdict in present or verdict in (Verdict.SLOWER, Verdict.FASTER)
    ]
    return handles
