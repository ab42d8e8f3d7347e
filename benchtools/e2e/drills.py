"""The fault drills: what a served API answers under load while a credential is revoked, Redis goes away and
comes back, or PostgreSQL restarts.

Each drill runs against a started server whose workers record every response they give
(benchsite.response_log), with a Redis of the run's own (the Redis drill stops it) and, for
the PostgreSQL drill, a cluster of the run's own. Users are made and changed by another
process (benchtools.e2e.user_admin), as a team's admin or a password-reset view would.

- revocation: wrk sends a fresh user's credential; `at` seconds in, the other process changes
  the user's password (or deactivates the user). A request the servers received after save()
  had returned must be refused: every 200 to one is counted as accepted after the commit.
- redis / postgresql: wrk sends the good credential, and on one connection more a revoked one
  (a user whose password was changed before the load, after the old one was cached); `at`
  seconds in the service is stopped, and `down` seconds later started again on its port.
  Counted: 5xx responses, 200s to the revoked credential, requests/s before, while down and
  after, and how long after the service answered again throughput was back.
"""

from __future__ import annotations

import contextlib
import itertools
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from benchlib.auth_schemes import SERVED_SCHEMES, ServedScheme
from benchlib.credentials import PASSWORD, basic_header
from benchlib.formats.e2e_run import OutageDrill, RevocationDrill
from benchtools import processes
from benchtools.e2e import responses
from benchtools.e2e.check import status_of
from benchtools.e2e.load import Load, started
from benchtools.e2e.servers import Server
from benchtools.e2e.sweep import Driver
from benchtools.e2e.user_admin import UserAdmin
from benchtools.errors import ToolError

REVOCATION, REDIS, POSTGRESQL = "revocation", "redis", "postgresql"
CHANGES = ("password", "deactivation")
# The schemes a drill user's password authenticates: a revoked credential's requests go to one of them.
BASIC_SCHEMES = ("basic", "cached-basic", "revalidating-basic")
REVOKED_SCHEME = "cached-basic"  # where a revoked credential goes when the good one is not a password
STREAM_HEADER = "X-Drill-Stream"  # benchsite.response_log reads it
REFUSED = 401


@dataclass(frozen=True)
class Timing:
    """How long wrk sends requests, when the change or the stop happens, and how long a service stays down."""

    seconds: int  # whole seconds: wrk's unit
    at: float
    down: float
    concurrency: int


class Service(Protocol):
    """A service a drill stops, then starts on the same port (cache_server.RedisServer, postgres_cluster.Cluster)."""

    def stop(self) -> None: ...

    def start(self) -> None: ...


@dataclass
class Drilling:
    """What every drill of a run shares: wrk's settings, the user admin, the servers' response log, a counter."""

    driver: Driver
    admin: UserAdmin
    log: Path
    counter: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def new_user(self) -> tuple[str, dict[str, str]]:
        """A fresh user, made by the user admin; its name and its Basic credential."""
        name = f"drill-user-{next(self.counter)}"
        self.admin.create(name)
        return name, {"Authorization": basic_header(name, PASSWORD)}

    def stream(self, what: str) -> str:
        """A name for one client's requests in the response log, unique in the run."""
        return f"{what}-{next(self.counter)}"


def revocation(
    server: Server, scheme: ServedScheme, change: str, timing: Timing, drilling: Drilling, cache: str
) -> RevocationDrill:
    """One revocation under load: wrk sends a fresh user's credential; `timing.at` seconds in, it is revoked."""
    name, credential = drilling.new_user()
    expect(server, scheme, credential, 200, "the drill user's first request")  # cached from here on
    stream = drilling.stream("revoked")
    since = responses.size(drilling.log)
    started = time.monotonic_ns()
    with load(drilling.driver, server, scheme, credential, stream, timing.concurrency, timing.seconds) as wrk:
        wait_until(started, timing.at)
        saved = drilling.admin.change_password(name) if change == "password" else drilling.admin.deactivate(name)
    seconds = (time.monotonic_ns() - started) / 1e9
    found = responses.revocation(
        responses.of_stream(responses.read(drilling.log, since), stream), saved.started_ns, saved.committed_ns
    )
    return RevocationDrill(
        server=server.kind.name,
        connections=server.connections,
        scheme=scheme.name,
        change=change,
        concurrency=timing.concurrency,
        seconds=seconds,
        changed_at_seconds=(saved.started_ns - started) / 1e9,
        save_ms=(saved.committed_ns - saved.started_ns) / 1e6,
        accepted_before=found.accepted_before,
        in_flight=found.in_flight,
        accepted_after_commit=found.accepted_after_commit,
        refused=found.refused,
        other=found.other,
        unanswered=wrk.result.socket_errors,
        first_refusal_ms=found.first_refusal_ms,
        cache=cache,
    )


