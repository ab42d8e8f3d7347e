"""The write-up's two views: plain Django and DRF, neither touching the user itself."""

from django.http import HttpResponse
from rest_framework.decorators import api_view, authentication_classes


def hello(request):
    return HttpResponse("Hello world!")


def _hello_drf(request):
    return HttpResponse("Hello world from DRF!")


hello_drf = api_view()(_hello_drf)


def drf_view_with(auth_classes):
    """The DRF hello view with the given `authentication_classes` instead of the default."""
    return api_view()(authentication_classes(list(auth_classes))(_hello_drf))


hello_drf_no_auth = drf_view_with([])
