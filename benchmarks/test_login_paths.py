"""Where a login's time goes: Django's authenticate() against its parts (the write-up's examples 1 and 2).

Fetching the user is one query; check_password is the hasher. DRF's
BasicAuthentication.authenticate() is authenticate() plus header parsing.
"""

from django.contrib.auth import authenticate, get_user_model
from rest_framework.authentication import BasicAuthentication
from rest_framework.request import Request

from conftest import PASSWORD


def fetch_and_check_password(username, password):
    """The write-up's example 2: fetch the user, then check_password."""
    user = get_user_model().objects.filter(username=username).first()
    if user is not None and user.check_password(password):
        return user
    return None


def test_contrib_auth_authenticate(benchmark, hasher_name, user_with_hasher, record_hasher):
    benchmark.group = f"login paths: {hasher_name}"
    record_hasher(user_with_hasher.password)
    user = benchmark(authenticate, None, username=user_with_hasher.username, password=PASSWORD)
    assert user == user_with_hasher


def test_fetch_user_and_check_password(benchmark, hasher_name, user_with_hasher, record_hasher):
    benchmark.group = f"login paths: {hasher_name}"
    record_hasher(user_with_hasher.password)
    user = benchmark(fetch_and_check_password, user_with_hasher.username, PASSWORD)
    assert user == user_with_hasher


def test_basic_authentication_authenticate(
    benchmark, hasher_name, user_with_hasher, record_hasher, api_factory, basic_header_for
):
    benchmark.group = f"login paths: {hasher_name}"
    record_hasher(user_with_hasher.password)
    request = Request(api_factory.get("/hello-drf/", HTTP_AUTHORIZATION=basic_header_for(user_with_hasher)))
    user, _ = benchmark(BasicAuthentication().authenticate, request)
    assert user == user_with_hasher
