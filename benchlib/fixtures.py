"""Fixtures the benchmarks and the tests share (a pytest plugin, loaded by the top-level conftest.py)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password

from benchlib.caches import forget_all, redis_cache_config
from benchlib.credentials import PASSWORD
from benchlib.users import create_user

if TYPE_CHECKING:
    from django.core.cache.backends.base import BaseCache
    from pytest_django.fixtures import Settings

    from benchlib.users import User


@pytest.fixture
def scheme_user(db: None, prefer_hasher: Callable[[str], None]) -> User:
    """A user whose password PASSWORD is hashed with Django's default hasher, as in a new project.

    That hasher is preferred (and configured, if the project under test does not list it), so a
    login verifies with it and never re-hashes the password with the project's own.
    """
    prefer_hasher("pbkdf2_sha256")
    return create_user("scheme-user", django_default_hash())


@functools.cache
def django_default_hash() -> str:
    """PASSWORD hashed by Django's default hasher at the installed Django's parameters; made once, it is slow."""
    return make_password(PASSWORD, hasher=PBKDF2PasswordHasher())


class PasswordChecks:
    """How many times a password was verified (django.contrib.auth's check_password called)."""

    def __init__(self) -> None:
        self.count = 0


@pytest.fixture
def password_checks(monkeypatch: pytest.MonkeyPatch) -> PasswordChecks:
    """Count password verifications, proving which path a request took (a cache hit runs none).

    A plain wrapper rather than a Mock: it adds well under a microsecond, and only on
    paths that run a hasher anyway.
    """
    from django.contrib.auth import base_user, hashers

    checks = PasswordChecks()
    verify = hashers.check_password  # the function base_user imports, which AbstractBaseUser.check_password calls

    def counting_check_password(*args: Any, **kwargs: Any) -> bool:
        checks.count += 1
        return verify(*args, **kwargs)

    monkeypatch.setattr(base_user, "check_password", counting_check_password)
    return checks


@pytest.fixture(params=["locmem", "redis"])
def auth_cache(request: pytest.FixtureRequest, settings: Settings) -> Iterator[BaseCache]:
    """The cache cached_auth uses for a test: empty, and emptied after.

    "locmem" is settings' default cache; "redis" is a real server, when
    DRF_AUTH_BENCH_REDIS_URL is set (otherwise skipped), under a key prefix of the test's own
    so that nothing else using the same Redis database is touched.
    """
    from django.core.cache import caches

    if request.param == "redis":
        settings.CACHES = {**settings.CACHES, "redis": redis_cache_config(settings)}
    settings.AUTH_CACHE_ALIAS = request.param if request.param == "redis" else "default"
    cache = caches[settings.AUTH_CACHE_ALIAS]
    forget_all(cache)  # and, with Redis configured but not running, an error rather than a skip
    yield cache
    forget_all(cache)
