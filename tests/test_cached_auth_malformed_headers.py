"""Malformed Authorization headers against cached and uncached Basic authentication: always a 401.

Never a 500 and nothing written to the cache, and a correct header still authenticates
after each one. The user's password is MD5 (fast_user): a slow hasher would make each
example cost a quarter of a second, and what is tested here is parsing and caching, not
the hasher. Headers are Latin-1 strings because that is what a WSGI server hands Django
(PEP 3333). The number of examples is the "untrusted-input" hypothesis profile's
(tests/conftest.py): a hundred per class in the test run, ten thousand in CI.

On PostgreSQL, DRF's own BasicAuthentication is left out: it asks the database about a
username holding NUL, which psycopg refuses with DataError, a 500. The cached classes refuse
such credentials before the cache or the database is asked, tested below on every database.
"""

from __future__ import annotations

import base64

import pytest
from django.db import connection
from django.http import HttpResponse
from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework.authentication import BasicAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from benchlib.credentials import PASSWORD, basic_header
from cached_auth.authentication import CachedBasicAuthentication, RevalidatingCachedBasicAuthentication
from tests.cache_contents import raw_items


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


latin1_text = st.text(st.characters(max_codepoint=0xFF))
# The decoded credentials of every strategy belong to no user ("user-fast" only with a wrong password).
wrong_credentials = st.one_of(
    st.tuples(st.just("user-fast"), latin1_text.filter(lambda password: password != PASSWORD)),
    st.tuples(st.text(min_size=1).filter(lambda name: ":" not in name and name != "user-fast"), st.text()),
)

malformed_headers = st.one_of(
    # Other schemes, and Basic without credentials.
    st.builds("{} {}".format, st.sampled_from(["Bearer", "Token", "Digest", "Basicx", "B", ""]), latin1_text),
    st.sampled_from(["Basic", "Basic ", "basic  ", "Basic a b", "Basic ===="]),
    # Not base64.
    st.builds("Basic {}".format, latin1_text.filter(lambda text: " " not in text)),
    # Base64 of anything without a colon, non-UTF-8 bytes included.
    st.builds(lambda raw: f"Basic {b64(raw)}", st.binary().filter(lambda raw: b":" not in raw)),
    # Non-UTF-8 bytes around a colon.
    st.builds(lambda name, password: f"Basic {b64(name + b':' + password)}", st.binary(), st.binary()).filter(
        lambda header: header != basic_header("user-fast", PASSWORD)
    ),
    # Empty parts.
    st.sampled_from([f"Basic {b64(b':')}", f"Basic {b64(b'user-fast:')}", f"Basic {b64(b':' + PASSWORD.encode())}"]),
    # Unicode usernames, empty or wrong passwords.
    st.builds(lambda pair: basic_header(*pair), wrong_credentials),
    # Huge values.
    st.builds(
        lambda size, char: basic_header(char * size, char * size), st.integers(10_000, 200_000), st.sampled_from("aé€")
    ),
    st.builds(lambda size: "Basic " + "A" * size, st.integers(10_000, 200_000)),
)


class ProtectedHello(APIView):
    """The DRF hello view, for authenticated users only: an unauthenticated request is a 401."""

    permission_classes = (IsAuthenticated,)

    def get(self, request):
        return HttpResponse(f"Hello {request.user.get_username()}!")


@pytest.fixture(
    params=[BasicAuthentication, CachedBasicAuthentication, RevalidatingCachedBasicAuthentication],
    ids=["uncached", "trusting", "revalidating"],
)
def protected_view(request):
    if request.param is BasicAuthentication and connection.vendor == "postgresql":
        pytest.skip("DRF's BasicAuthentication answers a username holding NUL with a 500 on PostgreSQL")
    return ProtectedHello.as_view(authentication_classes=[request.param])


@pytest.mark.parametrize("auth_cache", ["locmem"], indirect=True)
@settings(settings.get_profile("untrusted-input"))
@given(header=malformed_headers)
def test_malformed_header_is_a_401_writes_nothing_and_a_good_header_still_works(
    header, protected_view, fast_user, auth_cache, api_factory
):
    before = raw_items(auth_cache)
    response = protected_view(api_factory.get("/hello-drf/", HTTP_AUTHORIZATION=header))
    assert response.status_code == 401, response.content
    assert raw_items(auth_cache) == before

    request = api_factory.get("/hello-drf/", HTTP_AUTHORIZATION=basic_header(fast_user.username, PASSWORD))
    assert protected_view(request).status_code == 200
    assert request.user == fast_user


@pytest.mark.parametrize("auth_cache", ["locmem", "redis"], indirect=True)
@pytest.mark.parametrize(
    "username, password",
    [("user\x00-fast", PASSWORD), ("\x00", PASSWORD), ("user-fast", PASSWORD + "\x00"), ("user-fast\x00", "")],
    ids=["nul-in-username", "nul-username", "nul-in-password", "nul-and-empty-password"],
)
@pytest.mark.parametrize("auth_class", [CachedBasicAuthentication, RevalidatingCachedBasicAuthentication])
def test_credentials_holding_nul_are_a_401_before_the_database_or_the_cache_is_asked(
    auth_class, username, password, fast_user, auth_cache, api_factory, django_assert_num_queries, password_checks
):
    view = ProtectedHello.as_view(authentication_classes=[auth_class])
    before = raw_items(auth_cache)
    with django_assert_num_queries(0):
        response = view(api_factory.get("/hello-drf/", HTTP_AUTHORIZATION=basic_header(username, password)))
    assert (response.status_code, response.data["detail"]) == (401, "Invalid username/password.")
    assert password_checks.count == 0
    assert raw_items(auth_cache) == before
