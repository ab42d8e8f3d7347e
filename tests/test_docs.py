"""Every command README.md and docs/ show is run by a test or by CI, and every benchtools one parses.

WHERE_RUN says, for each command shown, where it runs: ".ci/run" (as shown, in a fresh venv of
a clean checkout) or a test (which runs the same command, on a selection of benchmarks or with
a stand-in for what only a user has: their project, their origin/main). A command added to the
docs without a place here fails this test, and so does a place that no longer exists.
"""

from __future__ import annotations

import importlib

import pytest

from benchtools.__main__ import SUBCOMMANDS
from tests.docs_commands import ROOT, shown_commands

CI = ".ci/run"
CI_SETUP = ".ci/run, which makes a fresh venv from requirements.txt and installs the system packages"

WHERE_RUN = {
    "python3 -m venv .venv": CI_SETUP,
    "pip install -r requirements.txt": CI_SETUP,
    "apt-get install valgrind": CI_SETUP,
    "redis-server --bind 127.0.0.1 --port 6379 --save  --daemonize yes": CI_SETUP,
    "pytest -n auto": CI,
    "pytest --benchmark-only": "tests/test_saved_runs.py::test_each_run_is_saved_to_a_new_file",
    "pytest --benchmark-only --ds myproject.settings": (
        "tests/test_projects.py::test_a_project_with_an_email_user_model_and_none_of_the_optional_apps"
    ),
    "pytest --benchmark-only --benchmark-cprofile=tottime -k test_drf_view_basic_auth and pbkdf2_sha256": (
        "tests/test_saved_runs.py::test_the_profile_of_a_basic_authenticated_request_is_nearly_all_pbkdf2_hmac"
    ),
    "pytest --benchmark-only benchmarks/test_schemes.py": CI,
    # The growth runs, on one scheme at two tiny sizes: a minute at the default sizes, 24 counted.
    "pytest --benchmark-only -m growth": "tests/test_growth.py::test_a_growth_run_is_saved_printed_and_drawn",
    "pytest --instructions -m growth": (
        "tests/test_growth_valgrind.py::test_a_counted_growth_run_fits_the_growth_from_the_counts"
    ),
    "python -m benchtools schemes 0001 --growth 0002 --plot growth.png": (
        "tests/test_growth.py::test_schemes_puts_the_growth_of_another_run_in_the_table_and_draws_it"
    ),
    "pytest --benchmark-only -k cached_auth": CI,
    "pytest --benchmark-only -m sweep": CI,  # on the one hasher without a work factor: the grid takes an hour
    "pytest --instructions --hashers=md5 benchmarks/test_views.py::test_django_view "
    "benchmarks/test_views.py::test_drf_view_basic_auth benchmarks/test_hashers.py::test_check_password": CI,
    "python -m benchtools compare revisions origin/main HEAD": CI,  # as HEAD against HEAD, one benchmark
    "python -m benchtools compare revisions origin/main HEAD --markdown": CI,
    "python -m benchtools compare revisions origin/main HEAD --project /path/to/myproject --ds myproject.settings": (
        "tests/test_compare_project.py::test_a_loop_in_the_projects_own_class_is_found_and_named"
    ),
    "python -m benchtools compare requirements django52.txt django61.txt": CI,
    "python -m benchtools history": CI,
    "python -m benchtools history --measure instructions --benchmark *view* --plot counts.png": CI,
    "python -m benchtools schemes 0001": CI,
    "python -m benchtools e2e check": CI,
    "python -m benchtools e2e measure --duration 1 --concurrency 1,16 --plot e2e.png": CI,
    "python -m benchtools e2e show 0001": CI,
    "python -m benchtools e2e measure --database postgresql --servers gunicorn-sync --schemes token "
    "--connections per-request,persistent,pool --concurrency 4 --no-interference": CI,
    # The drills, as shown but shorter and with the MD5 hasher (the same subcommand, seconds instead of minutes):
    "python -m benchtools e2e drill revocation": (
        "tests/test_e2e_drills_served.py::"
        "test_a_revoked_password_and_a_deactivated_user_are_refused_from_the_next_request_in_every_worker"
    ),
    "python -m benchtools e2e drill redis": (
        "tests/test_e2e_drills_served.py::"
        "test_redis_stopped_and_started_serves_no_5xx_nothing_revoked_and_throughput_comes_back"
    ),
    "python -m benchtools e2e drill postgres --connections per-request,persistent,pool": (
        "tests/test_e2e_drills_served.py::test_postgresql_restarted_accepts_nothing_revoked_and_cached_hits_need_no_database"
    ),
    "python -m benchtools e2e drill revocation --auth-cache locmem": (
        "tests/test_e2e_drills_served.py::test_a_cache_of_each_process_is_found_accepting_a_revoked_password_exit_1"
    ),
    "python -m benchtools postgres -- pytest --benchmark-only benchmarks/test_schemes.py": CI,
    "python -m benchtools schemes 0001 0002": CI,
    "python -m benchtools tune measure --budget-ms 100": (
        "tests/test_tune.py::test_json_recommends_the_custom_hasher_within_the_budget"
    ),
    "python -m benchtools tune from-run 0001 --budget-ms 100": (
        "tests/test_tune.py::test_a_saved_run_gives_the_strongest_swept_setting_within_the_budget"
    ),
    "python -m benchtools tune measure --budget-ms 100 --settings myproject.settings": (
        "tests/test_projects.py::test_tune_settings_tunes_the_projects_own_hashers"
    ),
}

# How .ci/run writes a shown command that it runs with a stand-in.
CI_STAND_INS = {
    "python -m benchtools compare revisions origin/main HEAD": "python -m benchtools compare revisions HEAD HEAD",
    "python -m benchtools compare revisions origin/main HEAD --markdown": (
        "python -m benchtools compare revisions HEAD HEAD"
    ),
    "pytest --benchmark-only -m sweep": "pytest --benchmark-only -m sweep --hashers=md5",
    "python -m benchtools compare requirements django52.txt django61.txt": "python -m benchtools compare requirements",
}

COMMANDS = shown_commands()


def shown(command) -> str:
    return " ".join(command.words)


def test_the_docs_show_commands():
    assert len(COMMANDS) > 20


@pytest.mark.parametrize("command", COMMANDS, ids=[c.source for c in COMMANDS])
def test_each_command_shown_runs_in_ci_or_in_a_named_test(command):
    where = WHERE_RUN.get(shown(command))
    assert where is not None, f"{command.source}: `{command.text}` runs nowhere; add it to WHERE_RUN"
    if where == CI:
        assert CI_STAND_INS.get(shown(command), command.text) in (ROOT / ".ci" / "run").read_text()
    elif where != CI_SETUP:
        path, name = where.split("::")
        assert f"def {name}(" in (ROOT / path).read_text(), where


def test_every_place_named_is_a_command_still_shown():
    assert set(WHERE_RUN) == {shown(command) for command in COMMANDS}


BENCHTOOLS = [c for c in COMMANDS if c.words[:3] == ["python", "-m", "benchtools"]]


@pytest.mark.parametrize("command", BENCHTOOLS, ids=[c.source for c in BENCHTOOLS])
def test_each_benchtools_command_shown_is_accepted_by_its_parser(command):
    subcommand, *argv = command.words[3:]
    parser = importlib.import_module(SUBCOMMANDS[subcommand]).build_parser()
    parser.parse_args(argv)  # a usage error would exit
