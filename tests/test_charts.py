"""The charts as a reader gets them: a panel per server, every compared benchmark shown, PNGs of a readable size."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from matplotlib.collections import PathCollection
from PIL import Image

from benchlib.formats.e2e_run import Row
from benchtools import plotting
from benchtools.compare.chart import ratio_chart, ratio_figure
from benchtools.compare.stats import Comparison, Verdict
from benchtools.e2e.chart import UNANSWERED_MARKER, e2e_figure, plot_rows
from benchtools.errors import ToolError
from benchtools.history.chart import history_figure
from benchtools.options import Measure

SERVERS = ("gunicorn-sync", "gunicorn-gthread", "uvicorn")
SCHEMES = ("none", "basic", "cached-basic", "token", "jwt", "session", "async-basic", "async-basic-thread")


def e2e_rows(servers: tuple[str, ...] = SERVERS, concurrencies: tuple[int, ...] = (1, 4, 16, 64)) -> list[Row]:
    """Every server × scheme × concurrency; Basic answers nothing from 16 connections on."""
    rows = []
    for server in servers:
        for rank, scheme in enumerate(SCHEMES):
            for concurrency in concurrencies:
                served = (
                    0.0 if "basic" in scheme and "cached" not in scheme and concurrency >= 16 else 1000 / (rank + 1)
                )
                p99 = None if served == 0 else 5.0 * concurrency * (rank + 1)
                rows.append(Row(server, scheme, concurrency, served, p99 and p99 / 2, p99, 0, {}, 0.05))
    return rows


def png_size(path: Path) -> tuple[int, int]:
    with Image.open(path) as image:
        assert image.format == "PNG"
        return image.size


def test_the_e2e_chart_has_a_column_per_server_and_a_row_per_measure():
    figure = e2e_figure(e2e_rows(), title="run")
    panels = figure.get_axes()
    assert len(panels) == 2 * len(SERVERS)
    assert [axes.get_title() for axes in panels[: len(SERVERS)]] == list(SERVERS)
    assert all(axes.get_xscale() == "log" and axes.get_yscale() == "log" for axes in panels)
    assert "requests/s" in panels[0].get_ylabel() and "ms" in panels[len(SERVERS)].get_ylabel()


def test_a_scheme_looks_the_same_in_every_panel_and_the_legend_names_each_once():
    figure = e2e_figure(e2e_rows(), title="run")
    colours: dict[str, set[str]] = {}
    markers: dict[str, set[str]] = {}
    for axes in figure.get_axes():
        for line in axes.get_lines():
            colours.setdefault(line.get_label(), set()).add(str(line.get_color()))
            if line.get_marker() != UNANSWERED_MARKER:
                markers.setdefault(line.get_label(), set()).add(line.get_marker())
    assert set(colours) == set(markers) == set(SCHEMES)
    assert all(len(seen) == 1 for seen in [*colours.values(), *markers.values()])
    assert len({(*colours[s], *markers[s]) for s in SCHEMES}) == len(SCHEMES)
    (legend,) = figure.legends
    assert [text.get_text() for text in legend.get_texts()][: len(SCHEMES)] == list(SCHEMES)


def test_a_point_where_nothing_was_answered_is_marked_in_its_panel():
    figure = e2e_figure(e2e_rows(servers=("uvicorn",)), title="run")
    for axes in figure.get_axes():
        marks = [line for line in axes.get_lines() if line.get_marker() == UNANSWERED_MARKER]
        assert sorted((line.get_label(), line.get_xdata()[0]) for line in marks) == [
            ("async-basic", 16), ("async-basic", 64), ("async-basic-thread", 16), ("async-basic-thread", 64),
            ("basic", 16), ("basic", 64),
        ]  # fmt: skip


def test_the_e2e_chart_is_written_at_a_readable_size(tmp_path):
    path = tmp_path / "e2e.png"
    plot_rows(e2e_rows(), path, title="run")
    width, height = png_size(path)
    assert 1200 <= width <= 2400 and 700 <= height <= 1200


def test_a_run_of_one_server_at_one_concurrency_is_one_narrower_column():
    one = e2e_figure(e2e_rows(servers=("uvicorn",), concurrencies=(4,)), title="run")
    assert len(one.get_axes()) == 2
    assert one.get_figwidth() < e2e_figure(e2e_rows(), title="run").get_figwidth()


def test_an_unwritable_chart_path_is_a_tool_error_naming_it(tmp_path):
    with pytest.raises(ToolError, match=r"missing/chart\.png: cannot write the chart"):
        plotting.save(plotting.figure(1, 1), tmp_path / "missing" / "chart.png")


@pytest.mark.parametrize(
    ("fullname", "label"),
    [
        ("benchmarks/test_views.py::test_django_view", "views::django_view"),
        (
            "benchmarks/test_project_auth.py::test_project_authentication[rest_framework.authentication.Basic]",
            "project_auth::project_authentication[Basic]",
        ),
        ("benchmarks/test_schemes.py::test_scheme[API key (SHA-512)]", "schemes::scheme[API key (SHA-512)]"),
        ("test_x.py::test_" + "y" * 100, "x::" + "y" * 27 + "…" + "y" * 29),
    ],
)
def test_benchmark_labels_are_short(fullname, label):
    assert plotting.benchmark_label(fullname, 60) == label


def test_log_ticks_are_plain_numbers():
    assert [plotting.plain_number(value) for value in (1e6, 500, 1, 0.5, 0.002)] == [
        "1,000,000",
        "500",
        "1",
        "0.5",
        "0.002",
    ]


def comparison(index: int, ratio: float, verdict: Verdict) -> Comparison:
    return Comparison(
        name=f"benchmarks/test_views.py::test_view[variant {index:02d}]",
        base_median=1_000_000,
        head_median=1_000_000 * ratio,
        ratio=ratio,
        low=ratio * 0.998,
        high=ratio * 1.002,
        verdict=verdict,
        base_runs=1,
        head_runs=1,
        method="instruction counts",
        measure=Measure.INSTRUCTIONS,
    )


def ninety_compared() -> list[Comparison]:
    """90 benchmarks as the default selection compares them: 3 slower, 2 faster, 1 too noisy, 84 unchanged."""
    moved = [
        (1.2, Verdict.SLOWER),
        (1.05, Verdict.SLOWER),
        (1.02, Verdict.SLOWER),
        (0.9, Verdict.FASTER),
        (0.97, Verdict.FASTER),
        (1.004, Verdict.NOISY),
    ]
    unchanged = [(math.exp((index - 42) * 1e-4), Verdict.UNCHANGED) for index in range(84)]
    return [comparison(index, ratio, verdict) for index, (ratio, verdict) in enumerate(moved + unchanged)]


def test_ninety_benchmarks_name_the_moved_ones_slowest_first_and_collapse_the_unchanged():
    compared = ninety_compared()
    figure = ratio_figure(compared, threshold=0.0075, title="head / base")
    (axes,) = figure.get_axes()
    names = [label.get_text() for label in axes.get_yticklabels()]
    moved = [plotting.benchmark_label(c.name) for c in sorted(compared[:6], key=lambda c: c.ratio, reverse=True)]
    assert names == [*moved[:4], "84 unchanged, a dot each", *moved[4:]]
    (dots,) = [c for c in axes.collections if isinstance(c, PathCollection)]
    assert len(dots.get_offsets()) == 84
    assert "90 benchmarks: 3 slower, 2 faster, 1 too noisy to tell, 84 unchanged" in figure.get_suptitle()


def test_a_few_benchmarks_are_each_named_unchanged_ones_too():
    compared = ninety_compared()[:20]
    (axes,) = ratio_figure(compared, threshold=0.0075, title="t").get_axes()
    assert len(axes.get_yticklabels()) == 20
    assert not [c for c in axes.collections if isinstance(c, PathCollection)]


def test_each_benchmark_drawn_is_labelled_with_its_change():
    compared = ninety_compared()[:6]
    (axes,) = ratio_figure(compared, threshold=0.0075, title="t").get_axes()
    changes = [text.get_text() for text in axes.texts]
    assert changes == ["+20%", "+5.00%", "+2.00%", "+0.40%", "−3.00%", "−10%"]


def test_ninety_benchmarks_make_a_ratio_chart_of_a_readable_size(tmp_path):
    path = tmp_path / "ratios.png"
    ratio_chart(ninety_compared(), path, threshold=0.0075, title="t")
    width, height = png_size(path)
    assert 1200 <= width <= 1600 and 300 <= height <= 900


def test_the_ratio_chart_grows_by_a_readable_row_per_benchmark_it_names():
    everything_noisy = [comparison(index, 1 + (index - 45) / 1000, Verdict.NOISY) for index in range(90)]
    (axes,) = (figure := ratio_figure(everything_noisy, threshold=0.0075, title="t")).get_axes()
    assert len(axes.get_yticklabels()) == 90
    assert figure.get_figheight() >= 90 * 0.25  # inches: names at 8 pt stay apart


def test_history_draws_each_benchmark_in_its_own_look():
    series = {
        f"benchmarks/test_schemes.py::test_scheme[scheme {index}]": [
            ("0001 aaaa", 1.0, 2.0, 3.0),
            ("0002 bbbb", 1, 2, 3),
        ]
        for index in range(20)
    }
    (axes,) = history_figure(series, title="t", axis="instructions").get_axes()
    drawn = [container.lines[0] for container in axes.containers]
    assert len({(str(line.get_color()), line.get_marker()) for line in drawn}) == len(drawn) == 20
