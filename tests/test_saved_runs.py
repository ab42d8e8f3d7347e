"""A saved run explains itself (versions, hasher parameters, a profile) and never replaces an earlier one."""

import pytest

from benchlib.harness import DJANGOS_WORK
from tests.runs import load, saved_runs, short_benchmark_run

FIRST_RUN = [
    "benchmarks/test_hashers.py",
    "benchmarks/test_views.py",
    "-k",
    "(test_check_password and right) or (test_drf_view_basic_auth and pbkdf2_sha256)",
    "--hashers=md5,pbkdf2_sha256",
    "--benchmark-cprofile=tottime",
]
SECOND_RUN = ["benchmarks/test_hashers.py", "-k", "test_check_password and right", "--hashers=md5"]


@pytest.fixture(scope="module")
def first_output_and_two_runs(tmp_path_factory):
    """Two quick runs into one fresh storage folder; the first measures a slow hasher and profiles."""
    tmp_path = tmp_path_factory.mktemp("runs")
    outputs = []
    for selection in (FIRST_RUN, SECOND_RUN):
        result, storage = short_benchmark_run(tmp_path, *selection)
        assert result.returncode == 0, result.stdout + result.stderr
        outputs.append(result.stdout)
    return outputs[0], saved_runs(storage)


@pytest.fixture(scope="module")
def two_runs(first_output_and_two_runs):
    return first_output_and_two_runs[1]


def test_each_run_is_saved_to_a_new_file(two_runs):
    assert [path.name[:4] for path in two_runs] == ["0001", "0002"]


def test_saved_run_records_the_versions_timings_depend_on(two_runs):
    versions = load(two_runs[0])["machine_info"]["versions"]
    assert set(versions) == {
        "django",
        "djangorestframework",
        "python",
        "openssl",
        "argon2-cffi",
        "argon2-cffi-bindings",
        "bcrypt",
    }
    assert all(versions.values())


def test_saved_run_records_each_measured_hashers_parameters(two_runs):
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    iterations = DJANGOS_WORK[PBKDF2PasswordHasher]["iterations"]  # what a timed run uses
    run = load(two_runs[0])
    assert run["machine_info"]["hashers"] == {
        "md5": {"algorithm": "md5"},
        "pbkdf2_sha256": {"algorithm": "pbkdf2_sha256", "iterations": iterations},
    }
    by_hasher = {bench["extra_info"]["hasher"]: bench["extra_info"] for bench in run["benchmarks"]}
    assert by_hasher["pbkdf2_sha256"]["hasher_parameters"]["iterations"] == iterations


def test_the_profile_of_a_basic_authenticated_request_is_nearly_all_pbkdf2_hmac(first_output_and_two_runs):
    output, (first, _) = first_output_and_two_runs
    [bench] = [b for b in load(first)["benchmarks"] if b["name"] == "test_drf_view_basic_auth[pbkdf2_sha256]"]
    top = max(bench["cprofile"], key=lambda entry: entry["tottime"])
    assert "pbkdf2_hmac" in top["function_name"], top
    assert top["tottime"] > 0.9 * sum(entry["tottime"] for entry in bench["cprofile"])
    assert "pbkdf2_hmac" in output  # and it is what the user sees under the table


def test_a_run_records_the_database_its_benchmarks_used_and_only_a_run_that_used_one(two_runs):
    from django.db import connection

    first, second = (load(path)["machine_info"] for path in two_runs)
    assert first["database"]["vendor"] == connection.vendor  # the logins of test_drf_view_basic_auth read a user
    assert first["database"]["connections"] == {"conn_max_age": 0, "health_checks": False, "pool": False}
    assert "database" not in second  # test_check_password makes no query
