"""How each scheme's cost grows with what it reads (benchlib/growth.py), and the data sets it is measured on.

The fit names the growth from the points, never from the scheme; the data sets are made once
with bulk inserts, kept while the code that makes them is unchanged, and leave the test
database as they found it; `benchtools schemes` prints and draws the growth of a saved run.
"""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from benchlib import growth_data, growth_store
from benchlib.auth_schemes import DATA, SCHEMES, USERS
from benchlib.credentials import PASSWORD
from benchlib.formats.json_files import as_builtins
from benchlib.formats.records import GROWTH_GROUP, SCHEMES_GROUP, ExtraInfo, GrowthPoint, InstructionCounts, SchemeRow
from benchlib.growth import (
    Growth,
    GrowthSizes,
    Point,
    Series,
    described,
    fitted,
    growth_column,
    growth_table,
    series_of,
)
from benchlib.growth_store import DataSet, Loader
from benchlib.scheme_table import Measured, scheme_table
from benchtools.schemes.chart import COLOURS, growth_figure
from benchtools.schemes.cli import main
from tests.runs import load, run_pytest, saved_runs
from tests.saved_runs import run_content


def series(costs: dict[int, float], *, instructions: bool = True, data: str = "users") -> Series:
    points = tuple(Point(size, cost, 1) for size, cost in costs.items())
    return Series("a scheme", data, points, instructions)


@pytest.mark.parametrize(
    ("costs", "instructions", "growth"),
    [
        ({100: 500_000, 1_000: 505_000, 10_000: 510_000}, True, Growth.FLAT),
        ({100: 500_000, 1_000: 540_000, 10_000: 580_000}, True, Growth.LOGARITHMIC),
        ({1: 1_000_000, 10: 1_200_000, 100: 3_000_000, 1_000: 21_000_000}, True, Growth.LINEAR),
        ({100: 500_000, 10_000: 600_000}, True, Growth.GROWS),
        ({100: 500_000, 1_000: 450_000, 10_000: 400_000}, True, Growth.FALLS),
        # A median time moves more from one benchmark to the next than a count: 20% is still flat.
        ({100: 300e-6, 1_000: 330e-6, 10_000: 360e-6}, False, Growth.FLAT),
        ({100: 300e-6, 1_000: 330e-6, 10_000: 360e-6}, True, Growth.LOGARITHMIC),
    ],
)
def test_the_growth_is_fitted_from_the_points(costs, instructions, growth):
    assert fitted(series(costs, instructions=instructions)) == growth


def test_the_growth_is_described_with_what_grows_and_the_change_measured():
    knox = series({1: 1.37e-3, 10: 1.6e-3, 100: 3.25e-3, 1_000: 28.6e-3}, instructions=False, data="tokens per user")
    assert described(knox) == "linear in tokens per user (x20.9, 1 to 1,000)"
    assert described(series({100: 500_000, 10_000: 502_000})) == "flat in users (+0.4%, 100 to 10,000)"


def growth_point(scheme: str, size: int, median: float, counts: int | None = None, data: str = "users") -> Measured:
    instructions = InstructionCounts(counts, [counts]) if counts is not None else None
    return Measured(
        GROWTH_GROUP, median, ExtraInfo(growth=GrowthPoint(scheme, data, size, 1), instructions=instructions)
    )


def test_series_are_read_from_the_growth_benchmarks_only_counts_first():
    benchmarks = [
        growth_point("JWTAuthentication", 10_000, 2e-4, counts=510_000),
        growth_point("JWTAuthentication", 100, 3e-4, counts=500_000),
        growth_point("knox", 1, 1e-3, data="tokens per user"),
        Measured(SCHEMES_GROUP, 1e-4, ExtraInfo(scheme=SchemeRow("JWTAuthentication", "HMAC", 1))),
    ]
    jwt, knox = series_of(benchmarks)
    assert (jwt.scheme, [p.size for p in jwt.points], [p.cost for p in jwt.points]) == (
        "JWTAuthentication",
        [100, 10_000],
        [500_000, 510_000],
    )
    assert jwt.instructions and not knox.instructions


def test_a_timed_series_costs_each_size_its_fastest_round():
    timed = Measured(GROWTH_GROUP, 3e-4, ExtraInfo(growth=GrowthPoint("JWTAuthentication", "users", 100, 1)), 2e-4)
    (series,) = series_of([timed])
    assert series.points[0].cost == 2e-4


def test_the_scheme_table_says_how_each_row_grows_when_growth_was_measured():
    rows = [
        Measured(SCHEMES_GROUP, 1e-4, ExtraInfo(scheme=SchemeRow("no authentication", "no", 0))),
        Measured(SCHEMES_GROUP, 3e-4, ExtraInfo(scheme=SchemeRow("TokenAuthentication", "no", 1))),
    ]
    token = Series("TokenAuthentication", "DRF tokens", (Point(100, 500_000, 1), Point(10_000, 501_000, 1)), True)
    lines = scheme_table(rows, growth=growth_column([token])).splitlines()
    assert lines[0].endswith("| bad credential | grows with |")
    assert lines[2].endswith("| – | – |")
    assert lines[3].endswith("| flat in DRF tokens (+0.2%, 100 to 10,000) |")
    assert "grows with" not in scheme_table(rows)


