"""The authentication schemes a served benchsite is measured with: the URL of each (benchsite/urls_served.py)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scheme:
    name: str
    description: str
    bad_status: int | None  # the status of a request with a wrong credential; None: nothing to get wrong
    asgi_only: bool = False  # an async view: measured under the ASGI server only

    @property
    def path(self) -> str:
        return f"/e2e/{self.name}/"


SCHEMES = {
    scheme.name: scheme
    for scheme in (
        Scheme("none", "DRF view, no authentication", None),
        Scheme("basic", "DRF BasicAuthentication: the password hasher on every request", 401),
        Scheme("cached-basic", "cached_auth CachedBasicAuthentication on a Redis the workers share", 401),
        Scheme("token", "DRF TokenAuthentication", 401),
        Scheme("jwt", "simplejwt JWTAuthentication", 401),
        Scheme("session", "DRF SessionAuthentication (database sessions)", 403),
        Scheme("async-basic", "Django async view, await aauthenticate()", 401, asgi_only=True),
        Scheme(
            "async-basic-thread",
            "Django async view, await sync_to_async(authenticate)()",
            401,
            asgi_only=True,
        ),
    )
}

GOOD_STATUS = 200
