"""A PNG of an e2e run: requests/s and p99 latency against concurrency, a line per server and scheme."""

from __future__ import annotations

from pathlib import Path

from benchlib.formats.e2e_run import Row
from benchtools import plotting

LINE_STYLES = {"gunicorn-sync": "-", "gunicorn-gthread": "--", "uvicorn": ":"}
MARKERS = {"gunicorn-sync": "o", "gunicorn-gthread": "s", "uvicorn": "^"}


def plot_rows(rows: tuple[Row, ...] | list[Row], path: Path, *, title: str) -> None:
    plt = plotting.pyplot()
    figure, (throughput, tail, key) = plt.subplots(1, 3, figsize=(16, 5.5), width_ratios=[5, 5, 2])
    schemes = list(dict.fromkeys(row.scheme for row in rows))
    colours = {scheme: plt.get_cmap("tab10")(index % 10) for index, scheme in enumerate(schemes)}
    lines: dict[tuple[str, str], list[Row]] = {}
    for row in rows:
        lines.setdefault((row.server, row.scheme), []).append(row)
    for (server, scheme), points in lines.items():
        points = sorted(points, key=lambda row: row.concurrency)
        style = {
            "color": colours[scheme],
            "linestyle": LINE_STYLES.get(server, "-."),
            "marker": MARKERS.get(server, "x"),
            "label": f"{server} {scheme}",
        }
        served = [row for row in points if row.requests_per_second > 0]
        throughput.plot([row.concurrency for row in served], [row.requests_per_second for row in served], **style)
        timed = [row for row in points if row.p99_ms is not None]
        tail.plot([row.concurrency for row in timed], [row.p99_ms for row in timed], **style)
    for axes, label in ((throughput, "requests/s answered 200 (log)"), (tail, "p99 latency, ms (log)")):
        axes.set_xscale("log", base=2)
        axes.set_yscale("log")
        axes.set_xlabel("concurrency (connections)")
        axes.set_ylabel(label)
        axes.grid(True, which="both", alpha=0.3)
    key.axis("off")
    key.legend(*tail.get_legend_handles_labels(), fontsize=7, loc="center left", title="server, scheme")
    figure.suptitle(title, fontsize=9)
    plotting.save(figure, path)
