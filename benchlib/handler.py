"""Django's request handler with the project's own MIDDLEWARE, routing to the suite's views.

What a request pays in a real deployment around the view: request construction from a WSGI
environ, every middleware of the settings' MIDDLEWARE, URL resolution and response close.
It is the test Client's handler, which skips only the per-request database-connection check;
the routes are the suite's (a URLconf set on each request, as Django lets middleware do), so
that under any project's settings the view is known.
"""

from __future__ import annotations

from django.test.client import ClientHandler
from django.urls import path
from rest_framework.test import APIRequestFactory

VIEW_PATH = "/api/"


class OneView:
    """A URLconf routing VIEW_PATH to one view."""

    def __init__(self, view):
        self.urlpatterns = [path(VIEW_PATH.strip("/") + "/", view)]


class SuiteRoutesHandler(ClientHandler):
    """Django's handler with the settings' MIDDLEWARE, routing with `urlconf` instead of ROOT_URLCONF.

    It keeps the last response (with its request as `wsgi_request`) so that a benchmark can check,
    after the timer, who each request was authenticated as.
    """

    def __init__(self, urlconf, *, enforce_csrf_checks: bool = True):
        super().__init__(enforce_csrf_checks=enforce_csrf_checks)
        self.urlconf = urlconf
        self.last_response = None

    def __call__(self, environ):
        self.last_response = super().__call__(environ)
        return self.last_response

    def get_response(self, request):
        request.urlconf = self.urlconf
        return super().get_response(request)


def authenticated_user(response):
    """Who authentication put on the request that got `response` (DRF sets it on Django's request too)."""
    user = getattr(response.wsgi_request, "user", None)
    return user if getattr(user, "is_authenticated", False) else None


def checking(stack: SuiteRoutesHandler, status: int, user=None):
    """check_request for time_dispatch: the response to this very environ had `status` and `user` (None: nobody)."""

    def check_request(environ) -> None:
        response = stack.last_response
        assert response.wsgi_request.environ is environ
        assert response.status_code == status, response.content
        assert authenticated_user(response) == user, f"expected {user!r}, got {authenticated_user(response)!r}"

    return check_request


def view_behind_middleware(view) -> SuiteRoutesHandler:
    """`view` behind the project's MIDDLEWARE, at VIEW_PATH; CSRF enforced, as in production."""
    return SuiteRoutesHandler(OneView(view))


def https_environ(path: str = VIEW_PATH, **meta) -> dict:
    """The WSGI environ of a GET over HTTPS (as an API is served: SECURE_SSL_REDIRECT lets it through)."""
    return APIRequestFactory().get(path, secure=True, **meta).environ