def outage(
    server: Server,
    scheme: ServedScheme,
    good: dict[str, str],
    service_name: str,
    service: Service,
    timing: Timing,
    drilling: Drilling,
) -> OutageDrill:
    """One outage under load: the good credential and a revoked one sent; `timing.at` seconds in the service is
    stopped, and started again `timing.down` seconds later."""
    revoked_scheme = scheme if scheme.name in BASIC_SCHEMES else SERVED_SCHEMES[REVOKED_SCHEME]
    name, revoked = drilling.new_user()
    expect(server, revoked_scheme, revoked, 200, "the drill user's first request")
    drilling.admin.change_password(name)
    expect(server, revoked_scheme, revoked, REFUSED, "the drill user's old password, changed")
    expect(server, scheme, good, 200, "the good credential")
    good_stream, revoked_stream = drilling.stream("good"), drilling.stream("revoked")
    driver, seconds = drilling.driver, timing.seconds
    since = responses.size(drilling.log)
    started = time.monotonic_ns()
    with (
        load(driver, server, scheme, good, good_stream, timing.concurrency, seconds) as good_load,
        load(driver, server, revoked_scheme, revoked, revoked_stream, 1, seconds) as revoked_load,
    ):
        wait_until(started, timing.at)
        stopping = time.monotonic_ns()
        service.stop()
        time.sleep(timing.down)
        restarting = time.monotonic_ns()
        service.start()
        back = time.monotonic_ns()
    ended = time.monotonic_ns()
    logged = responses.read(drilling.log, since)
    good_responses, revoked_responses = (
        responses.of_stream(logged, good_stream),
        responses.of_stream(logged, revoked_stream),
    )
    before = responses.rate(good_responses, started, stopping)
    statuses: dict[str, int] = {}
    for response in good_responses:
        statuses[str(response.status)] = statuses.get(str(response.status), 0) + 1
    return OutageDrill(
        server=server.kind.name,
        connections=server.connections,
        scheme=scheme.name,
        revoked_scheme=revoked_scheme.name,
        service=service_name,
        concurrency=timing.concurrency,
        seconds=(ended - started) / 1e9,
        stopped_at_seconds=(stopping - started) / 1e9,
        down_seconds=(back - stopping) / 1e9,
        requests_per_second_before=before,
        requests_per_second_down=responses.rate(good_responses, stopping, restarting),
        requests_per_second_after=responses.rate(good_responses, back, ended),
        statuses=dict(sorted(statuses.items())),
        server_errors=sum(r.status >= 500 for r in good_responses + revoked_responses),
        wrongly_accepted=sum(r.status == responses.ACCEPTED for r in revoked_responses),
        unanswered=good_load.result.socket_errors + revoked_load.result.socket_errors,
        recovery_seconds=responses.recovery_seconds(good_responses, back, ended, before),
    )


@dataclass
class Background:
    """wrk running in the background for a drill; what it saw once it has finished."""

    process: subprocess.Popen
    finished: Load | None = None

    @property
    def result(self) -> Load:
        if self.finished is None:
            raise RuntimeError("wrk has not finished")
        return self.finished


@contextlib.contextmanager
def load(
    driver: Driver,
    server: Server,
    scheme: ServedScheme,
    headers: dict[str, str],
    stream: str,
    connections: int,
    seconds: int,
) -> Iterator[Background]:
    """wrk sending `headers` (and the stream's name) for `seconds`, started in the background for the block; waited
    for at its end, or stopped at once if the block raises."""
    process = started(
        lambda: driver.start(server, scheme.path, {**headers, STREAM_HEADER: stream}, connections, seconds)
    )
    background = Background(process)
    try:
        yield background
    except BaseException:
        processes.stop_group(process)
        raise
    background.finished = driver.finish(process)


def expect(server: Server, scheme: ServedScheme, headers: dict[str, str], status: int, what: str) -> None:
    got = status_of(server.url(scheme.path), headers)
    if got != status:
        raise ToolError(f"{server.kind.name} {scheme.name}: {what} got {got}, expected {status}")


def wait_until(started_ns: int, seconds: float) -> None:
    time.sleep(max(0.0, started_ns / 1e9 + seconds - time.monotonic_ns() / 1e9))
