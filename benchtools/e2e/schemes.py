"""The authentication schemes a served benchsite is measured with: the URL of each (benchsite/urls_served.py)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scheme:
    name: str
    description: str
    bad_status: int | None  # the status of a request with a wrong credential; None: nothing to get wrong
    hashes_password: bool  # runs the password hasher on every request
    asgi_only: bool = False  # an async view: measured under the ASGI server only

    @property
    def path(self) -> str:
        return f"/e2e/{self.name}/"


SCHEMES = {
    scheme.name: scheme
    for scheme in (
        Scheme("none", "DRF view, no authentication", None, hashes_password=False),
        Scheme("basic", "DRF BasicAuthentication, the default hasher", 401, hashes_password=True),
        Scheme(
            "cached-basic", "cached_auth CachedBasicAuthentication, Redis shared by workers", 401, hashes_password=False
        ),
        Scheme("token", "DRF TokenAuthentication", 401, hashes_password=False),
        Scheme("jwt", "simplejwt JWTAuthentication", 401, hashes_password=False),
        Scheme("session", "DRF SessionAuthentication (database sessions)", 403, hashes_password=False),
        Scheme("async-basic", "Django async view, await aauthenticate()", 401, hashes_password=True, asgi_only=True),
        Scheme(
            "async-basic-thread",
            "Django async view, await sync_to_async(authenticate)()",
            401,
            hashes_password=True,
            asgi_only=True,
        ),
    )
}

GOOD_STATUS = 200
