"""Views only the served benchsite has: logins in Django async views, and a request that only waits.

The async views answer the question an ASGI deployment asks: does `await aauthenticate()`
keep the event loop free while the password hasher runs? Django's async login path
(ModelBackend.aauthenticate -> AbstractBaseUser.acheck_password -> hashers.acheck_password)
calls the hasher directly, so the hash runs on the event loop; the second view runs the
sync authenticate() in a thread instead (sync_to_async), as a sync view is run.
"""

from __future__ import annotations

import base64
import time

from asgiref.sync import sync_to_async
from django.contrib.auth import aauthenticate, authenticate
from django.http import HttpResponse

LONGEST_WAIT_MS = 10_000


def basic_credentials(request) -> tuple[str, str] | None:
    """The username and password of an HTTP Basic Authorization header; None if absent or malformed."""
    scheme, _, encoded = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "basic" or not encoded:
        return None
    try:
        decoded = base64.b64decode(encoded, validate=True).decode("utf-8")
    except ValueError:  # not base64 (binascii.Error), not ASCII, or not UTF-8 (UnicodeDecodeError)
        return None
    username, colon, password = decoded.partition(":")
    return (username, password) if colon else None


def unauthorized() -> HttpResponse:
    return HttpResponse("Invalid username/password.", status=401, headers={"WWW-Authenticate": 'Basic realm="api"'})


async def hello_async_login(request):
    """HTTP Basic checked by awaiting Django's aauthenticate (the hasher runs on the event loop)."""
    credentials = basic_credentials(request)
    user = await aauthenticate(request, username=credentials[0], password=credentials[1]) if credentials else None
    return unauthorized() if user is None else HttpResponse("Hello world, async!")


async def hello_async_login_in_thread(request):
    """HTTP Basic checked by the sync authenticate() in a thread of its own (sync_to_async)."""
    credentials = basic_credentials(request)
    user = (
        await sync_to_async(authenticate)(request, username=credentials[0], password=credentials[1])
        if credentials
        else None
    )
    return unauthorized() if user is None else HttpResponse("Hello world, async!")


def wait(request):
    """Occupy the worker (a sync view: a process, or a thread) for ?ms= milliseconds without using the CPU."""
    try:
        milliseconds = float(request.GET.get("ms", "0"))
    except ValueError:
        return HttpResponse("ms must be a number", status=400)
    time.sleep(min(max(milliseconds, 0.0), LONGEST_WAIT_MS) / 1000)
    return HttpResponse("waited")
