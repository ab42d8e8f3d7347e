"""What each layer of a request adds: Django view, DRF view, DRF authentication per hasher.

Full view dispatch through APIRequestFactory, no server and no middleware, so
the differences are DRF's dispatch and the authentication it runs.
"""

import pytest

from benchlib.handler import SuiteRoutesHandler, checking, https_environ
from benchsite.views import hello, hello_drf_basic, hello_drf_no_auth

GROUP = "view dispatch"


def test_django_view(benchmark, time_dispatch, api_factory):
    benchmark.group = GROUP
    time_dispatch(hello, lambda: api_factory.get("/hello/"))


def test_drf_view_without_authentication(benchmark, time_dispatch, api_factory):
    """authentication_classes=[]: what a view that needs no user should have."""
    benchmark.group = GROUP
    time_dispatch(hello_drf_no_auth, lambda: api_factory.get("/hello-drf/"))


def test_drf_view_basic_auth_without_credentials(benchmark, time_dispatch, api_factory):
    """BasicAuthentication with no header: an anonymous request, which runs no hasher."""
    benchmark.group = GROUP
    time_dispatch(hello_drf_basic, lambda: api_factory.get("/hello-drf/"))


def test_drf_view_basic_auth(
    benchmark, time_dispatch, api_factory, hasher_name, user_with_hasher, basic_header_for, record_hasher
):
    benchmark.group = GROUP
    record_hasher(user_with_hasher.password)
    header = basic_header_for(user_with_hasher)
    time_dispatch(
        hello_drf_basic, lambda: api_factory.get("/hello-drf/", HTTP_AUTHORIZATION=header), user=user_with_hasher
    )


@pytest.mark.parametrize(
    "path", ["/hello/", "/hello-drf-no-auth/", "/hello-drf/"], ids=["django", "drf-no-auth", "drf-basic-anonymous"]
)
def test_request_through_django_handler(benchmark, time_dispatch, path):
    """The same views behind Django's request handler (WSGI environ in; URL routing, response close),
    so the fixed cost every request pays is in the ratio. It is the test Client's handler, which
    skips only the per-request database-connection check; the suite's own routes (benchsite.urls),
    whatever ROOT_URLCONF says, and the settings' MIDDLEWARE (none in benchsite's; a project's own
    under its settings)."""
    benchmark.group = "request through Django's handler"
    handler = SuiteRoutesHandler("benchsite.urls", enforce_csrf_checks=False)
    time_dispatch(handler, lambda: https_environ(path), check_request=checking(handler, 200))  # anonymous
