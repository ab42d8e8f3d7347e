"""pytest --instructions under valgrind, end to end: counts saved, the same in two processes, the same checks.

Minutes under callgrind, so marked `valgrind` (deselected by pytest.ini; .ci/run runs them
with `pytest -m valgrind`). A small selection: a view dispatch through time_dispatch, a
direct benchmark(...) call and a pedantic one with a setup.
"""

from __future__ import annotations

import shutil

import pytest

from benchlib.instructions import MEASURED_CALLS
from benchtools.compare.cli import main as compare
from benchtools.compare.selection import DEFAULTS
from benchtools.history.cli import main as history
from benchtools.options import Measure
from benchtools.runs import load_run
from tests.runs import run_pytest, saved_runs

pytestmark = [
    pytest.mark.valgrind,
    pytest.mark.skipif(shutil.which("valgrind") is None, reason="valgrind is not installed"),
]

SELECTION = (
    "benchmarks/test_views.py::test_django_view",
    "benchmarks/test_views.py::test_drf_view_basic_auth",
    "benchmarks/test_hashers.py::test_check_password",
)


@pytest.fixture(scope="module")
def two_counted_runs(tmp_path_factory):
    storage = tmp_path_factory.mktemp("counted") / "storage"
    for _ in range(2):
        result = run_pytest("--instructions", "--hashers=md5", f"--benchmark-storage={storage}", *SELECTION)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return storage, result.stdout


def test_every_benchmark_of_a_counted_run_has_its_counts_and_the_run_how_they_were_made(two_counted_runs):
    storage, _ = two_counted_runs
    run = load_run(saved_runs(storage)[0])
    assert run.counting.valgrind.startswith("valgrind-") and "--instr-atstart=no" in run.counting.valgrind_options
    assert run.counting.python_hash_seed == "0" and run.counting.random_bytes_seed == 0
    assert run.counting.measured_calls == MEASURED_CALLS
    names = {bench.fullname.split("::")[-1] for bench in run.benchmarks}
    assert names == {
        "test_django_view", "test_drf_view_basic_auth[md5]", "test_check_password[md5-right]",
        "test_check_password[md5-wrong]",
    }  # fmt: skip
    for bench in run.benchmarks:
        assert len(bench.instructions.calls) == MEASURED_CALLS and bench.instructions.median in bench.instructions.calls
    by_name = {bench.fullname.split("::")[-1]: bench.instructions.median for bench in run.benchmarks}
    # A DRF view running Basic authentication executes far more than a plain Django view.
    assert by_name["test_drf_view_basic_auth[md5]"] > 10 * by_name["test_django_view"]


def test_two_processes_count_the_same_instructions(two_counted_runs):
    """Within the change `compare` flags by default, so identical code is never reported as changed.

    Medians of two processes were seen up to 0.34% apart (`test_django_view`, 67,500 instructions),
    and the counted calls of one benchmark in one process by up to 0.66% (`test_drf_view_basic_auth[md5]`)."""
    storage, _ = two_counted_runs
    first, second = (load_run(path).by_name() for path in saved_runs(storage))
    assert first.keys() == second.keys()
    default_threshold = DEFAULTS[Measure.INSTRUCTIONS].threshold_percent / 100
    for name, bench in first.items():
        apart = abs(bench.instructions.median - second[name].instructions.median) / bench.instructions.median
        assert apart < default_threshold, name


def test_the_session_prints_the_counts(two_counted_runs):
    _, stdout = two_counted_runs
    assert "instructions per call (callgrind" in stdout and "test_views.py::test_django_view" in stdout


def test_compare_and_history_read_the_counts(two_counted_runs, capsys):
    storage, _ = two_counted_runs
    base, head = (str(path) for path in saved_runs(storage))
    assert compare(["runs", "--base", base, "--head", head]) == 0
    assert "4 benchmarks by instructions: 4 unchanged" in capsys.readouterr().out
    assert history(["--storage", str(storage), "--measure", "instructions", "--benchmark", "test_django_view"]) == 0
    assert "instructions" in capsys.readouterr().out


def test_counting_checks_what_was_measured_as_timing_does(tmp_path):
    result = run_pytest(
        "tests/time_dispatch_cases.py", "--instructions", "--hashers=md5", f"--benchmark-storage={tmp_path}", "-q"
    )
    summary = result.stdout.strip().splitlines()[-1]
    assert summary.startswith("2 failed, 2 passed"), result.stdout[-3000:]
    assert "FAILED tests/time_dispatch_cases.py::test_a_401_is_not_a_success[md5]" in result.stdout
