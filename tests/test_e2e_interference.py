"""benchtools.e2e.interference.cause: the cause named follows from what was measured."""

from __future__ import annotations

import pytest

from benchtools.e2e.cpu import Usage
from benchtools.e2e.interference import Measured, cause
from benchtools.e2e.load import Load

ALONE_P50 = 2.0


def measured(p50_ms: float, *, server_cores=1.0, busiest_process=0.5, main_thread=0.2, machine=0.5) -> Measured:
    unauthenticated = Load(2.0, {200: 100}, 0, p50_ms, p50_ms * 2)
    logins = Load(2.0, {200: 4}, 0, 400.0, 500.0)
    return Measured(unauthenticated, logins, Usage(server_cores, busiest_process, main_thread, machine))


QUIET_WAITS = measured(2.5)


@pytest.mark.parametrize(
    "server, found, waits, named",
    [
        ("gunicorn-sync", measured(2.4), QUIET_WAITS, "none"),
        ("uvicorn", measured(40.0, main_thread=0.9), QUIET_WAITS, "the event loop"),
        ("gunicorn-sync", measured(300.0, machine=1.0), measured(280.0), "the worker processes"),
        ("gunicorn-gthread", measured(300.0, machine=1.0), measured(200.0), "the threads"),
        ("gunicorn-gthread", measured(30.0, machine=0.98), QUIET_WAITS, "CPU"),
        ("uvicorn", measured(30.0, machine=0.98, main_thread=0.2), QUIET_WAITS, "CPU"),
        ("gunicorn-gthread", measured(30.0, machine=0.55, busiest_process=1.0), QUIET_WAITS, "the GIL"),
        ("gunicorn-sync", measured(30.0, machine=0.55, busiest_process=1.0), QUIET_WAITS, "not named"),
    ],
)
def test_the_cause_named_follows_from_the_measurements(server, found, waits, named):
    assert cause(server, ALONE_P50, found, waits).startswith(named)


def test_no_answer_alone_names_no_cause():
    assert cause("uvicorn", None, measured(3.0), QUIET_WAITS).startswith("not named")
