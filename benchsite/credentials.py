"""What a client sends to authenticate: built in one place for benchmarks, tests and schemes."""

import base64


def basic_header(username: str, password: str) -> str:
    """The HTTP Basic `Authorization` header value for a username and password."""
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()
