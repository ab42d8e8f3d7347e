"""The views under test: "hello" in plain Django and in DRF, neither touching the user; and a lazy DRF one.

The DRF views name their authentication, permission and throttle classes rather than take the
settings' defaults (except `hello_drf`, which exists to use DRF's defaults), so that under another
project's settings they measure the same thing: a project's IsAuthenticated default would refuse
the unauthenticated baseline, and its throttles would refuse a benchmark's thousands of rounds.
"""

from __future__ import annotations

from django.http import HttpResponse
from rest_framework.authentication import BasicAuthentication
from rest_framework.decorators import api_view, authentication_classes, permission_classes, throttle_classes
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.views import APIView


def hello(request):
    return HttpResponse("Hello world!")


def _hello_drf(request):
    return HttpResponse("Hello world from DRF!")


hello_drf = api_view()(_hello_drf)


def protected_drf_view(auth_classes, permissions=(IsAuthenticated,), methods=("GET", "POST"), throttles=()):
    """The DRF hello view (GET and POST) behind `auth_classes`, refusing what `permissions` refuse.

    A scheme's failure path needs a view that turns an unauthenticated request
    away (401/403) instead of serving it anonymously, as an API's protected endpoint does.
    """

    # DRF's decorators set attributes on the function they wrap: wrap a new one each time
    # so that no setting leaks into another view made from _hello_drf.
    def hello_protected(request):
        return _hello_drf(request)

    view = throttle_classes(list(throttles))(hello_protected)
    view = permission_classes(list(permissions))(authentication_classes(list(auth_classes))(view))
    return api_view(list(methods))(view)


def drf_view_with(auth_classes):
    """The DRF hello view with the given `authentication_classes` instead of the default, open to anyone."""
    return protected_drf_view(auth_classes, permissions=[AllowAny], methods=["GET"])


hello_drf_no_auth = drf_view_with([])
hello_drf_basic = drf_view_with([BasicAuthentication])


class LazyAuthenticationMixin:
    """Put before APIView: authentication runs when request.user or request.auth is first read.

    DRF's APIView.initial() calls perform_authentication(), which reads request.user and so
    runs every authentication class (the password hasher, for BasicAuthentication) even for
    a view that never looks at the user
    (https://github.com/encode/django-rest-framework/issues/6002). Request.user is already
    lazy; this only stops forcing it. An authentication error then surfaces where the user is
    first touched: inside the view it is still DRF's 401; in code running after the view
    (middleware, templates rendered later) it would be an exception, so touch it in the view.
    """

    def perform_authentication(self, request):
        pass


class LazyHello(LazyAuthenticationMixin, APIView):
    """The DRF hello view with lazy authentication; with touches_user it greets the user by name."""

    touches_user = False
    permission_classes = (AllowAny,)  # a permission that reads request.user would force authentication
    throttle_classes = ()

    def get(self, request):
        if self.touches_user:
            return HttpResponse(f"Hello {request.user.get_username()} from DRF!")
        return _hello_drf(request)


def lazy_drf_view_with(auth_classes, *, touches_user: bool):
    """LazyHello with the given `authentication_classes`, reading request.user or not."""
    return LazyHello.as_view(authentication_classes=list(auth_classes), touches_user=touches_user)
