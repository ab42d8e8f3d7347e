"""A project's own settings: `pytest --ds` and `tune --settings` measure exactly its PASSWORD_HASHERS.

Both run in a fresh process, as a user would run them (Django's settings are fixed per process).
"""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CUSTOM = "benchsite.settings_custom_hashers"
LIGHT = "benchsite.custom_hashers.LightPBKDF2PasswordHasher"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_pytest_ds_measures_the_projects_own_hashers(tmp_path):
    report = tmp_path / "run.json"
    done = run(
        "-m", "pytest", "--ds", CUSTOM, "-p", "no:cacheprovider", "-q",
        "benchmarks/test_hashers.py", "benchmarks/test_hasher_sweeps.py",
        "--benchmark-only", f"--benchmark-storage={tmp_path}", f"--benchmark-json={report}",
        "--benchmark-min-rounds=1", "--benchmark-max-time=0", "--benchmark-warmup=off",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    benchmarks = json.loads(report.read_text())["benchmarks"]
    measured = {b["extra_info"]["hasher"] for b in benchmarks}
    assert measured == {"pbkdf2_light", "md5"}
    check = next(b for b in benchmarks if b["name"] == "test_check_password[pbkdf2_light-right]")
    assert check["extra_info"]["hasher_parameters"]["iterations"] == 2_000
    sweep = next(b for b in benchmarks if b["group"] == "work-factor sweep: pbkdf2_light")
    assert sweep["extra_info"]["hasher_class"] == LIGHT


def test_tune_settings_tunes_the_projects_own_hashers():
    done = run("-m", "benchtools", "tune", "--settings", CUSTOM, "--budget-ms", "3", "--json",
               "--repeats", "1", "--threads", "0")
    assert done.returncode == 0, done.stderr
    (recommendation,) = json.loads(done.stdout)["recommendations"]  # MD5 has no work factor to tune
    assert recommendation["hasher"] == "pbkdf2_light" and recommendation["hasher_class"] == LIGHT
