"""benchlib/attribution.py and `pytest --attribution`: one call's work counted per function, exactly and
repeatably; and benchtools/compare/where.py naming the functions whose work changed between two sides."""

from __future__ import annotations

import hashlib
import json
import sys

from benchlib.attribution import FunctionNames, profile_call
from benchlib.formats.records import WhereProfile
from benchtools.compare import report
from benchtools.compare.cli import main as compare_main
from benchtools.compare.comparing import confirmed
from benchtools.compare.stats import Comparison, Verdict
from benchtools.compare.where import where
from benchtools.options import Measure
from tests.runs import load, saved_runs, short_benchmark_run

HERE = "tests/test_attribution.py"


def leaf(n: int) -> int:
    return sum(range(n))


def work(loops: int = 0) -> str:
    for _ in range(loops):
        pass
    leaf(3)
    leaf(4)
    return hashlib.sha256(b"x").hexdigest()


def test_a_call_is_counted_per_function_the_same_every_time():
    first = profile_call(work, (), {})
    second = profile_call(work, (), {})
    assert first == second
    result, profile = first
    assert result == hashlib.sha256(b"x").hexdigest()
    assert profile.calls[f"{HERE}:work"] == 1 and profile.calls[f"{HERE}:leaf"] == 2
    assert profile.instructions[f"{HERE}:work"] > 0 and profile.instructions[f"{HERE}:leaf"] > 0
    constructors = {"builtins.range": 3} if sys.version_info >= (3, 12) else {}  # only 3.12+ sees types called
    assert profile.c_calls == {"_hashlib.openssl_sha256": 1, "HASH.hexdigest": 1, "builtins.sum": 2, **constructors}


def test_a_loop_is_counted_in_the_function_that_runs_it_and_no_other():
    _, base = profile_call(work, (0,), {})
    _, head = profile_call(work, (100,), {})
    found = where(base, head)
    assert found.change > 0 and found.functions[0].function == f"{HERE}:work"
    assert [change.function for change in found.functions] == [f"{HERE}:work"]
    assert found.functions[0].base_calls == found.functions[0].head_calls == 1


def test_a_function_is_named_by_its_file_under_the_sys_path_entry_holding_it(tmp_path):
    names = FunctionNames([str(tmp_path / "a"), str(tmp_path / "a" / "b")])
    assert names.relative(str(tmp_path / "a" / "b" / "mod.py")) == "mod.py"
    assert names.relative(str(tmp_path / "a" / "pkg" / "mod.py")) == "pkg/mod.py"
    assert names.relative("<frozen importlib._bootstrap>") == "<frozen importlib._bootstrap>"


def test_a_new_function_and_a_c_function_called_more_are_listed():
    base = WhereProfile({"a.py:f": 10}, {"a.py:f": 1}, {"hashlib.sha256": 1})
    head = WhereProfile({"a.py:f": 10, "m.py:Middleware.__call__": 30}, {"a.py:f": 1, "m.py:Middleware.__call__": 1},
                        {"hashlib.sha256": 3})  # fmt: skip
    found = where(base, head)
    assert [(f.function, f.change, f.base_calls, f.head_calls) for f in found.functions] == [
        ("m.py:Middleware.__call__", 30, 0, 1)
    ]
    assert [(f.function, f.base_calls, f.head_calls) for f in found.c_functions] == [("hashlib.sha256", 1, 3)]


def test_the_report_shows_where_in_text_markdown_and_json():
    base = WhereProfile({"a.py:f": 10}, {"a.py:f": 1}, {})
    head = WhereProfile({"a.py:f": 40}, {"a.py:f": 1}, {})
    name = "benchmarks/test_x.py::test_a"
    comparison = Comparison(name, 100.0, 130.0, 1.3, 1.3, 1.3, Verdict.SLOWER, 1, 1, "counts", Measure.INSTRUCTIONS)
    side = report.Side("abc (1 runs)", [])
    made = report.Report([comparison], 0.0075, 0.95, side, side, where={name: where(base, head)},
                         packages={"django": ("5.2.19", "6.1.3")})  # fmt: skip
    text = report.table(made)
    assert "where test_x.py::test_a changed: +30" in text and "a.py:f" in text and "5.2.19" in text
    markdown = report.markdown(made)
    assert "| `a.py:f` | +30: 10 → 40 | 1 → 1 |" in markdown and "| django | 5.2.19 | 6.1.3 |" in markdown
    document = json.loads(report.as_json(made))
    assert document["benchmarks"][0]["where"]["functions"][0]["function"] == "a.py:f"
    assert document["packages"] == {"django": {"base": "5.2.19", "head": "6.1.3"}}


def test_attribution_mode_saves_each_benchmarks_profile_in_the_run(tmp_path):
    result, storage = short_benchmark_run(tmp_path, "--attribution", "benchmarks/test_views.py::test_django_view")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    (run,) = [load(path) for path in saved_runs(storage)]
    (bench,) = run["benchmarks"]
    profile = WhereProfile(**bench["extra_info"]["where"])
    assert any(name.startswith("django/http/response.py:") for name in profile.instructions)
    assert profile.calls["benchsite/views.py:hello"] == 1


def comparison_of(ratio: float) -> Comparison:
    return Comparison(
        "t::a", 100.0, 100.0 * ratio, ratio, ratio, ratio, Verdict.SLOWER, 1, 1, "counts", Measure.INSTRUCTIONS
    )


SAME = where(WhereProfile({"a.py:f": 10}, {"a.py:f": 1}, {}), WhereProfile({"a.py:f": 10}, {"a.py:f": 1}, {}))
MORE = where(WhereProfile({"a.py:f": 10}, {"a.py:f": 1}, {}), WhereProfile({"a.py:f": 11}, {"a.py:f": 1}, {}))


def test_a_count_that_moved_with_the_same_work_on_both_sides_is_the_process_not_the_code():
    (same,) = confirmed([comparison_of(1.004)], {"t::a": SAME}, same_code_below=True)
    assert same.verdict == Verdict.SAME_WORK and "nowhere" in report.where_title("t::a", SAME)
    # Different work, different packages below, or a move too large for the process: the verdict stands.
    assert confirmed([comparison_of(1.004)], {"t::a": MORE}, same_code_below=True)[0].verdict == Verdict.SLOWER
    assert confirmed([comparison_of(1.004)], {"t::a": SAME}, same_code_below=False)[0].verdict == Verdict.SLOWER
    assert confirmed([comparison_of(1.02)], {"t::a": SAME}, same_code_below=True)[0].verdict == Verdict.SLOWER


def test_a_profiled_run_is_never_compared_as_timed(save_run, capsys):
    base, head = (
        save_run(1, {"benchmarks/test_x.py::test_a": [1.0, 1.1]}),
        save_run(2, {"benchmarks/test_x.py::test_a": [1.0]}),
    )
    content = json.loads(head.read_text())
    content["machine_info"]["profiled"] = True
    head.write_text(json.dumps(content))
    assert compare_main(["runs", "--base", str(base), "--head", str(head), "--measure", "time"]) == 2
    assert "made with pytest --attribution" in capsys.readouterr().err
