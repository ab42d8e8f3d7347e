"""Benchmarks that time_dispatch must fail: run by tests/test_time_dispatch.py, not collected on their own."""

from benchlib.credentials import WRONG_PASSWORD
from benchsite.views import hello_drf


def test_a_401_is_not_a_success(time_dispatch, api_factory, user_with_hasher, basic_header_for):
    header = basic_header_for(user_with_hasher, WRONG_PASSWORD)
    time_dispatch(hello_drf, lambda: api_factory.get("/", HTTP_AUTHORIZATION=header), user=user_with_hasher)


def test_an_anonymous_200_is_not_the_expected_user(time_dispatch, api_factory, user_with_hasher):
    time_dispatch(hello_drf, lambda: api_factory.get("/"), user=user_with_hasher)


def test_the_right_user_passes(time_dispatch, api_factory, user_with_hasher, basic_header_for):
    header = basic_header_for(user_with_hasher)
    time_dispatch(hello_drf, lambda: api_factory.get("/", HTTP_AUTHORIZATION=header), user=user_with_hasher)


def test_an_expected_401_passes(time_dispatch, api_factory, user_with_hasher, basic_header_for):
    header = basic_header_for(user_with_hasher, WRONG_PASSWORD)
    time_dispatch(hello_drf, lambda: api_factory.get("/", HTTP_AUTHORIZATION=header), status=401)
