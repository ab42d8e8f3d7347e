"""`pytest --instructions -m growth` under valgrind: each size counted, and the growth fitted from the counts.

Minutes under callgrind, so marked `valgrind` (.ci/run runs them with `pytest -m valgrind`): one
scheme at two tiny sizes.
"""

from __future__ import annotations

import shutil

import pytest

from benchlib.growth import series_of
from benchlib.scheme_table import measured_in_run
from benchtools.runs import load_run
from tests.runs import run_pytest, saved_runs

pytestmark = [
    pytest.mark.valgrind,
    pytest.mark.skipif(shutil.which("valgrind") is None, reason="valgrind is not installed"),
]


def test_a_counted_growth_run_fits_the_growth_from_the_counts(tmp_path):
    storage = tmp_path / "storage"
    selection = "test_growth and JWTStatelessUserAuthentication"
    result = run_pytest(
        "--instructions",
        "-m",
        "growth",
        "--growth-sizes=2,3",
        "-k",
        selection,
        f"--benchmark-storage={storage}",
        "benchmarks/test_growth.py",
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    (series,) = series_of(measured_in_run(load_run(saved_runs(storage)[0]).benchmarks))
    assert series.instructions and [point.size for point in series.points] == [2, 3]
    assert all(point.queries == 0 for point in series.points)
    assert "| JWTStatelessUserAuthentication | flat in users (" in result.stdout
