"""Django's request handler with the project's own MIDDLEWARE, routing to the suite's views.

What a request pays in a real deployment around the view: request construction from a WSGI
environ, every middleware of the settings' MIDDLEWARE, URL resolution and response close.
It is the test Client's handler, which skips only the per-request database-connection check;
the routes are the suite's (a URLconf set on each request, as Django lets middleware do), so
that under any project's settings the view is known.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponseBase
from django.test.client import ClientHandler
from django.urls import path
from rest_framework.test import APIRequestFactory

if TYPE_CHECKING:
    from django.test.client import _WSGIResponse as WSGIResponse

WSGIEnviron = dict[str, Any]

VIEW_PATH = "/api/"


class OneView:
    """A URLconf routing VIEW_PATH to one view."""

    def __init__(self, view: Callable[..., HttpResponseBase]) -> None:
        self.urlpatterns = [path(VIEW_PATH.strip("/") + "/", view)]


class SuiteRoutesHandler(ClientHandler):
    """Django's handler with the settings' MIDDLEWARE, routing with `urlconf` instead of ROOT_URLCONF.

    It keeps the last response (with its request as `wsgi_request`) so that a benchmark can check,
    after the timer, who each request was authenticated as.
    """

    def __init__(self, urlconf: OneView, *, enforce_csrf_checks: bool = True) -> None:
        super().__init__(enforce_csrf_checks=enforce_csrf_checks)
        self.urlconf = urlconf
        self.last_response: WSGIResponse | None = None

    def __call__(self, environ: WSGIEnviron) -> WSGIResponse:
        self.last_response = super().__call__(environ)
        return self.last_response

    def get_response(self, request: HttpRequest) -> HttpResponseBase:
        # Django's routing reads request.urlconf, set by middleware: a module or an object with urlpatterns.
        # django-stubs 5.2 does not declare it; 6 declares a str.
        request.urlconf = self.urlconf  # type: ignore[attr-defined,assignment,unused-ignore]
        return super().get_response(request)


def authenticated_user(response: WSGIResponse) -> object | None:
    """Who authentication put on the request that got `response` (DRF sets it on Django's request too)."""
    user = getattr(response.wsgi_request, "user", None)
    return user if getattr(user, "is_authenticated", False) else None


def checking(stack: SuiteRoutesHandler, status: int, user: object | None = None) -> Callable[[WSGIEnviron], None]:
    """check_request for time_dispatch: the response to this very environ had `status` and `user` (None: nobody)."""

    def check_request(environ: WSGIEnviron) -> None:
        response = stack.last_response
        assert response is not None, "no request was handled"
        assert response.wsgi_request.environ is environ
        assert response.status_code == status, getattr(response, "content", response)
        assert authenticated_user(response) == user, f"expected {user!r}, got {authenticated_user(response)!r}"

    return check_request


def view_behind_middleware(view: Callable[..., HttpResponseBase]) -> SuiteRoutesHandler:
    """`view` behind the project's MIDDLEWARE, at VIEW_PATH; CSRF enforced, as in production."""
    return SuiteRoutesHandler(OneView(view))


def https_environ(path: str = VIEW_PATH, **meta: str) -> WSGIEnviron:
    """The WSGI environ of a GET over HTTPS (as an API is served: SECURE_SSL_REDIRECT lets it through)."""
    request = APIRequestFactory().get(path, None, secure=True, **meta)
    # djangorestframework-stubs types the factory's requests as DRF's Request; they are Django's WSGIRequest.
    return request.environ  # type: ignore[attr-defined]
