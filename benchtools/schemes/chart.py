"""A PNG of how each scheme's cost per request grows with what it reads: one log-log panel per scheme.

Every panel shares the cost axis, so a flat scheme is a level line wherever it sits and a
growing one climbs across it; the growth fitted from the points (benchlib.growth) is the
panel's colour and is named under its title.
"""

from __future__ import annotations

import math
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

from benchlib.growth import Growth, Series, described, fitted
from benchtools import plotting

if TYPE_CHECKING:
    from matplotlib.figure import Figure

COLOURS = {
    Growth.FLAT: "tab:blue",
    Growth.FALLS: "tab:blue",
    Growth.LOGARITHMIC: "tab:orange",
    Growth.GROWS: "tab:orange",
    Growth.LINEAR: "tab:red",
}
COLUMNS = 4


def growth_chart(series: list[Series], path: Path, *, title: str) -> None:
    """The growth figure of `series`, written to `path`."""
    plotting.save(growth_figure(series, title=title), path)


def growth_figure(series: list[Series], *, title: str) -> Figure:
    """One panel per series, smallest cost first, log-log, the cost axis shared."""
    ordered = sorted(series, key=lambda each: (each.points[0].cost, each.scheme))
    rows = math.ceil(len(ordered) / COLUMNS)
    figure = plotting.figure(4 * COLUMNS, 2.8 * rows)
    axes = figure.subplots(rows, COLUMNS, sharey=True, squeeze=False)
    for panel, each in zip(axes.flat, ordered, strict=False):
        growth = fitted(each)
        sizes = [point.size for point in each.points]
        panel.plot(sizes, [point.cost for point in each.points], marker="o", color=COLOURS[growth])
        panel.set_xscale("log")
        panel.set_yscale("log")
        panel.set_xlabel(each.data, fontsize=7)
        panel.set_title("\n".join([*textwrap.wrap(each.scheme, 48), described(each)]), fontsize=7, loc="left")
        panel.tick_params(labelsize=7)
        panel.grid(True, which="major", linewidth=0.3)
    for panel in list(axes.flat)[len(ordered) :]:
        panel.set_visible(False)
    unit = "instructions per request" if all(each.instructions for each in ordered) else "fastest request, s"
    for row in axes:
        row[0].set_ylabel(unit, fontsize=7)
    figure.suptitle(title, fontsize=10)
    return figure
