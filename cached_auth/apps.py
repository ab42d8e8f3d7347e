"""The app that makes every process which can save a user also invalidate its cached authentications."""

from __future__ import annotations

from django.apps import AppConfig


class CachedAuthConfig(AppConfig):
    name = "cached_auth"

    def ready(self) -> None:
        # Connected here rather than where the authentication classes are imported: a
        # process that never authenticates (a worker, `manage.py changepassword`) must
        # still replace the stamps that web processes sharing the cache check.
        from cached_auth import checks, invalidation  # noqa: F401 - checks registers itself

        invalidation.connect()
