"""The caches the cached authentication is measured and tested with: local memory, and Redis when configured."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from django.conf import LazySettings
    from django.core.cache.backends.base import BaseCache
    from pytest_django.fixtures import Settings


def redis_cache_config(settings: Settings | LazySettings) -> dict[str, Any]:
    """settings' Redis cache under a key prefix of its own; skips the test if Redis is not configured.

    `settings`: pytest-django's fixture, or django.conf.settings outside a test function.
    """
    if "redis" not in settings.CACHES:
        pytest.skip(f"Redis not configured: set {settings.REDIS_URL_VARIABLE}=redis://127.0.0.1:6379/15 to run")
    return {**settings.CACHES["redis"], "KEY_PREFIX": f"drf-auth-bench-test-{uuid.uuid4().hex}"}


def forget_all(cache: BaseCache) -> None:
    """Delete every key in `cache`: for Redis, only those under its key prefix (no FLUSHDB)."""
    from django.core.cache.backends.redis import RedisCache

    if isinstance(cache, RedisCache):
        # Django keeps the Redis client private (django-stubs 6 declares it): its cache API has no scan of a prefix.
        client = cache._cache.get_client(write=True)  # type: ignore[attr-defined,unused-ignore]
        for key in client.scan_iter(match=cache.make_key("*")):
            client.delete(key)
    else:
        cache.clear()
