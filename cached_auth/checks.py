"""System checks (`manage.py check`, and every runserver or migrate): cached_auth's settings, at deploy time."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured

from cached_auth.config import DEFAULT_ALIAS, cache_alias, commit_timeout_seconds, ttl_seconds

REDIS_BACKEND = "django.core.cache.backends.redis.RedisCache"
LOCAL_MEMORY_BACKEND = "django.core.cache.backends.locmem.LocMemCache"


@register(Tags.caches)
def check_settings(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    settings_read = (
        (ttl_seconds, "cached_auth.E001"),
        (cache_alias, "cached_auth.E002"),
        (commit_timeout_seconds, "cached_auth.E003"),
    )
    for read, error_id in settings_read:
        try:
            read()
        except ImproperlyConfigured as error:
            errors.append(Error(str(error), id=error_id))
    alias = getattr(settings, "AUTH_CACHE_ALIAS", DEFAULT_ALIAS)
    cache = settings.CACHES.get(alias, {})
    location = cache.get("LOCATION", "")
    servers = location if isinstance(location, list | tuple) else str(location).split(",")
    if cache.get("BACKEND") == REDIS_BACKEND and len(servers) > 1:
        errors.append(
            Warning(
                f"Cache {alias!r} reads from Redis replicas: a replica behind its primary can serve a "
                "replaced stamp, and so a revoked password, until it catches up.",
                hint="Give AUTH_CACHE_ALIAS a cache with the primary only in LOCATION.",
                id="cached_auth.W001",
            )
        )
    if cache.get("BACKEND") == LOCAL_MEMORY_BACKEND:
        errors.append(
            Warning(
                f"Cache {alias!r} is local memory: each process has its own, so a password change or "
                "deactivation saved by one process does not reach another's cached authentications.",
                hint="Fine for a single process; otherwise give AUTH_CACHE_ALIAS a cache every process shares.",
                id="cached_auth.W002",
            )
        )
    return errors
