"""matplotlib for the charts of every subcommand: files only (no display), written or a ToolError.

A chart is a `figure()`: matplotlib's object API, without pyplot's global state or a GUI
backend (`pyplot()` remains for charts drawn through pyplot). Also what several charts
share: plain-number tick labels on log axes, short benchmark names, and a palette that
gives each series one colour and one marker (the marker keeps series apart in grey print
and for readers who confuse colours).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from benchtools.errors import ToolError

if TYPE_CHECKING:
    from matplotlib.axis import Axis
    from matplotlib.figure import Figure

# Nine markers over matplotlib's ten colours: no two of the first 90 series look alike.
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*", "<")
LABEL_WIDTH = 72  # characters of a benchmark's name on a chart before its middle is cut


def pyplot() -> ModuleType:
    """matplotlib.pyplot on the file-only backend, imported only when a chart is asked for."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def figure(width: float, height: float) -> Figure:
    """An empty figure of `width` × `height` inches whose parts matplotlib lays out so that no text overlaps."""
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def save(figure: Figure, path: Path, *, dpi: int = 120) -> None:
    """Write `figure` to `path` as PNG; a path that cannot be written is a ToolError naming it."""
    try:
        if figure.get_layout_engine() is None:
            figure.tight_layout()
        figure.savefig(path, dpi=dpi)
    except OSError as error:
        raise ToolError(f"{path}: cannot write the chart ({error.strerror or error})") from None
    finally:
        if figure.canvas.manager is not None:  # made by pyplot, which keeps it until closed
            pyplot().close(figure)


@dataclass(frozen=True)
class Style:
    """How one series is drawn wherever it appears."""

    colour: str
    marker: str


def series_styles(names: list[str]) -> dict[str, Style]:
    """Each name's colour and marker, in the order given: the same name looks the same in every panel."""
    return {name: Style(f"C{index % 10}", MARKERS[index % len(MARKERS)]) for index, name in enumerate(names)}


def benchmark_label(fullname: str, width: int = LABEL_WIDTH) -> str:
    """A benchmark's name as a chart shows it: without folder, `.py` and `test_` prefixes, nor a dotted
    parameter's module path, and cut in the middle beyond `width` characters.

    `benchmarks/test_project_auth.py::test_project_authentication[rest_framework.authentication.BasicAuthentication]`
    -> `project_auth::project_authentication[BasicAuthentication]`.
    """
    module, _, rest = fullname.rsplit("/", 1)[-1].partition("::")
    function, bracket, parameter = rest.partition("[")
    parameter = re.sub(r"\b[A-Za-z_][\w]*\.(?=[A-Za-z_])", "", parameter) if "." in parameter else parameter
    label = f"{module.removesuffix('.py').removeprefix('test_')}::{function.removeprefix('test_')}{bracket}{parameter}"
    if len(label) <= width:
        return label
    keep = width - 1
    return f"{label[: keep - keep // 2]}…{label[len(label) - keep // 2 :]}"


def plain_number(value: float) -> str:
    """A log axis' tick (one significant digit) as a reader need not decode it: 0.005, 20, 1,000,000, not 10⁶."""
    return f"{value:,.{max(0, -math.floor(math.log10(value)))}f}"


def plain_log_ticks(axis: Axis) -> None:
    """Label a log axis in plain numbers; the 2s and 5s between powers of ten too when it spans two decades or less."""
    from matplotlib.ticker import FuncFormatter

    def minor(value: float, _: object) -> str:
        low, high = sorted(axis.get_view_interval())
        few_decades = low > 0 and math.log10(high / low) <= 2
        return plain_number(value) if few_decades and leading_digit(value) in (2, 5) else ""

    axis.set_major_formatter(FuncFormatter(lambda value, _: plain_number(value)))
    axis.set_minor_formatter(FuncFormatter(minor))


def leading_digit(value: float) -> int:
    """The first significant digit of a positive number (2 for 0.02, 5 for 500)."""
    return round(value / 10.0 ** math.floor(math.log10(value)))
