"""How each scheme's cost per request grows with what it reads, fitted from the growth benchmarks' points.

A series is one scheme's request at several sizes of one kind of data (benchmarks/test_growth.py),
its cost the instructions counted in a run of `pytest --instructions`, or else the time of the
fastest round: on a shared machine the one least disturbed by other load, where a median moves
with the load of the moment.
Its growth is flat when the cost at the largest size is within a tolerance of the cost at the
smallest; otherwise it is the model of a + b·log(size) (logarithmic) and a + b·size (linear)
that fits the points better by least squares, which takes three sizes or more: with two it
only "grows".
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from benchlib import formatting
from benchlib.formats.records import GROWTH_GROUP
from benchlib.scheme_table import Measured

# The change in cost, from the smallest size to the largest, that still counts as flat. Counts
# are exact (what moves them is the work done); the fastest round of a benchmark still moves by
# several percent from one benchmark to the next on a shared machine.
FLAT_WITHIN_INSTRUCTIONS = 0.03
FLAT_WITHIN_TIME = 0.25


@dataclass(frozen=True)
class GrowthSizes:
    """The sizes the growth benchmarks make of each data (pytest --growth-sizes): its own, with its large
    ones too, or the sizes given for every data."""

    large: bool = False
    given: tuple[int, ...] = ()

    @classmethod
    def parse(cls, text: str | None) -> GrowthSizes:
        """None: each data's own sizes; `large`; or comma-separated whole numbers above 0 (else ValueError)."""
        if text is None:
            return cls()
        if text.strip() == "large":
            return cls(large=True)
        try:
            sizes = tuple(int(part) for part in text.split(","))
        except ValueError:
            sizes = ()
        if not sizes or min(sizes) < 1:
            raise ValueError(f"expected `large` or whole numbers above 0 (100,10000), got {text!r}")
        return cls(given=sizes)

    def of(self, sizes: tuple[int, ...], large_sizes: tuple[int, ...] = ()) -> tuple[int, ...]:
        """The sizes of a data whose own are `sizes` and `large_sizes`."""
        return self.given or sizes + (large_sizes if self.large else ())


class Growth(enum.StrEnum):
    FLAT = "flat"
    LOGARITHMIC = "logarithmic"
    LINEAR = "linear"
    GROWS = "grows"  # two sizes: logarithmic and linear cannot be told apart
    FALLS = "falls"  # cheaper at the largest size beyond the tolerance: noise, not growth


@dataclass(frozen=True)
class Point:
    size: int
    cost: float  # instructions, or the fastest round's seconds
    queries: int


@dataclass(frozen=True)
class Series:
    """One scheme's request at sizes of one kind of data, smallest first."""

    scheme: str
    data: str
    points: tuple[Point, ...]
    instructions: bool  # costs are instruction counts, else the fastest round's seconds

    @property
    def change(self) -> float:
        """The cost at the largest size over the cost at the smallest, minus one."""
        return self.points[-1].cost / self.points[0].cost - 1

    def cost_text(self, cost: float) -> str:
        return formatting.count(cost) if self.instructions else formatting.duration(cost)


def series_of(benchmarks: Iterable[Measured]) -> list[Series]:
    """The growth benchmarks' series, in the order their schemes were first met; counts where they were made."""
    found: dict[tuple[str, str], dict[int, Point]] = {}
    counted: dict[tuple[str, str], bool] = {}
    for bench in benchmarks:
        point = bench.extra_info.growth
        if bench.group != GROWTH_GROUP or point is None:
            continue
        key = (point.scheme, point.data)
        counts = bench.extra_info.instructions
        cost = counts.median if counts is not None else bench.fastest or bench.median
        found.setdefault(key, {})[point.size] = Point(point.size, cost, point.queries_per_request)
        counted[key] = counted.get(key, True) and counts is not None
    return [
        Series(scheme, data, tuple(sorted(points.values(), key=lambda p: p.size)), counted[(scheme, data)])
        for (scheme, data), points in found.items()
    ]


def fitted(series: Series) -> Growth:
    tolerance = FLAT_WITHIN_INSTRUCTIONS if series.instructions else FLAT_WITHIN_TIME
    if abs(series.change) <= tolerance or len(series.points) < 2:
        return Growth.FLAT
    if series.change < 0:
        return Growth.FALLS
    if len(series.points) < 3:
        return Growth.GROWS
    sizes = [point.size for point in series.points]
    costs = [point.cost for point in series.points]
    logarithmic = squared_residuals([math.log(size) for size in sizes], costs)
    linear = squared_residuals([float(size) for size in sizes], costs)
    return Growth.LINEAR if linear < logarithmic else Growth.LOGARITHMIC


def squared_residuals(xs: Sequence[float], ys: Sequence[float]) -> float:
    """The sum of squared residuals of the least-squares line y = a + b·x."""
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread
    return sum((y - mean_y - slope * (x - mean_x)) ** 2 for x, y in zip(xs, ys, strict=True))


def described(series: Series) -> str:
    """`linear in tokens per user (x20.9, 1 to 1,000)`: the growth, what grows, and the change measured."""
    first, last = series.points[0], series.points[-1]
    ratio = last.cost / first.cost
    change = f"x{formatting.ratio(ratio)}" if ratio >= 1.1 else f"{ratio - 1:+.1%}"
    return f"{fitted(series)} in {series.data} ({change}, {first.size:,} to {last.size:,})"


def growth_column(series: Iterable[Series]) -> dict[str, str]:
    """The scheme table's "grows with" column: each scheme's growth, by the scheme's name."""
    return {each.scheme: described(each) for each in series}


def growth_table(series: list[Series]) -> str:
    """A Markdown table of the series, steepest first, its costs named as counts or times; '' if there are none."""
    if not series:
        return ""
    measure = "instructions per request" if all(each.instructions for each in series) else "fastest request"
    columns = ("scheme", "grows with", f"{measure}, by size", "queries")
    rows = []
    for each in sorted(series, key=lambda s: (-s.change, s.scheme)):
        costs = ", ".join(f"{point.size:,}: {each.cost_text(point.cost)}" for point in each.points)
        fewest, most = min(p.queries for p in each.points), max(p.queries for p in each.points)
        rows.append((each.scheme, described(each), costs, str(fewest) if fewest == most else f"{fewest} to {most}"))
    return "\n".join(formatting.markdown(columns, rows))