def test_the_growth_table_lists_the_steepest_first_with_each_size_and_the_queries():
    flat = Series("TokenAuthentication", "DRF tokens", (Point(100, 3e-4, 1), Point(10_000, 3e-4, 1)), False)
    knox = Series("knox", "tokens per user", (Point(1, 1e-3, 2), Point(10, 1.1e-3, 2), Point(1_000, 3e-2, 3)), False)
    lines = growth_table([flat, knox]).splitlines()
    assert (
        lines[2]
        == "| knox | linear in tokens per user (x30.0, 1 to 1,000) | 1: 1 ms, 10: 1.1 ms, 1,000: 30 ms | 2 to 3 |"
    )
    assert lines[3].startswith("| TokenAuthentication | flat in DRF tokens (+0.0%, 100 to 10,000) | 100: 300 µs,")
    assert growth_table([]) == ""


@pytest.mark.parametrize(
    ("text", "sizes"),
    [(None, (100, 1_000, 10_000)), ("large", (100, 1_000, 10_000, 100_000, 1_000_000)), ("3,5", (3, 5))],
)
def test_growth_sizes_are_each_datas_own_its_large_ones_too_or_the_sizes_given(text, sizes):
    assert GrowthSizes.parse(text).of(USERS.sizes, USERS.large_sizes) == sizes


@pytest.mark.parametrize("text", ["", "x", "0", "100,-1", "large,100"])
def test_growth_sizes_that_are_not_sizes_are_refused(text):
    with pytest.raises(ValueError, match="expected `large`"):
        GrowthSizes.parse(text)


def test_a_bad_growth_sizes_option_is_a_usage_error():
    result = run_pytest("--co", "-q", "--growth-sizes=many", "benchmarks/test_views.py")
    assert result.returncode == 4 and "--growth-sizes: expected `large`" in result.stderr


# The data sets: made once, reused, made again when the code that makes them changes.


def users_in_the_database() -> int:
    return get_user_model()._default_manager.count()


def kept(folder) -> list[str]:
    if connection.vendor == "postgresql":
        return sorted(name for name in growth_store.PostgreSQLStore().databases() if name.startswith("drfab_users_"))
    return sorted(path.name for path in folder.glob("*.sqlite3"))


def test_a_data_set_is_made_once_then_loaded_and_the_test_database_is_left_as_it_was(transactional_db, tmp_path):
    get_user_model()._default_manager.create(username="before")
    data_set = DataSet(USERS, 7)
    with growth_store.loaded(data_set, tmp_path) as made:
        assert made and users_in_the_database() == 7
        assert growth_data.measured_user().get_username() == growth_data.MEASURED_USER
    assert list(get_user_model()._default_manager.values_list("username", flat=True)) == ["before"]
    kept_before = kept(tmp_path)
    with growth_store.loaded(data_set, tmp_path) as made:
        assert not made and users_in_the_database() == 7
    assert kept(tmp_path) == kept_before


def test_a_data_set_is_made_again_when_the_code_that_makes_it_changes(transactional_db, tmp_path, monkeypatch):
    data_set = DataSet(USERS, 6)  # a size of this test's own: no other test keeps it
    with growth_store.loaded(data_set, tmp_path):
        pass
    old = kept(tmp_path)
    monkeypatch.setattr(growth_store, "making_code", lambda: b"other code")
    with growth_store.loaded(data_set, tmp_path) as made:
        assert made and users_in_the_database() == 6
    new = kept(tmp_path)
    assert [name for name in new if "_6_" in name] != [name for name in old if "_6_" in name]
    assert len([name for name in new if "_6_" in name]) == 1  # the other one is deleted


def test_a_data_set_of_another_schema_is_kept_beside_it(transactional_db, tmp_path, monkeypatch):
    data_set = DataSet(USERS, 5)  # a size of this test's own: no other test keeps it
    with growth_store.loaded(data_set, tmp_path):
        pass
    monkeypatch.setattr(growth_store, "schema", lambda: "the tables of a run that collected the tests too")
    with growth_store.loaded(data_set, tmp_path) as made:
        assert made
    monkeypatch.undo()
    with growth_store.loaded(data_set, tmp_path) as made:
        assert not made
    assert len([name for name in kept(tmp_path) if "_5_" in name]) == 2


@pytest.mark.parametrize("data", DATA, ids=[data.name for data in DATA])
def test_each_data_set_holds_its_size_once_a_scheme_issues_its_credential(transactional_db, tmp_path, settings, data):
    scheme = next(scheme for scheme in SCHEMES if scheme.grows_with == data)
    loader = Loader(tmp_path)
    try:
        loader.use(DataSet(data, 4))
        user = growth_data.measured_user()
        scheme.prepare(user, PASSWORD, settings)
        assert growth_data.rows(data.maker, user) == 4
    finally:
        loader.close()


