"""compare --measure instructions: the relative change of each benchmark's count against the threshold."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from benchtools.cli import interrupt_on_sigterm
from benchtools.compare import checkouts
from benchtools.compare import cli as compare
from benchtools.compare.checkouts import Checkout, measure_side_by_side
from benchtools.compare.cli import main
from tests.saved_runs import save_counted

VIEW = "benchmarks/test_views.py::test_drf_view_without_authentication"
OTHER = "benchmarks/test_views.py::test_django_view"
# Five counted calls as a run records them: steady, with one call costing ~2% more now and then.
VIEW_CALLS = [372_621, 372_627, 381_260, 372_619, 372_622]
OTHER_CALLS = [54_707, 54_650, 54_741, 56_085, 54_733]


def scaled(calls: list[int], factor: float) -> list[int]:
    return [round(count * factor) for count in calls]


@pytest.fixture
def save_counts(run_storage):
    def save(number: int, view_factor: float = 1.0, commit: str = "b" * 40, **details):
        counts = {VIEW: scaled(VIEW_CALLS, view_factor), OTHER: OTHER_CALLS}
        return str(save_counted(run_storage, number, counts, commit=commit, **details))

    return save


def verdicts(capsys) -> dict[str, str]:
    result = json.loads(capsys.readouterr().out)
    return {bench["name"]: bench["verdict"] for bench in result["benchmarks"]}


@pytest.mark.parametrize(("factor", "expected", "status"), [(1.004, "slower", 1), (1.002, "unchanged", 0)])
def test_a_count_grown_beyond_the_default_threshold_fails_the_gate(save_counts, capsys, factor, expected, status):
    base, head = save_counts(1), save_counts(2, factor, commit="c" * 40)
    assert main(["runs", "--base", base, "--head", head, "--json"]) == status
    assert verdicts(capsys) == {VIEW: expected, OTHER: "unchanged"}


def test_saved_counted_runs_are_compared_by_instructions_by_default_and_say_what_counts_miss(save_counts, capsys):
    assert main(["runs", "--base", save_counts(1), "--head", save_counts(2, 0.97)]) == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines[0].endswith("by instructions") and lines[2].split()[:3] == ["benchmark", "base", "instructions"]
    assert "test_django_view" in lines[4] and "test_drf_view_without_authentication" in lines[5]
    assert lines[5].endswith("faster") and "372,622" in lines[5] and "0.9700" in lines[5]
    assert "minimum effect 0.25%" in lines[-1] and "no significant slowdown" in lines[-1]
    assert "cache misses, memory bandwidth, I/O and lock waits" in captured.err


def test_the_threshold_is_a_percentage_of_the_count(save_counts, capsys):
    base, head = save_counts(1), save_counts(2, 1.04)
    assert main(["runs", "--base", base, "--head", head, "--threshold", "5"]) == 0
    assert main(["runs", "--base", base, "--head", head, "--threshold", "3"]) == 1


def test_runs_of_one_side_that_disagree_are_too_noisy_to_tell(save_counts, capsys):
    base = [save_counts(1), save_counts(2, 1.05)]
    assert main(["runs", "--base", *base, "--head", save_counts(3, 1.05), "--json"]) == 0
    assert verdicts(capsys)[VIEW] == "too noisy to tell"


def test_hasher_parameters_that_differ_between_runs_are_reported(save_counts, run_storage, capsys):
    base, head = save_counts(1), save_counts(2)
    for path, iterations in ((base, 1_000_000), (head, 1_200_000)):
        content = json.loads(Path(path).read_text())
        content["machine_info"]["hashers"] = {"pbkdf2_sha256": {"iterations": iterations}}
        Path(path).write_text(json.dumps(content))
    assert main(["runs", "--base", base, "--head", head]) == 0
    err = capsys.readouterr().err
    assert "runs differ in hashers.pbkdf2_sha256: iterations=1000000 in" in err and "iterations=1200000" in err


def test_a_timed_run_asked_to_be_compared_by_instructions_is_a_one_line_error(save_counts, save_run, capsys):
    timed = str(save_run(3, {VIEW: [1.0, 1.1], OTHER: [1.0, 1.1]}))
    assert main(["runs", "--base", save_counts(1), "--head", timed, "--measure", "instructions"]) == 2
    err = capsys.readouterr().err
    assert timed in err and "no instruction counts" in err and err.count("\n") == 1


def test_counted_and_timed_runs_together_are_a_one_line_error_naming_the_timed_one(save_counts, save_run, capsys):
    timed = str(save_run(3, {VIEW: [1.0, 1.1], OTHER: [1.0, 1.1]}))
    assert main(["runs", "--base", save_counts(1), "--head", timed]) == 2
    err = capsys.readouterr().err
    assert timed in err and "no instruction counts" in err and err.count("\n") == 1


def test_a_counted_run_is_not_compared_by_its_valgrind_times(save_counts, capsys):
    counted = save_counts(1)
    assert main(["runs", "--base", counted, "--head", counted, "--measure", "time"]) == 2
    err = capsys.readouterr().err
    assert counted in err and "timed under valgrind" in err and err.count("\n") == 1


def test_markdown_marks_a_regression(save_counts, capsys):
    assert main(["runs", "--base", save_counts(1), "--head", save_counts(2, 1.02), "--markdown"]) == 1
    out = capsys.readouterr().out
    assert "| benchmark | base instructions | head instructions |" in out and "🔴 slower" in out


def recording_pytest_arguments(calls: list):
    """Stands in for the first pytest run of a comparison: records its arguments, then stops it (Ctrl-C)."""

    def runner(checkout, storage, save_name, pytest_args):
        calls.append(pytest_args)
        raise KeyboardInterrupt  # what was asked is all these tests need

    return runner


def test_revisions_are_counted_once_per_side_under_valgrind_by_default(monkeypatch, tmp_path, capsys):
    calls = []
    monkeypatch.setattr(checkouts, "measure_checkout", recording_pytest_arguments(calls))
    monkeypatch.setattr(compare, "valgrind_version", lambda: "valgrind-3.19.0")
    assert main(["revisions", "HEAD", "HEAD"]) == 130
    assert calls[0][-1] == "--instructions" and "--hashers=md5" in calls[0] and calls[0][0] == "benchmarks"
    assert any(
        arg.startswith("--deselect=benchmarks/test_schemes.py::test_scheme[BasicAuthentication]") for arg in calls[0]
    )


def test_without_valgrind_one_line_says_so_and_wall_time_is_measured(monkeypatch, capsys):
    calls = []
    monkeypatch.setattr(checkouts, "measure_checkout", recording_pytest_arguments(calls))
    monkeypatch.setattr(compare, "valgrind_version", lambda: None)
    assert main(["revisions", "HEAD", "HEAD"]) == 130
    assert capsys.readouterr().err.splitlines()[0] == compare.NO_VALGRIND
    assert "--instructions" not in calls[0] and "--benchmark-max-time=0.25" in calls[0]


def test_sides_counted_at_once_are_saved_under_new_run_numbers_and_nothing_is_overwritten(run_storage, save_counts):
    existing = Path(save_counts(1))

    def fake_measure(checkout, storage, save_name, pytest_args):
        path = storage / existing.parent.name / f"0001_{save_name}.json"
        path.parent.mkdir(parents=True)
        path.write_text(checkout.folder.name)
        return path

    jobs = [(Checkout(Path("base-checkout")), "base1"), (Checkout(Path("head-checkout")), "head1")]
    saved = measure_side_by_side(jobs, run_storage, [], fake_measure)
    assert [path.name for path in saved] == ["0002_base1.json", "0003_head1.json"]
    assert [path.read_text() for path in saved] == ["base-checkout", "head-checkout"]
    assert existing.exists() and all(path.parent == existing.parent for path in saved)


def test_an_interrupt_while_sides_are_counted_at_once_stops_both(run_storage, monkeypatch):
    """SIGTERM (a CI job cancelled) reaches the waiting thread, which stops both pytest process groups."""
    started = threading.Barrier(3)
    command = [sys.executable, "-c", "import time; time.sleep(60)"]

    processes = []

    def slow_measure(checkout, storage, save_name, pytest_args):
        with subprocess.Popen(command, start_new_session=True) as process:
            processes.append(process)
            checkouts._running.add(process)
            started.wait()
            process.wait()
            checkouts._running.discard(process)
        raise RuntimeError(f"{save_name} stopped")

    threading.Timer(0.5, lambda: (started.wait(), os.kill(os.getpid(), signal.SIGTERM))).start()
    with interrupt_on_sigterm(), pytest.raises(KeyboardInterrupt):
        measure_side_by_side(
            [(Checkout(Path("a")), "base1"), (Checkout(Path("b")), "head1")], run_storage, [], slow_measure
        )
    assert [process.returncode for process in processes] == [-signal.SIGTERM] * 2
