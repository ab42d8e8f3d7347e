"""benchtools/tune/saved.py: sweep points and thread rates read back from a saved run."""

import json

import hypothesis.strategies as st
import pytest
from hypothesis import HealthCheck, given, settings

from benchlib.formats.records import SweepPoint, ThreadsPoint, recorded
from benchtools.errors import ToolError
from benchtools.tune.saved import load_sweep_run
from tests.saved_runs import run_content

BCRYPT = "django.contrib.auth.hashers.BCryptPasswordHasher"

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)
record_like = st.dictionaries(
    st.sampled_from(["hasher", "hasher_class", "family", "parameters", "threads", "logins_per_round"]),
    json_values,
    max_size=6,
)
extra_info_like = st.dictionaries(
    st.sampled_from(["sweep", "threads", "hasher"]), json_values | record_like, max_size=3
)


def saved(tmp_path, extra_infos: list[dict], median: float = 0.06) -> str:
    content = run_content(
        {f"benchmarks/test_s.py::test_{i}": [median * 0.9, median, median * 1.5] for i in range(len(extra_infos))}
    )
    for bench, extra_info in zip(content["benchmarks"], extra_infos, strict=True):
        bench["extra_info"] = extra_info
    path = tmp_path / "run.json"
    path.write_text(json.dumps(content))
    return path


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=50)
@given(extra_infos=st.lists(extra_info_like, min_size=1, max_size=3))
def test_any_extra_info_loads_or_is_a_one_line_error_naming_the_file(tmp_path, extra_infos):
    path = saved(tmp_path, extra_infos)
    try:
        load_sweep_run(path)
    except ToolError as error:
        assert str(path) in str(error) and "\n" not in str(error)


def test_a_sweep_benchmark_reads_back_as_its_median_and_spread_in_milliseconds(tmp_path):
    path = saved(tmp_path, [recorded(sweep=SweepPoint("bcrypt", BCRYPT, "bcrypt", {"rounds": 10}))])
    (measurement,) = load_sweep_run(path).points["bcrypt"]
    assert measurement.parameters == {"rounds": 10} and measurement.samples == 3
    assert measurement.median_ms == pytest.approx(60) and measurement.spread_ms == pytest.approx((54, 90))


def test_thread_benchmarks_read_back_as_logins_per_second(tmp_path):
    records = [recorded(sweep=SweepPoint("bcrypt", BCRYPT, "bcrypt", {"rounds": 10}))]
    records += [recorded(threads=ThreadsPoint("bcrypt", BCRYPT, n, 6 * n)) for n in (1, 2)]
    (scaling,) = load_sweep_run(saved(tmp_path, records)).scaling
    assert scaling.per_threads == pytest.approx({1: 100, 2: 200})
