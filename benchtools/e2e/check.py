"""`e2e --check`: each server answers each scheme's good credential with 200 and a wrong one with its refusal."""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass

from benchlib.auth_schemes import GOOD_STATUS, ServedScheme
from benchtools.e2e.servers import Server

TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True)
class Answer:
    server: str
    scheme: str
    credential: str  # "good" or "bad"
    expected: int
    status: int | str  # the status code, or what went wrong instead

    @property
    def right(self) -> bool:
        return self.status == self.expected


def check(server: Server, scheme: ServedScheme, credentials: dict[str, dict[str, str]]) -> list[Answer]:
    expected = {"good": GOOD_STATUS}
    if scheme.bad_status is not None:
        expected["bad"] = scheme.bad_status
    return [
        Answer(server.kind.name, scheme.name, which, status, status_of(server.url(scheme.path), credentials[which]))
        for which, status in expected.items()
    ]


def status_of(url: str, headers: dict[str, str]) -> int | str:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=TIMEOUT_SECONDS) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, OSError) as error:
        return f"no answer ({error})"
