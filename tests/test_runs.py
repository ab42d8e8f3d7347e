from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchtools.errors import ToolError
from benchtools.runs import environment_differences, load_run
from benchtools.storage import find_run
from tests.saved_runs import run_content

TIMINGS = {"benchmarks/test_x.py::test_a": [1.0, 2.0, 3.0]}


def one_line_error_naming(path, call):
    with pytest.raises(ToolError) as raised:
        call()
    message = str(raised.value)
    assert str(path) in message and "\n" not in message
    return message


def test_a_saved_run_loads_with_its_raw_timings(save_run):
    run = load_run(save_run(1, TIMINGS, commit="c" * 40))
    assert run.run_id == "0001" and run.commit == "c" * 40
    stats = run.by_name()["benchmarks/test_x.py::test_a"].stats
    assert stats.median == 2.0 and stats.data == (1.0, 2.0, 3.0)


def test_a_run_without_raw_timings_loads_without_them(tmp_path):
    path = tmp_path / "run.json"
    path.write_text(json.dumps(run_content(TIMINGS, raw=False)))
    assert load_run(path).by_name()["benchmarks/test_x.py::test_a"].stats.data is None


def test_a_missing_run_file_is_a_one_line_error(tmp_path):
    path = tmp_path / "0001_gone.json"
    assert "no such run file" in one_line_error_naming(path, lambda: load_run(path))


def test_a_truncated_run_file_is_a_one_line_error(save_run):
    path = save_run(1, TIMINGS)
    path.write_text(path.read_text()[:100])
    assert "not valid JSON" in one_line_error_naming(path, lambda: load_run(path))


@pytest.mark.parametrize(
    "content",
    [[], {"benchmarks": "none"}, {"machine_info": {}, "commit_info": {}}, {"name": "package.json", "version": "1.0"}],
)
def test_json_that_is_not_a_pytest_benchmark_run_is_a_one_line_error(tmp_path, content):
    path = tmp_path / "other.json"
    path.write_text(json.dumps(content))
    assert "not a pytest-benchmark run" in one_line_error_naming(path, lambda: load_run(path))


def test_a_benchmark_without_a_median_is_a_one_line_error(tmp_path):
    content = run_content(TIMINGS)
    del content["benchmarks"][0]["stats"]["median"]
    path = tmp_path / "run.json"
    path.write_text(json.dumps(content))
    one_line_error_naming(path, lambda: load_run(path))


json_values = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=12,
)


@given(json_values, st.sampled_from(["benchmarks", "stats", "median", "fullname", "data"]))
def test_any_json_either_loads_or_is_a_run_error(tmp_path_factory, value, key):
    """Untrusted files: arbitrary JSON, also planted where a run's fields belong, never crashes the loader."""
    content = run_content(TIMINGS)
    if key == "benchmarks":
        content["benchmarks"] = value
    elif key == "fullname":
        content["benchmarks"][0]["fullname"] = value
    else:
        content["benchmarks"][0]["stats"][key] = value
    path = tmp_path_factory.getbasetemp() / "fuzzed-run.json"
    for candidate in (value, content):
        path.write_text(json.dumps(candidate))
        try:
            run = load_run(path)
        except ToolError:
            continue
        assert all(bench.stats.median > 0 for bench in run.benchmarks)


def test_a_run_is_found_by_id_by_id_with_commit_and_by_path(save_run, run_storage):
    path = save_run(1, TIMINGS, commit="c" * 40)
    save_run(2, TIMINGS, commit="d" * 40)
    assert find_run("0001", run_storage) == path
    assert find_run("0001_" + "c" * 40, run_storage) == path
    assert find_run(str(path), run_storage) == path


def test_an_unknown_run_id_is_a_one_line_error(save_run, run_storage):
    save_run(1, TIMINGS)
    one_line_error_naming("0007", lambda: find_run("0007", run_storage))


def test_an_id_saved_for_two_machines_is_ambiguous(save_run, run_storage):
    path = save_run(1, TIMINGS)
    other = run_storage / "Linux-CPython-3.13-64bit" / path.name
    other.parent.mkdir()
    other.write_text(path.read_text())
    assert "ambiguous" in one_line_error_naming("0001", lambda: find_run("0001", run_storage))


def test_runs_from_different_machines_and_versions_are_warned_about(save_run):
    first = load_run(save_run(1, TIMINGS, node="vm", django="5.2.19"))
    second = load_run(save_run(2, TIMINGS, node="laptop", django="6.1.3"))
    warnings = environment_differences([first, second])
    assert any("machine" in w and "laptop" in w and first.path.name in w for w in warnings)
    assert any("versions.django" in w and "6.1.3" in w for w in warnings)


def test_runs_from_the_same_machine_and_versions_raise_no_warning(save_run):
    assert environment_differences([load_run(save_run(n, TIMINGS)) for n in (1, 2)]) == []
