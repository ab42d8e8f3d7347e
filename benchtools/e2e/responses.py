"""The servers' record of every response (benchsite.response_log), read back, and the drills' figures from it.

Each line: when the handler received the request and when it had the response (CLOCK_MONOTONIC
nanoseconds, the clock of every process on the machine), the status, and the stream (the
X-Drill-Stream header: which of the drill's clients sent it). The servers' own times are what
makes "accepted after the change committed" defensible: a request the handler received after
save() had returned in another process was authenticated after the commit, whatever its
client saw; one received before and answered after was in flight, and may go either way.
"""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from benchtools.errors import ToolError

ACCEPTED = 200
REFUSED = (401, 403)
# Throughput is back once a window this long after the service answers again holds at least this share of the
# rate before the outage.
RECOVERY_WINDOW_NS = 500_000_000
RECOVERED_SHARE = 0.5
RECOVERY_STEP_NS = 10_000_000


@dataclass(frozen=True)
class Response:
    received_ns: int
    answered_ns: int
    status: int
    stream: str


def size(path: Path) -> int:
    """The log's length now: where the lines written from now on start."""
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def read(path: Path, since: int = 0) -> list[Response]:
    """Every complete line of the log from byte `since` on (a server killed mid-write may leave the last one cut
    short)."""
    try:
        with path.open("rb") as log:
            log.seek(since)
            text = log.read().decode(errors="replace")
    except FileNotFoundError:
        return []
    except OSError as error:
        raise ToolError(f"{path}: cannot read the servers' response log ({error.strerror or error})") from None
    responses = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) == 4 and all(field.isdigit() for field in fields[:3]):
            responses.append(Response(int(fields[0]), int(fields[1]), int(fields[2]), fields[3]))
    return responses


def of_stream(responses: list[Response], stream: str) -> list[Response]:
    return [response for response in responses if response.stream == stream]


@dataclass(frozen=True)
class Revocation:
    """What the servers answered a revoked credential's requests, set against the change."""

    accepted_before: int
    in_flight: int
    accepted_after_commit: int
    refused: int
    other: dict[str, int]
    first_refusal_ms: float | None


def revocation(responses: list[Response], started_ns: int, committed_ns: int) -> Revocation:
    """Accepted before the commit, in flight across it, accepted after it (wrongly), refused; and how soon after
    save() was called the first refusal was answered."""
    accepted = [r for r in responses if r.status == ACCEPTED]
    refused = [r for r in responses if r.status in REFUSED]
    other = Counter(str(r.status) for r in responses if r.status != ACCEPTED and r.status not in REFUSED)
    first = min((r.answered_ns for r in refused if r.answered_ns >= started_ns), default=None)
    return Revocation(
        accepted_before=sum(r.answered_ns <= committed_ns for r in accepted),
        in_flight=sum(r.received_ns <= committed_ns < r.answered_ns for r in accepted),
        accepted_after_commit=sum(r.received_ns > committed_ns for r in accepted),
        refused=len(refused),
        other=dict(sorted(other.items())),
        first_refusal_ms=None if first is None else (first - started_ns) / 1e6,
    )


def rate(responses: list[Response], start_ns: int, end_ns: int) -> float:
    """200s answered per second between two moments; 0 for an empty interval."""
    if end_ns <= start_ns:
        return 0.0
    answered = sum(start_ns <= r.answered_ns < end_ns for r in responses if r.status == ACCEPTED)
    return answered / ((end_ns - start_ns) / 1e9)


def recovery_seconds(responses: list[Response], back_ns: int, end_ns: int, rate_before: float) -> float | None:
    """From the service answering again to the start of the first window (RECOVERY_WINDOW_NS) whose 200s reach
    RECOVERED_SHARE of the rate before the outage; None if no window before the end does."""
    wanted = RECOVERED_SHARE * rate_before * RECOVERY_WINDOW_NS / 1e9
    answered = sorted(r.answered_ns for r in responses if r.status == ACCEPTED and r.answered_ns >= back_ns)
    start = back_ns
    while start + RECOVERY_WINDOW_NS <= end_ns:
        in_window = bisect.bisect_left(answered, start + RECOVERY_WINDOW_NS) - bisect.bisect_left(answered, start)
        if in_window > 0 and in_window >= wanted:
            return (start - back_ns) / 1e9
        start += RECOVERY_STEP_NS
    return None
