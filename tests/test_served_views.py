"""benchsite.served_views: the async logins answer a malformed Authorization header with 401, never 500."""

from __future__ import annotations

import asyncio
import base64

import pytest
from django.test import RequestFactory
from hypothesis import given
from hypothesis import strategies as st

from benchsite.served_views import basic_credentials, hello_async_login, hello_async_login_in_thread, wait

MALFORMED = ["", "Basic", "Basic ", "Bearer abc", "Basic !!!", "Basic " + base64.b64encode(b"no-colon").decode(),
             "Basic " + base64.b64encode(b"\xff\xfe:x").decode()]  # fmt: skip


@pytest.mark.parametrize("header", MALFORMED)
@pytest.mark.parametrize("view", [hello_async_login, hello_async_login_in_thread])
def test_a_malformed_header_is_a_401_before_any_login(view, header):
    request = RequestFactory().get("/", HTTP_AUTHORIZATION=header)
    response = asyncio.run(view(request))
    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Basic")


@given(st.text())
def test_any_header_gives_credentials_or_none_and_never_raises(header):
    request = RequestFactory().get("/", HTTP_AUTHORIZATION="Basic " + header)
    found = basic_credentials(request)
    assert found is None or (isinstance(found, tuple) and len(found) == 2)


def test_the_wait_view_refuses_a_duration_that_is_not_a_number():
    assert wait(RequestFactory().get("/", {"ms": "soon"})).status_code == 400