def test_a_growth_run_is_saved_printed_and_drawn(tmp_path):
    """The growth benchmarks as a user runs them (at two tiny sizes), then `benchtools schemes` on the run."""
    storage = tmp_path / "storage"
    selection = "test_growth and TokenAuthentication and not knox"
    result = run_pytest(
        "--benchmark-only",
        "--benchmark-max-time=0",
        "--benchmark-min-rounds=1",
        f"--benchmark-storage={storage}",
        "-m",
        "growth",
        "--growth-sizes=2,3",
        "-k",
        selection,
        "benchmarks/test_growth.py",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "in DRF tokens (" in result.stdout and ", 2 to 3) | 2: " in result.stdout
    (run,) = saved_runs(storage)
    points = [bench["extra_info"]["growth"] for bench in load(run)["benchmarks"]]
    assert [(p["scheme"], p["size"], p["queries_per_request"]) for p in points] == [
        ("TokenAuthentication", 2, 1),
        ("TokenAuthentication", 3, 1),
    ]
    assert list((storage / "growth-data").glob("drf_tokens_2_*.sqlite3"))
    chart = tmp_path / "growth.png"
    assert main([str(run), "--plot", str(chart)]) == 0
    assert chart.read_bytes().startswith(b"\x89PNG")


def saved(tmp_path, name: str, benchmarks: list[Measured]) -> str:
    content = run_content({f"benchmarks/test_growth.py::test_{i}": [b.median] for i, b in enumerate(benchmarks)})
    for bench, measured in zip(content["benchmarks"], benchmarks, strict=True):
        bench.update(group=measured.group, extra_info=as_builtins(measured.extra_info))
    path = tmp_path / name
    path.write_text(json.dumps(content))
    return str(path)


TABLE = [
    Measured(SCHEMES_GROUP, 1e-4, ExtraInfo(scheme=SchemeRow("no authentication", "no", 0))),
    Measured(SCHEMES_GROUP, 3e-4, ExtraInfo(scheme=SchemeRow("JWTAuthentication", "HMAC", 1))),
]
GROWTH = [growth_point("JWTAuthentication", size, 3e-4) for size in (100, 1_000, 10_000)]


def test_schemes_puts_the_growth_of_another_run_in_the_table_and_draws_it(tmp_path, capsys):
    table, growth = saved(tmp_path, "0001_t.json", TABLE), saved(tmp_path, "0002_g.json", GROWTH)
    chart = tmp_path / "growth.png"
    assert main([table, "--growth", growth, "--plot", str(chart)]) == 0
    out = capsys.readouterr().out
    assert "| JWTAuthentication | 300 µs | 3.0 | HMAC | 1 | – | flat in users (+0.0%, 100 to 10,000) |" in out
    assert "| scheme | grows with | fastest request, by size | queries |" in out
    assert chart.read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize("option", ["--growth", "--plot"])
def test_asking_for_growth_a_run_does_not_have_is_a_one_line_error(tmp_path, capsys, option):
    table = saved(tmp_path, "0001_t.json", TABLE)
    argv = [table, "--growth", table] if option == "--growth" else [table, "--plot", str(tmp_path / "g.png")]
    assert main(argv) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and GROWTH_GROUP in error and table in error
    assert not (tmp_path / "g.png").exists()


def test_schemes_of_several_runs_prints_them_side_by_side_then_the_growth(tmp_path, capsys):
    first, second = saved(tmp_path, "0001_a.json", TABLE), saved(tmp_path, "0002_b.json", TABLE)
    growth = saved(tmp_path, "0003_g.json", GROWTH)
    assert main([first, second, "--growth", growth]) == 0
    out = capsys.readouterr().out
    assert "| 0001: median | 0001: x no auth | 0002: median | 0002: x no auth |" in out
    assert "| JWTAuthentication | flat in users (+0.0%, 100 to 10,000) | 100: 300 µs" in out


def test_the_growth_chart_has_a_log_log_panel_per_scheme_on_one_cost_axis_coloured_by_its_growth():
    flat = Series("TokenAuthentication", "DRF tokens", (Point(100, 2e6, 1), Point(10_000, 2e6, 1)), True)
    sizes = (1, 10, 100, 1_000)
    linear = Series(
        "knox TokenAuthentication", "tokens per user", tuple(Point(n, 3e6 + 1e5 * n, 2) for n in sizes), True
    )
    figure = growth_figure([linear, flat], title="t")
    panels = [panel for panel in figure.axes if panel.get_visible()]
    assert [panel.get_title(loc="left").split("\n")[0] for panel in panels] == [flat.scheme, linear.scheme]
    assert all(panel.get_xscale() == panel.get_yscale() == "log" for panel in panels)
    assert panels[0].get_shared_y_axes().joined(panels[0], panels[1])
    assert [panel.lines[0].get_color() for panel in panels] == [COLOURS[Growth.FLAT], COLOURS[Growth.LINEAR]]
    assert "linear in tokens per user" in panels[1].get_title(loc="left")
