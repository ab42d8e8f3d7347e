"""A project's own settings: `pytest --ds` and `tune --settings` measure exactly its PASSWORD_HASHERS.

Both run in a fresh process, as a user would run them (Django's settings are fixed per process).
"""

import json
import subprocess
import sys

from tests.runs import ROOT, load, saved_runs, short_benchmark_run

CUSTOM = "benchsite.settings_custom_hashers"
LIGHT = "benchsite.custom_hashers.LightPBKDF2PasswordHasher"


def test_pytest_ds_measures_the_projects_own_hashers(tmp_path):
    result, storage = short_benchmark_run(
        tmp_path, "--ds", CUSTOM, "-q", "benchmarks/test_hashers.py", "benchmarks/test_hasher_sweeps.py"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (saved,) = saved_runs(storage)
    benchmarks = load(saved)["benchmarks"]
    assert {b["extra_info"]["hasher"] for b in benchmarks} == {"pbkdf2_light", "md5"}
    check = next(b for b in benchmarks if b["name"] == "test_check_password[pbkdf2_light-right]")
    assert check["extra_info"]["hasher_parameters"]["iterations"] == 2_000
    sweep = next(b for b in benchmarks if b["group"] == "work-factor sweep: pbkdf2_light")
    assert sweep["extra_info"]["hasher_class"] == LIGHT


def test_tune_settings_tunes_the_projects_own_hashers():
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchtools",
            "tune",
            "--settings",
            CUSTOM,
            "--budget-ms",
            "3",
            "--json",
            "--repeats",
            "1",
            "--threads",
            "0",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    (recommendation,) = json.loads(done.stdout)["recommendations"]  # MD5 has no work factor to tune
    assert recommendation["hasher"] == "pbkdf2_light" and recommendation["hasher_class"] == LIGHT
