"""`python -m benchtools e2e` without servers: saved runs (never overwritten), --from-run, the report, usage."""

from __future__ import annotations

import json

import msgspec
import pytest

from benchtools.e2e.cli import main, rows_to_plot, save_run
from benchtools.e2e.report import cached_against_basic
from benchtools.runs import load_e2e_run
from tests.saved_runs import e2e_run_content, file_hashes

REQUIRED_ROW_FIELDS = {"server", "scheme", "concurrency", "requests_per_second", "p50_ms", "p99_ms", "errors"}


@pytest.fixture
def saved_run(tmp_path):
    """A run saved as the tool saves it; returns (storage, path)."""
    storage = tmp_path / ".e2e-runs"
    run = load_e2e_run(write(tmp_path / "source.json", e2e_run_content()))
    return storage, save_run(run, storage)


def write(path, content):
    path.write_text(json.dumps(content))
    return path


def test_a_saved_run_reads_back_as_it_was_written(saved_run, tmp_path):
    storage, path = saved_run
    original = load_e2e_run(write(tmp_path / "source.json", e2e_run_content()))
    assert load_e2e_run(path) == original
    assert path.parent.parent == storage and path.name.startswith("0001_aaaaaaaaaaaa_20261125_120000")


def test_saving_never_overwrites_a_run(saved_run):
    storage, first = saved_run
    before = file_hashes(storage)
    second = save_run(load_e2e_run(first), storage)
    assert second != first and second.name.startswith("0002_")
    assert {path: digest for path, digest in file_hashes(storage).items() if path != second} == before


def test_from_run_prints_the_table_and_the_ratio_by_run_id(saved_run, capsys):
    storage, _ = saved_run
    assert main(["show", "0001", "--storage", str(storage)]) == 0
    out = capsys.readouterr().out
    assert "gunicorn-sync  per-request  cached-basic" in out and "200×1520" in out
    assert "database: a SQLite file" in out  # saved before the database was recorded
    assert "gunicorn-sync, concurrency 4: 143×" in out  # 760 / 5.3
    assert "the event loop" in out


def test_from_run_json_has_the_row_fields_and_plot_writes_a_png(saved_run, tmp_path, capsys):
    _, path = saved_run
    chart = tmp_path / "e2e.png"
    assert main(["show", str(path), "--json", "--plot", str(chart)]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert rows and all(set(row) >= REQUIRED_ROW_FIELDS for row in rows)
    assert chart.read_bytes().startswith(b"\x89PNG")


def test_cached_against_basic_names_a_point_where_basic_served_nothing(tmp_path):
    rows = load_e2e_run(write(tmp_path / "run.json", e2e_run_content())).rows
    rows = [msgspec.structs.replace(row, requests_per_second=0.0) if row.scheme == "basic" else row for row in rows]
    assert cached_against_basic(rows)[-1] == "  gunicorn-sync, concurrency 4: ∞ (Basic served none)"


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["measure", "--duration", "1.5"],
        ["measure", "--servers", "waitress"],
        ["measure", "--concurrency", "0,4"],
        ["check", "--concurrency", "4"],
        ["show"],
    ],
)
def test_bad_arguments_are_a_one_line_usage_error(argv, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("python -m benchtools e2e")


def test_a_missing_run_is_a_one_line_error_naming_it(tmp_path, capsys):
    missing = tmp_path / "0009_gone.json"
    assert main(["show", str(missing)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(missing) in err


def test_rows_of_several_ways_of_handling_connections_are_told_apart_in_the_ratio_and_the_chart(tmp_path):
    rows = load_e2e_run(write(tmp_path / "run.json", e2e_run_content())).rows
    pooled = [msgspec.structs.replace(row, connections="pool") for row in rows if row.server == "gunicorn-sync"]
    both = (*rows, *pooled)
    assert cached_against_basic(both)[1:] == [
        "  gunicorn-sync (per-request), concurrency 4: 143×",
        "  gunicorn-sync (pool), concurrency 4: 143×",
    ]
    assert {row.scheme for row in rows_to_plot(both)} >= {"cached-basic (per-request)", "cached-basic (pool)"}
    assert rows_to_plot(rows) == list(rows)  # one way only: the schemes keep their names
