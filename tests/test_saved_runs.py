"""A saved run explains itself and never replaces an earlier one."""

import pytest

from tests.runs import load, saved_runs, short_benchmark_run

SELECTION = ["benchmarks/test_hashers.py", "-k", "test_check_password and right"]


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    """Two quick runs into one fresh storage folder; the first also measures a slow hasher."""
    tmp_path = tmp_path_factory.mktemp("runs")
    for hashers in ("md5,pbkdf2_sha1", "md5"):
        result, storage = short_benchmark_run(tmp_path, *SELECTION, f"--hashers={hashers}")
        assert result.returncode == 0, result.stdout + result.stderr
    return saved_runs(storage)


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
    from django.contrib.auth.hashers import PBKDF2SHA1PasswordHasher

    run = load(two_runs[0])
    assert run["machine_info"]["hashers"] == {
        "md5": {"algorithm": "md5"},
        "pbkdf2_sha1": {"algorithm": "pbkdf2_sha1", "iterations": PBKDF2SHA1PasswordHasher.iterations},
    }
    by_hasher = {bench["extra_info"]["hasher"]: bench["extra_info"] for bench in run["benchmarks"]}
    assert by_hasher["pbkdf2_sha1"]["hasher_parameters"]["iterations"] == PBKDF2SHA1PasswordHasher.iterations
