"""The one place durations, ratios, counts and tables are formatted, for the harness and every tool."""

from __future__ import annotations

from collections.abc import Sequence

_UNITS = (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6))


def duration(seconds: float, digits: int = 3) -> str:
    """`0.000123` -> `123 µs`, with `digits` significant digits."""
    for unit, scale in _UNITS:
        if seconds >= scale:
            return f"{seconds / scale:.{digits}g} {unit}"
    return f"{seconds / 1e-9:.{digits}g} ns"


def ratio(value: float) -> str:
    """A ratio to a baseline: `4,298` when large, `1.5` when small."""
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def rate(per_second: float) -> str:
    """A rate such as requests per second, with the precision of a ratio: `2,270`, `5.3`."""
    return ratio(per_second)


def count(value: float) -> str:
    """A count such as instructions: `1,234,567`."""
    return f"{value:,.0f}"


def short_name(fullname: str) -> str:
    """A benchmark's name without its folder: `benchmarks/test_views.py::test_x[p]` -> `test_views.py::test_x[p]`."""
    return fullname.rsplit("/", 1)[-1]


def aligned(rows: Sequence[Sequence[object]], *, rule: bool = False) -> list[str]:
    """Rows as left-aligned columns (the first row the header); `rule` puts dashes under it."""
    cells = [[str(cell) for cell in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(cells[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in cells]
    if rule:
        lines.insert(1, "  ".join("-" * width for width in widths))
    return lines


def markdown(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    """A Markdown table; a `|` inside a cell is escaped."""

    def line(cells: Sequence[object]) -> str:
        return "| " + " | ".join(str(cell).replace("|", "\\|") for cell in cells) + " |"

    return [line(headers), "|" + "---|" * len(headers), *(line(row) for row in rows)]
