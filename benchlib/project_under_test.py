"""The project under test, whichever settings `--ds` names: what it installs, and its authentication table.

A pytest plugin (loaded by the top-level conftest.py). A benchmark marked
`requires_app("oauth2_provider")` is skipped, naming the app, when the project does not install
it. After pytest-benchmark's own tables it prints the table of the project's own authentication
classes (benchmarks/test_project_auth.py), listing those the suite could not measure and why;
a saved run keeps both in machine_info, so `python -m benchtools schemes RUN` prints it again.
"""

from __future__ import annotations

import contextlib
import importlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import pytest
from pytest_benchmark.utils import get_commit_info

from benchlib.formats.json_files import as_builtins
from benchlib.formats.records import CommitInfo, ProjectRecord
from benchlib.harness import measured
from benchlib.instruction_mode import counting
from benchlib.scheme_table import measured_in_session, project_table

# The suite's own project: the one tests/ is written for.
SUITE_SETTINGS = "benchsite.settings"

_not_measured = pytest.StashKey[dict[str, str]]()


def settings_module() -> str:
    """The settings module under test (`--ds`), also while a test overrides settings (Django then says None)."""
    from django.conf import settings

    return settings.SETTINGS_MODULE or os.environ.get("DJANGO_SETTINGS_MODULE", "")


def measuring_the_suites_own_project() -> bool:
    return settings_module() == SUITE_SETTINGS


def requires_app(app: str) -> pytest.MarkDecorator:
    """Mark a benchmark that needs `app` (a name as in INSTALLED_APPS) installed in the project under test."""
    return pytest.mark.requires_app(app)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "requires_app(app): skipped unless the project under test installs the app")
    config.stash[_not_measured] = {}


def pytest_report_header(config: pytest.Config) -> list[str]:
    if not measuring_the_suites_own_project():
        return [f"project under test: {settings_module()} (the suite's own tests, in tests/, are left out)"]
    return []


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    from django.apps import apps

    for item in items:
        for mark in item.iter_markers("requires_app"):
            (app,) = mark.args
            if not apps.is_installed(app):
                reason = f"needs {app!r} in INSTALLED_APPS, which {settings_module()} does not install"
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture
def not_measured(pytestconfig: pytest.Config) -> Callable[[str, str], NoReturn]:
    """Skip the benchmark of an authentication class the suite cannot drive; the table lists it with the reason."""

    def skip(name: str, reason: str) -> NoReturn:
        pytestconfig.stash[_not_measured][name] = reason
        pytest.skip(f"{name} not measured: {reason}")

    return skip


def pytest_benchmark_update_machine_info(config: pytest.Config, machine_info: dict[str, Any]) -> None:
    record = ProjectRecord(settings_module(), config.stash[_not_measured], project_commit())
    machine_info["project"] = as_builtins(record)


def project_commit() -> CommitInfo | None:
    """The commit of the checkout holding the settings module, as pytest-benchmark reads one; None outside git."""

    module = importlib.import_module(settings_module())
    if module.__file__ is None:
        return None
    folder = Path(module.__file__).resolve().parent
    with contextlib.chdir(folder):
        info = get_commit_info()
    return None if info["id"] in ("unknown", "unversioned") else CommitInfo(info["id"], info["dirty"])


@pytest.hookimpl(trylast=True)  # after pytest-benchmark's own tables
def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    results = measured(config)
    timed = results and not counting(config)  # counts have their own table
    table = timed and project_table(measured_in_session(results), settings_module(), config.stash[_not_measured])
    if table:
        terminalreporter.write_sep("-", "the project's own authentication (python -m benchtools schemes RUN.json)")
        terminalreporter.write_line(table)
