"""Malformed Authorization headers against cached and uncached Basic authentication: always a 401.

Never a 500 and nothing written to the cache, and a correct header still authenticates
after each one. The user's password is MD5 (fast_user): a slow hasher would make each
example cost a quarter of a second, and what is tested here is parsing and caching, not
the hasher. Headers are Latin-1 strings because that is what a WSGI server hands Django
(PEP 3333). The number of examples is the "untrusted-input" hypothesis profile's
(tests/conftest.py): a hundred per class in the test run, ten thousand in CI.
"""

from __future__ import annotations

import base64

import pytest
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
