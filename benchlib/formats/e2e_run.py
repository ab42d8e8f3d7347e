"""A run of `python -m benchtools e2e`, as saved and read back: rows of wrk's figures per server, scheme and load,
and the fault drills' figures."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec

from benchlib.formats.json_files import decode, encode
from benchlib.formats.records import CommitInfo, DatabaseRecord, NonEmpty, Positive, Whole

FORMAT = "drf-auth-bench e2e run"
# 1: the commit as "sha" or "sha+dirty"; 2: commit_info as pytest-benchmark writes it.
FORMAT_VERSION = 2

# How a row's workers handled their database connections (benchsite.database_settings.CONNECTIONS);
# runs saved before it was a dimension opened one per request.
PER_REQUEST = "per-request"

Rate = Annotated[float, msgspec.Meta(ge=0)]
Milliseconds = Annotated[float, msgspec.Meta(ge=0)]
Share = Annotated[float, msgspec.Meta(ge=0)]
StatusCode = Annotated[str, msgspec.Meta(pattern=r"^[0-9]{3}$")]
LoadAverage = tuple[Rate, Rate, Rate]  # the 1, 5 and 15 minute load averages


def _latencies_in_order(low: float | None, high: float | None, names: str) -> None:
    if (low is None) != (high is None) or (low is not None and high is not None and low > high):
        raise ValueError(f"{names} does not hold")


class Row(msgspec.Struct, frozen=True):
    """One point: a server, a scheme, a number of connections, and what wrk saw."""

    server: NonEmpty
    scheme: NonEmpty
    concurrency: Positive
    requests_per_second: Rate  # responses with status 200 only, per second
    p50_ms: Milliseconds | None  # of every answered request; None: none was answered
    p99_ms: Milliseconds | None
    errors: Whole  # requests not answered 200: other statuses, refused, reset or timed-out connections
    statuses: dict[StatusCode, Whole]  # status code -> responses
    load_generator_cores: Share  # CPU wrk used, in cores
    connections: NonEmpty = PER_REQUEST

    def __post_init__(self) -> None:
        _latencies_in_order(self.p50_ms, self.p99_ms, "p50_ms <= p99_ms")


class Interference(msgspec.Struct, frozen=True):
    """Requests without authentication, alone and while other requests (logins, or idle waits) run beside them."""

    server: NonEmpty
    beside: NonEmpty  # what ran beside: a login scheme's name, or "wait" (requests that only sleep as long as a login)
    concurrency: Positive  # connections sending requests without authentication
    beside_concurrency: Positive  # connections sending the requests beside them
    alone_requests_per_second: Rate
    alone_p50_ms: Milliseconds | None
    alone_p99_ms: Milliseconds | None
    requests_per_second: Rate
    p50_ms: Milliseconds | None
    p99_ms: Milliseconds | None
    beside_per_second: Rate  # logins (or waits) answered 200 per second meanwhile
    beside_p50_ms: Milliseconds | None
    server_cores: Share  # CPU the server's processes used meanwhile, in cores
    busiest_process_cores: Share  # the busiest single process: above 1 only with threads outside the GIL
    main_threads_share: Share  # the share of the server's CPU spent in main threads (uvicorn: its event loops)
    machine_busy: Share  # fraction of the machine's cores busy, every process counted
    cause: NonEmpty
    connections: NonEmpty = PER_REQUEST

    def __post_init__(self) -> None:
        _latencies_in_order(self.alone_p50_ms, self.alone_p99_ms, "alone_p50_ms <= alone_p99_ms")
        _latencies_in_order(self.p50_ms, self.p99_ms, "p50_ms <= p99_ms")


class RevocationDrill(msgspec.Struct, frozen=True, tag="revocation"):
    """A user's credential revoked (`change`: its password changed, or the user deactivated) by another process
    while wrk sends requests with it; what the servers answered, from their record of every response."""

    server: NonEmpty
    connections: NonEmpty
    scheme: NonEmpty
    change: NonEmpty  # "password" or "deactivation"
    concurrency: Positive
    seconds: Annotated[float, msgspec.Meta(gt=0)]  # how long wrk sent requests
    changed_at_seconds: Annotated[float, msgspec.Meta(ge=0)]  # when save() was called, from the load's start
    save_ms: Milliseconds  # from save() called to save() returned (the change committed)
    accepted_before: Whole  # 200s to requests received before save() returned
    in_flight: Whole  # 200s to requests received before the commit was known and answered after
    accepted_after_commit: Whole  # 200s to requests received after save() returned: accepted wrongly
    refused: Whole  # 401s and 403s
    other: dict[StatusCode, Whole]  # any other status: status code -> responses
    unanswered: Whole  # requests wrk had no answer to: connections refused or reset, timeouts
    first_refusal_ms: Milliseconds | None  # from save() called to the first refusal's response; None: none
    cache: NonEmpty = "redis"  # cached_auth's cache: the shared Redis, or "locmem", each process's own

    @property
    def revoked_accepted(self) -> int:
        """Requests accepted with the credential after its revocation committed: 0, or the drill failed."""
        return self.accepted_after_commit


class OutageDrill(msgspec.Struct, frozen=True, tag="outage"):
    """A service (Redis, or PostgreSQL) stopped while wrk sends requests, and started again; what the servers
    answered the good credential, and a revoked one (a password changed before the load), meanwhile."""

    server: NonEmpty
    connections: NonEmpty
    scheme: NonEmpty  # of the good credential's requests
    revoked_scheme: NonEmpty  # of the revoked credential's requests
    service: NonEmpty  # "redis" or "postgresql"
    concurrency: Positive  # connections sending the good credential (one more sends the revoked one)
    seconds: Annotated[float, msgspec.Meta(gt=0)]
    stopped_at_seconds: Annotated[float, msgspec.Meta(ge=0)]  # from the load's start
    down_seconds: Annotated[float, msgspec.Meta(ge=0)]  # from stopped to answering again
    requests_per_second_before: Rate  # 200s to the good credential, before the stop
    requests_per_second_down: Rate  # while the service was down
    requests_per_second_after: Rate  # from its answering again to the end
    statuses: dict[StatusCode, Whole]  # every response to the good credential
    server_errors: Whole  # 5xx responses to either credential
    wrongly_accepted: Whole  # 200s to the revoked credential
    unanswered: Whole  # requests of either credential wrk had no answer to: connections refused or reset, timeouts
    recovery_seconds: Annotated[float, msgspec.Meta(ge=0)] | None  # from answering again to throughput back;
    # None: not back by the end

    @property
    def revoked_accepted(self) -> int:
        """Requests accepted with the revoked credential: 0, or the drill failed."""
        return self.wrongly_accepted


Drill = RevocationDrill | OutageDrill


class Machine(msgspec.Struct, frozen=True):
    node: NonEmpty
    cores: Positive
    cpu: NonEmpty
    python: NonEmpty
    load_average_before: LoadAverage
    load_average_after: LoadAverage
    versions: dict[str, str]


class Settings(msgspec.Struct, frozen=True):
    duration_seconds: Positive
    timeout_seconds: Annotated[float, msgspec.Meta(gt=0)]
    keep_alive: bool
    hasher: NonEmpty
    workers: Positive
    threads: Positive
    database: DatabaseRecord | None = None  # None: a SQLite file (runs saved before the database was recorded)


class E2ERun(msgspec.Struct, frozen=True, kw_only=True):
    format: str = FORMAT
    version: int = FORMAT_VERSION
    date: NonEmpty
    commit_info: CommitInfo
    command: str
    machine: Machine
    settings: Settings
    rows: tuple[Row, ...]
    interference: tuple[Interference, ...]
    drills: tuple[Drill, ...] = ()


def encode_run(run: E2ERun) -> bytes:
    return encode(run)


def decode_run(data: bytes) -> E2ERun:
    """A saved e2e run's bytes as an E2ERun; raises FormatError naming the first field that is wrong."""
    return decode(data, E2ERun, upgrade=upgraded)


def upgraded(content: Any) -> Any:
    """An e2e run's JSON in the current layout: version 1's `commit` ("sha" or "sha+dirty") becomes commit_info."""
    if not isinstance(content, dict) or content.get("format") != FORMAT:
        raise msgspec.ValidationError(f"`format` is not {FORMAT!r}")
    version = content.get("version")
    if version == 1:
        commit = content.pop("commit", None)
        if isinstance(commit, str):
            content["commit_info"] = {"id": commit.removesuffix("+dirty"), "dirty": commit.endswith("+dirty")}
        content["version"] = FORMAT_VERSION
    elif version != FORMAT_VERSION:
        raise msgspec.ValidationError(f"version {version!r} is not one this version reads (1 or {FORMAT_VERSION})")
    return content
