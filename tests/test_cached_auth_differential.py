"""cached_auth against DRF's BasicAuthentication: the same answer for any valid credentials, then a hit.

Usernames and passwords with any Unicode characters, colons in the password, and long
values: each cached class must authenticate exactly whom BasicAuthentication does, and
serve the second request from its cache (no password check). Passwords are stored as MD5
so that an example costs milliseconds; what is compared is parsing and caching.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import make_password
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.authentication import BasicAuthentication

from benchlib.caches import forget_all
from benchlib.credentials import basic_header
from benchsite.views import protected_drf_view
from cached_auth.authentication import CachedBasicAuthentication, RevalidatingCachedBasicAuthentication

EXAMPLES = 30  # each makes a user and eight requests

# A username holds no colon (Basic splits at the first one) and, as a database column, no control character.
username_characters = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters=":")
usernames = st.text(username_characters, min_size=1, max_size=150)
# A password may hold any character but NUL: RFC 7617 forbids control characters in credentials,
# and the cached classes refuse NUL in any (tests/test_cached_auth_malformed_headers.py).
password_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"))
passwords = st.one_of(
    password_text,
    st.builds("{}:{}".format, password_text, password_text),  # colons: only the first one of the header separates
    st.builds(lambda char, size: char * size, st.sampled_from("a:é€😀"), st.integers(1_000, 10_000)),
)


@pytest.mark.parametrize("auth_cache", ["locmem"], indirect=True)
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(username=usernames, password=passwords)
def test_cached_classes_authenticate_whom_drf_does_and_then_serve_a_hit(
    username, password, db, django_user_model, prefer_hasher, auth_cache, api_factory, password_checks
):
    prefer_hasher("md5")
    forget_all(auth_cache)
    user, _ = django_user_model.objects.update_or_create(
        username=username, defaults={"password": make_password(password, hasher="md5")}
    )

    def answer(auth_class, header):
        before = password_checks.count
        request = api_factory.get("/hello-drf/", HTTP_AUTHORIZATION=header)
        status = protected_drf_view([auth_class])(request).status_code
        return status, getattr(request, "user", None) if status == 200 else None, password_checks.count - before

    header = basic_header(username, password)
    assert answer(BasicAuthentication, header) == (200, user, 1)
    for cached_class in (CachedBasicAuthentication, RevalidatingCachedBasicAuthentication):
        assert answer(cached_class, header) == (200, user, 1)
        assert answer(cached_class, header) == (200, user, 0)  # a hit
        assert answer(cached_class, basic_header(username, password + "!"))[:2] == (401, None)
