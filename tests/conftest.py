"""Fixtures for the tests of the suite's own code (the shared ones are in benchlib.fixtures)."""

from __future__ import annotations

import functools

import pytest

from benchlib.project_under_test import measuring_the_suites_own_project
from benchlib.users import create_user
from tests.saved_runs import write_run

# These tests are written for the suite's own project (benchsite: its apps, the default User, no
# middleware); under another project's settings (pytest --ds myproject.settings) only the
# benchmarks are collected.
if not measuring_the_suites_own_project():
    collect_ignore_glob = ["*"]


@pytest.fixture
def fast_user(db, password_hash_for, prefer_hasher):
    """A user whose password PASSWORD is stored as MD5, that hasher preferred.

    For tests that authenticate many times (hypothesis): a check costs microseconds, and
    an unknown username's decoy hash (ModelBackend runs the preferred hasher) is MD5 too.
    """
    prefer_hasher("md5")
    return create_user("user-fast", password_hash_for("md5"))


@pytest.fixture
def run_storage(tmp_path):
    """An empty pytest-benchmark storage folder for one test."""
    return tmp_path / ".benchmarks"


@pytest.fixture
def save_run(run_storage):
    """Save a synthetic pytest-benchmark run into `run_storage`; returns its path (see tests/saved_runs.py)."""
    return functools.partial(write_run, run_storage)
