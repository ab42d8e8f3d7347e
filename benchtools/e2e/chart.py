"""A PNG of an e2e run: a column per server, requests/s above p99 latency, each against concurrency.

A scheme has one colour and marker in every panel, and the panels of a row share their
axes, so a reader compares schemes down a server's column and servers along a row. A point
where nothing was answered has no value to draw on a log axis: it is marked at the foot of
its panel instead, so a line that stops is told apart from one that was not measured.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from benchlib.formats.e2e_run import Row
from benchtools import plotting

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

# The share of a panel's height kept free at its foot for the marks of points without a value.
FOOT = 0.1
FOOT_MARK_SPACING = 9  # points between the marks of schemes unanswered at the same concurrency
UNANSWERED_MARKER = "x"


@dataclass(frozen=True)
class Measure:
    """One row of panels: what its axis says and each point's value (None: nothing answered)."""

    label: str
    value: Callable[[Row], float | None]


MEASURES = (
    Measure("requests/s answered 200", lambda row: row.requests_per_second or None),
    Measure("p99 latency (ms)", lambda row: row.p99_ms),
)


def plot_rows(rows: Sequence[Row], path: Path, *, title: str) -> None:
    """Write the run's chart to `path`."""
    plotting.save(e2e_figure(rows, title=title), path)


def e2e_figure(rows: Sequence[Row], *, title: str) -> Figure:
    """The chart as a figure: len(MEASURES) rows of panels, one column per server, one shared legend."""
    from matplotlib.ticker import NullLocator

    servers = list(dict.fromkeys(row.server for row in rows))
    styles = plotting.series_styles(list(dict.fromkeys(row.scheme for row in rows)))
    figure = plotting.figure(2.8 + 4.2 * len(servers), 7.8)
    panels = figure.subplots(len(MEASURES), len(servers), sharex=True, sharey="row", squeeze=False)
    marked = [False] * len(MEASURES)
    for column, server in enumerate(servers):
        served = [row for row in rows if row.server == server]
        panels[0][column].set_title(server, fontsize=11, fontweight="bold")
        for index, measure in enumerate(MEASURES):
            marked[index] |= draw_measure(figure, panels[index][column], served, measure, styles)
    for measure, row_of_panels, foot_marked in zip(MEASURES, panels, marked, strict=True):
        row_of_panels[0].set_ylabel(measure.label, fontsize=10)
        plotting.plain_log_ticks(row_of_panels[0].yaxis)
        if foot_marked:
            keep_foot_free(row_of_panels[0])
    concurrencies = sorted({row.concurrency for row in rows})
    figure.supxlabel("concurrency: connections open at once (log scale)", fontsize=10)
    bottom = panels[-1][0]
    bottom.set_xscale("log", base=2)
    bottom.set_xticks(concurrencies, [str(c) for c in concurrencies])
    bottom.xaxis.set_minor_locator(NullLocator())
    bottom.set_xlim(concurrencies[0] / 1.4, concurrencies[-1] * 1.4)
    for axes in panels.flat:
        axes.grid(True, which="major", alpha=0.4)
        axes.grid(True, which="minor", alpha=0.12)
        axes.tick_params(labelsize=9)
    figure.legend(
        handles=legend_handles(styles), loc="outside right center", fontsize=10, title="scheme", title_fontsize=10
    )
    figure.suptitle(title, fontsize=11)
    return figure


def draw_measure(
    figure: Figure, axes: Axes, rows: list[Row], measure: Measure, styles: dict[str, plotting.Style]
) -> bool:
    """One line per scheme through its points with a value; the others marked at the panel's foot (True: any)."""
    from matplotlib.transforms import offset_copy

    unanswered: dict[int, list[str]] = {}  # concurrency -> schemes with nothing answered there
    axes.set_yscale("log")
    for scheme, style in styles.items():
        points = sorted((row for row in rows if row.scheme == scheme), key=lambda row: row.concurrency)
        drawn = [(row.concurrency, value) for row in points if (value := measure.value(row)) is not None]
        if drawn:
            xs, ys = zip(*drawn, strict=True)
            axes.plot(xs, ys, linewidth=1.6, marker=style.marker, markersize=6, color=style.colour, label=scheme)
        for row in points:
            if measure.value(row) is None:
                unanswered.setdefault(row.concurrency, []).append(scheme)
    for concurrency, schemes in unanswered.items():
        for index, scheme in enumerate(schemes):
            # Side by side around the concurrency, a marker's width apart, at a fixed height in the foot.
            shift = (index - (len(schemes) - 1) / 2) * FOOT_MARK_SPACING
            where = offset_copy(axes.get_xaxis_transform(), fig=figure, x=shift, units="points")
            axes.plot(
                concurrency,
                FOOT / 2,
                UNANSWERED_MARKER,
                label=scheme,
                color=styles[scheme].colour,
                markersize=7,
                markeredgewidth=2,
                transform=where,
            )
    return bool(unanswered)


def keep_foot_free(axes: Axes) -> None:
    """Lower a row's shared log axis so its values stay above the FOOT strip where unanswered points are marked."""
    low, high = axes.get_ylim()
    axes.set_ylim(low / (high / low) ** (FOOT / (1 - FOOT)), high)


def legend_handles(styles: dict[str, plotting.Style]) -> list[Line2D]:
    from matplotlib.lines import Line2D

    handles = [
        Line2D([], [], linewidth=1.6, marker=style.marker, color=style.colour, label=scheme)
        for scheme, style in styles.items()
    ]
    handles.append(
        Line2D(
            [],
            [],
            marker=UNANSWERED_MARKER,
            linestyle="",
            color="0.3",
            markeredgewidth=2,
            label="none answered (200)\nat that concurrency",
        )
    )
    return handles
