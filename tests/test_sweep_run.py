import json

import hypothesis.strategies as st
import pytest
from hypothesis import HealthCheck, given, settings

from benchtools.sweep_run import SavedRunError, load_sweep_run, sweep_extra_info

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)
benchmark_like = st.fixed_dictionaries(
    {"extra_info": st.dictionaries(st.sampled_from(["sweep", "threads", "hasher", "hasher_class", "sweep_parameters",
                                                   "logins_per_round"]), json_values, max_size=6),
     "stats": st.dictionaries(st.sampled_from(["min", "median", "max"]), json_values, max_size=3)}
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=30)
@given(content=st.one_of(json_values, st.fixed_dictionaries({"benchmarks": st.lists(benchmark_like, max_size=3)})))
def test_any_saved_json_loads_or_is_a_saved_run_error_naming_the_file(tmp_path, content):
    path = tmp_path / "run.json"
    path.write_text(json.dumps(content))
    try:
        load_sweep_run(str(path))
    except SavedRunError as error:
        assert str(path) in str(error) and "\n" not in str(error)


def test_a_sweep_benchmark_reads_back_as_a_measurement_in_milliseconds(tmp_path):
    info = sweep_extra_info("bcrypt", "django.contrib.auth.hashers.BCryptPasswordHasher", "bcrypt", {"rounds": 10})
    path = tmp_path / "run.json"
    path.write_text(json.dumps({"benchmarks": [{"extra_info": info, "stats": {"min": 0.05, "median": 0.06, "max": 0.09}}]}))
    saved = load_sweep_run(str(path))
    (measurement,) = saved.points["bcrypt"]
    assert measurement.parameters == {"rounds": 10}
    assert measurement.median_ms == pytest.approx(60) and measurement.spread_ms == pytest.approx((50, 90))
