"""matplotlib for the charts of every subcommand: files only (no display), written or a ToolError."""

from __future__ import annotations

from pathlib import Path

from benchtools.errors import ToolError


def pyplot():
    """matplotlib.pyplot on the file-only backend, imported only when a chart is asked for."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def save(figure, path: Path, *, dpi: int = 120, top: float = 1.0) -> None:
    """Write `figure` to `path` as PNG; a path that cannot be written is a ToolError naming it.

    The axes are laid out below `top` (a fraction of the height), leaving the rest to a title over them all.
    """
    plt = pyplot()
    try:
        figure.tight_layout(rect=(0, 0, 1, top))
        figure.savefig(path, dpi=dpi)
    except OSError as error:
        raise ToolError(f"{path}: cannot write the chart ({error.strerror or error})") from None
    finally:
        plt.close(figure)
