"""What a client sends to authenticate, and the passwords every benchmark and test uses."""

from __future__ import annotations

import base64

PASSWORD = "correct horse battery staple"
WRONG_PASSWORD = "correct horse battery stapler"


def basic_header(username: str, password: str) -> str:
    """The HTTP Basic `Authorization` header value for a username and password."""
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()
