"""The suite measuring other projects, as a team would measure its own: from this checkout, the project
on PYTHONPATH, `pytest --benchmark-only --ds <project>.settings` (tests/projects/README.md).

Each runs in a fresh process (Django's settings are fixed per process), one round per benchmark.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from benchlib.formats.records import PROJECT_BAD_CREDENTIALS_GROUP, PROJECT_GROUP
from benchtools.schemes.cli import main as schemes_main
from tests.runs import PROJECTS, ROOT, load, outside_this_session, saved_runs, short_benchmark_run

LIGHT = "customauth.hashers.LightPBKDF2PasswordHasher"
QUICK_TUNE = ["--budget-ms", "3", "--json", "--repeats", "1", "--threads", "0"]
OPTIONAL_APPS = ["rest_framework.authtoken", "rest_framework_api_key", "oauth2_provider", "cached_auth"]


def measure(tmp_path, settings: str, *args: str) -> tuple[subprocess.CompletedProcess, dict, Path]:
    """A short timed run of the suite on an example project: its output, its saved run and the run's path."""
    result, storage = short_benchmark_run(tmp_path, "--ds", settings, "-rs", *args, pythonpath=PROJECTS)
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-3000:]
    (saved,) = saved_runs(storage)
    return result, load(saved), saved


def project_rows(run: dict, group: str) -> dict[str, tuple]:
    """class -> (hashed per request, queries[, status]) of the project-authentication benchmarks of a group."""
    rows = [b["extra_info"]["scheme"] for b in run["benchmarks"] if b["group"] == group]
    return {
        row["name"]: (
            row["hashes"],
            row["queries_per_request"],
            *([row["refused_with"]] if row["refused_with"] else []),
        )
        for row in rows
    }


# One test per project: each is a pytest run of its own, too slow to repeat per xdist worker.


def test_a_project_with_an_email_user_model_and_none_of_the_optional_apps(tmp_path):
    """emailuser, by the documented command: no paths, so the ini's testpaths (tests and benchmarks) are
    collected. The BasicAuthentication schemes are left out: Django's default PBKDF2 costs a second a run."""
    result, run, _ = measure(tmp_path, "emailuser.settings_quick", "-k", "not (test_scheme and Basic)")

    # A benchmark needing an app the project lacks is skipped, naming the app; the suite's own tests are left out.
    for app in OPTIONAL_APPS:
        assert f"needs {app!r} in INSTALLED_APPS, which emailuser.settings_quick does not install" in result.stdout
    assert "project under test: emailuser.settings_quick" in result.stdout and "tests/test_" not in result.stdout

    # Users are made through the custom manager: logins, Basic per hasher, sessions and JWTs all ran.
    names = {b["name"] for b in run["benchmarks"]}
    assert {
        "test_contrib_auth_authenticate",
        "test_drf_view_basic_auth[argon2]",
        "test_first_login_after_hasher_change[argon2-to-bcrypt_sha256]",
        "test_scheme[session (db)]",
        "test_scheme[JWTAuthentication]",
    } <= names

    # The project's own classes through its own middleware (SecurityMiddleware redirects plain HTTP: it is HTTPS).
    assert project_rows(run, PROJECT_GROUP) == {
        "no authentication": ("no", 0),
        "rest_framework.authentication.BasicAuthentication": ("argon2 verify", 1),  # the user by email
        # The session row, then the user; the session data's signature and the session auth hash:
        "rest_framework.authentication.SessionAuthentication": ("HMAC-SHA256 x2", 2),
    }
    # The first class, BasicAuthentication, sends a challenge: a 401 for either bad credential.
    assert {row[-1] for row in project_rows(run, PROJECT_BAD_CREDENTIALS_GROUP).values()} == {401}
    assert "emailuser.settings_quick: its authentication classes through its MIDDLEWARE" in result.stdout


def test_a_project_with_authentication_classes_and_a_hasher_of_its_own(tmp_path, capsys):
    files = ["benchmarks/test_hashers.py", "benchmarks/test_hasher_sweeps.py", "benchmarks/test_project_auth.py"]
    result, run, saved = measure(tmp_path, "customauth.settings", *files)

    hashers = [b for b in run["benchmarks"] if b["name"].startswith(("test_check_password", "test_make_password"))]
    assert {b["extra_info"]["hasher"] for b in hashers} == {"pbkdf2_light", "md5"}
    check = next(b for b in hashers if b["name"] == "test_check_password[pbkdf2_light-right]")
    assert check["extra_info"]["hasher_parameters"]["iterations"] == 2_000
    sweep = next(b for b in run["benchmarks"] if b["group"] == "work-factor sweep: pbkdf2_light")
    assert sweep["extra_info"]["sweep"]["hasher_class"] == LIGHT

    assert project_rows(run, PROJECT_GROUP) == {
        "no authentication": ("no", 0),
        "rest_framework.authentication.TokenAuthentication": ("no", 1),  # the key looked up as stored
        "rest_framework_simplejwt.authentication.JWTAuthentication": ("HMAC-SHA256", 1),
        # The project's own class, with the maker it names in DRF_AUTH_BENCH_CREDENTIALS:
        "customauth.authentication.DeviceKeyAuthentication": ("SHA-256", 1),
        # A BasicAuthentication subclass, with the suite's Basic credential:
        "customauth.authentication.QuietBasicAuthentication": ("pbkdf2_light verify", 1),
    }
    assert sorted(project_rows(run, PROJECT_BAD_CREDENTIALS_GROUP).values()) == [
        ("HMAC-SHA256", 0, 401),  # a forged signature: no user is loaded
        ("SHA-256", 1, 401),
        ("no", 1, 401),
        ("pbkdf2_light verify", 1, 401),
    ]
    # The class the suite cannot make a credential for is listed, with why, in the run and the table.
    certificate = "customauth.authentication.ClientCertificateAuthentication"
    reason = "the suite has no credential for it; name a maker in settings.DRF_AUTH_BENCH_CREDENTIALS"
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=PROJECTS, capture_output=True, text=True).stdout.strip()
    assert run["machine_info"]["project"] == {
        "settings": "customauth.settings",
        "authentication_not_measured": {certificate: reason},
        "commit_info": {"id": head, "dirty": run["machine_info"]["project"]["commit_info"]["dirty"]},
    }
    assert f"| {certificate} | not measured: {reason} |" in result.stdout
    # `python -m benchtools schemes RUN` prints the same table from the saved run.
    assert schemes_main([str(saved)]) == 0
    assert capsys.readouterr().out.strip() in result.stdout


def test_tune_settings_tunes_the_projects_own_hashers():
    done = subprocess.run(
        [sys.executable, "-m", "benchtools", "tune", "measure", "--settings", "customauth.settings", *QUICK_TUNE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env=outside_this_session(PROJECTS),
    )
    assert done.returncode == 0, done.stderr
    (recommendation,) = json.loads(done.stdout)["recommendations"]  # MD5 has no work factor to tune
    assert recommendation["hasher"] == "pbkdf2_light" and recommendation["hasher_class"] == LIGHT
