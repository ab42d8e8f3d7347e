"""The profile of a Basic-authenticated request: nearly all its time is pbkdf2_hmac."""

from tests.runs import load, saved_runs, short_benchmark_run


def test_pbkdf2_hmac_tops_the_profile_of_a_basic_auth_request(tmp_path):
    result, storage = short_benchmark_run(
        tmp_path,
        "benchmarks/test_views.py",
        "--benchmark-cprofile=tottime",
        "--hashers=pbkdf2_sha256",
        "-k",
        "test_drf_view_basic_auth and pbkdf2_sha256",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    [run] = saved_runs(storage)
    [bench] = load(run)["benchmarks"]
    top = max(bench["cprofile"], key=lambda entry: entry["tottime"])
    assert "pbkdf2_hmac" in top["function_name"], top
    assert top["tottime"] > 0.9 * sum(entry["tottime"] for entry in bench["cprofile"])
    assert "pbkdf2_hmac" in result.stdout  # and it is what the user sees under the table
