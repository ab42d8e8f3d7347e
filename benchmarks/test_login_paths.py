"""Where a login's time goes: Django's authenticate() against its parts.

The two ways to log in that the investigation in the README compared: `authenticate()`,
and fetching the user then calling `check_password`. Fetching the user is one query;
check_password is the hasher. DRF's BasicAuthentication.authenticate() is authenticate()
plus header parsing. Measured with the primary hasher (the settings' preferred one):
each hasher's own cost is in test_hashers.py.
"""

from django.contrib.auth import authenticate, get_user_model
from rest_framework.authentication import BasicAuthentication
from rest_framework.request import Request

from benchlib.credentials import PASSWORD


def fetch_and_check_password(username, password):
    """Fetch the user, then check_password: what authenticate() does through ModelBackend."""
    user_model = get_user_model()
    user = user_model._default_manager.filter(**{user_model.USERNAME_FIELD: username}).first()
    if user is not None and user.check_password(password):
        return user
    return None


GROUP = "login paths"


def test_contrib_auth_authenticate(benchmark, primary_user, record_hasher):
    benchmark.group = GROUP
    record_hasher(primary_user.password)
    user = benchmark(authenticate, None, username=primary_user.get_username(), password=PASSWORD)
    assert user == primary_user


def test_fetch_user_and_check_password(benchmark, primary_user, record_hasher):
    benchmark.group = GROUP
    record_hasher(primary_user.password)
    user = benchmark(fetch_and_check_password, primary_user.get_username(), PASSWORD)
    assert user == primary_user


def test_basic_authentication_authenticate(benchmark, primary_user, record_hasher, api_factory, basic_header_for):
    benchmark.group = GROUP
    record_hasher(primary_user.password)
    request = Request(api_factory.get("/hello-drf/", HTTP_AUTHORIZATION=basic_header_for(primary_user)))
    user, _ = benchmark(BasicAuthentication().authenticate, request)
    assert user == primary_user
