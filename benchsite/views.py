"""The write-up's two views, plain Django and DRF, neither touching the user itself; and a lazy DRF one."""

from django.http import HttpResponse
from rest_framework.decorators import api_view, authentication_classes
from rest_framework.views import APIView

from benchsite.auth.lazy import LazyAuthenticationMixin


def hello(request):
    return HttpResponse("Hello world!")


def _hello_drf(request):
    return HttpResponse("Hello world from DRF!")


hello_drf = api_view()(_hello_drf)


def drf_view_with(auth_classes):
    """The DRF hello view with the given `authentication_classes` instead of the default."""
    return api_view()(authentication_classes(list(auth_classes))(_hello_drf))


hello_drf_no_auth = drf_view_with([])


class LazyHello(LazyAuthenticationMixin, APIView):
    """The DRF hello view with lazy authentication; with touches_user it greets the user by name."""

    touches_user = False

    def get(self, request):
        if self.touches_user:
            return HttpResponse(f"Hello {request.user.get_username()} from DRF!")
        return _hello_drf(request)


def lazy_drf_view_with(auth_classes, *, touches_user: bool):
    """LazyHello with the given `authentication_classes`, reading request.user or not."""
    return LazyHello.as_view(authentication_classes=list(auth_classes), touches_user=touches_user)
