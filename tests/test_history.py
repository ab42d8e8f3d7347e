from __future__ import annotations

import pytest

from benchtools.history.cli import main
from tests.saved_runs import file_hashes, save_counted

VIEW = "benchmarks/test_views.py::test_django_view"
HASHER = "benchmarks/test_hashers.py::test_check_password[md5-right]"


@pytest.fixture
def three_runs(save_run):
    """Three runs over two commits and two Django versions, saved out of date order."""
    return [
        save_run(1, {VIEW: [1.0, 1.1], HASHER: [2.0, 2.1]}, commit="a" * 40, date="20261125_100000"),
        save_run(2, {VIEW: [1.2, 1.3], HASHER: [2.0, 2.1]}, commit="b" * 40, date="20261125_090000", django="6.1.3"),
        save_run(3, {VIEW: [1.0, 1.2]}, commit="b" * 40, date="20261125_110000"),
    ]


def test_runs_are_listed_oldest_first_with_commit_date_django_and_machine(three_runs, run_storage, capsys):
    assert main(["--storage", str(run_storage)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["id", "commit", "date", "(UTC)", "django", "benchmarks", "measured", "machine", "file"]
    assert [line.split()[:2] for line in lines[1:]] == [["0002", "b" * 12], ["0001", "a" * 12], ["0003", "b" * 12]]
    assert "2026-11-25 09:00:00  6.1.3" in lines[1] and "time      Linux-CPython-3.11-64bit (vm)" in lines[1]


def test_chosen_runs_only(three_runs, run_storage, capsys):
    assert main(["--storage", str(run_storage), "--run", "0003", str(three_runs[0])]) == 0
    assert [line.split()[0] for line in capsys.readouterr().out.splitlines()[1:]] == ["0001", "0003"]


def test_a_corrupt_file_in_storage_is_skipped_with_a_warning_naming_it(three_runs, run_storage, capsys):
    three_runs[1].write_text("{")
    assert main(["--storage", str(run_storage)]) == 0
    captured = capsys.readouterr()
    assert f"warning: skipped {three_runs[1]}: not valid JSON" in captured.err
    assert len(captured.out.splitlines()) == 3


def test_a_corrupt_run_asked_for_is_a_one_line_error(three_runs, run_storage, capsys):
    three_runs[0].write_text("[]")
    assert main(["--storage", str(run_storage), "--run", "0001"]) == 2
    err = capsys.readouterr().err.strip()
    assert str(three_runs[0]) in err and "\n" not in err


def test_empty_storage_is_an_error(run_storage, capsys):
    assert main(["--storage", str(run_storage)]) == 2
    assert "no saved runs" in capsys.readouterr().err


def test_plot_draws_the_benchmarks_asked_for_and_changes_nothing_in_storage(three_runs, run_storage, tmp_path):
    before = file_hashes(run_storage)
    chart = tmp_path / "history.png"
    assert (
        main(
            [
                "--storage",
                str(run_storage),
                "--plot",
                str(chart),
                "--benchmark",
                "test_django_view",
                "--benchmark",
                "*md5*",
            ]
        )
        == 0
    )
    assert chart.read_bytes().startswith(b"\x89PNG")
    assert file_hashes(run_storage) == before


def test_a_pattern_with_a_parametrize_id_matches_the_bracket_literally(three_runs, run_storage, tmp_path):
    chart = tmp_path / "h.png"
    assert main(["--storage", str(run_storage), "--plot", str(chart), "--benchmark", "test_check_password[*]"]) == 0
    assert chart.read_bytes().startswith(b"\x89PNG")


def test_plotting_an_unknown_benchmark_is_an_error(three_runs, run_storage, tmp_path, capsys):
    assert main(["--storage", str(run_storage), "--plot", str(tmp_path / "h.png"), "--benchmark", "test_nothing"]) == 2
    assert "test_nothing" in capsys.readouterr().err and not (tmp_path / "h.png").exists()


def test_plot_without_a_benchmark_is_a_usage_error(run_storage, tmp_path, capsys):
    assert main(["--storage", str(run_storage), "--plot", str(tmp_path / "h.png")]) == 2
    assert "--plot needs at least one --benchmark" in capsys.readouterr().err


@pytest.fixture
def counted_and_timed(save_run, run_storage):
    """A timed run between two instruction-count runs of two commits."""
    save_counted(run_storage, 1, {VIEW: [380_000, 380_100, 380_050]}, commit="a" * 40, date="20261125_100000")
    save_run(2, {VIEW: [1.0, 1.1]}, commit="a" * 40, date="20261125_103000")
    save_counted(run_storage, 3, {VIEW: [391_000, 391_200, 391_100]}, commit="b" * 40, date="20261125_110000")


def test_instruction_counts_are_listed_per_run_for_the_benchmarks_asked_for(counted_and_timed, run_storage, capsys):
    argv = ["--storage", str(run_storage), "--measure", "instructions", "--benchmark", "test_django_view"]
    assert main(argv) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines[1:3]] == ["0001", "0003"] and "instructions" in lines[1]
    assert lines[4].split() == ["benchmark", "0001", "0003"]
    assert lines[6].split() == ["test_views.py::test_django_view", "380,050", "391,100"]


def test_instruction_counts_are_plotted(counted_and_timed, run_storage, tmp_path):
    chart = tmp_path / "counts.png"
    argv = ["--storage", str(run_storage), "--measure", "instructions", "--benchmark", "*view*", "--plot", str(chart)]
    assert main(argv) == 0
    assert chart.read_bytes().startswith(b"\x89PNG")


def test_instruction_history_of_timed_runs_only_is_an_error(three_runs, run_storage, capsys):
    assert main(["--storage", str(run_storage), "--measure", "instructions"]) == 2
    assert "no saved run has instruction counts" in capsys.readouterr().err
