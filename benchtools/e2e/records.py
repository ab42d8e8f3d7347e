"""What an e2e run measured, as saved and read back (benchtools.runs.load_e2e_run is the one reader)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

FORMAT = "drf-auth-bench e2e run"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class Row:
    """One point: a server, a scheme, a number of connections, and what wrk saw for `seconds`."""

    server: str
    scheme: str
    concurrency: int
    requests_per_second: float  # responses with status 200 only, per second
    p50_ms: float | None  # of every answered request; None: none was answered
    p99_ms: float | None
    errors: int  # requests not answered 200: other statuses, refused, reset or timed-out connections
    statuses: dict[str, int]  # status code -> responses
    load_generator_cores: float  # CPU wrk used, in cores


@dataclass(frozen=True)
class Interference:
    """Requests without authentication, alone and while other requests (logins, or idle waits) run beside them."""

    server: str
    beside: str  # what ran beside: a login scheme's name, or "wait" (requests that only sleep as long as a login)
    concurrency: int  # connections sending requests without authentication
    beside_concurrency: int  # connections sending the requests beside them
    alone_requests_per_second: float
    alone_p50_ms: float | None
    alone_p99_ms: float | None
    requests_per_second: float
    p50_ms: float | None
    p99_ms: float | None
    beside_per_second: float  # logins (or waits) answered 200 per second meanwhile
    beside_p50_ms: float | None
    server_cores: float  # CPU the server's processes used meanwhile, in cores
    busiest_process_cores: float  # the busiest single process: above 1 only with threads outside the GIL
    main_threads_share: float  # the share of the server's CPU spent in main threads (uvicorn: its event loops)
    machine_busy: float  # fraction of the machine's cores busy, every process counted
    cause: str


@dataclass(frozen=True)
class Machine:
    node: str
    cores: int
    cpu: str
    python: str
    load_average_before: tuple[float, float, float]
    load_average_after: tuple[float, float, float]
    versions: dict[str, str]


@dataclass(frozen=True)
class Settings:
    duration_seconds: int
    timeout_seconds: float
    keep_alive: bool
    hasher: str
    workers: int
    threads: int


@dataclass(frozen=True)
class E2ERun:
    date: str
    commit: str
    command: str
    machine: Machine
    settings: Settings
    rows: tuple[Row, ...]
    interference: tuple[Interference, ...]


def as_json(run: E2ERun) -> dict:
    return {"format": FORMAT, "version": FORMAT_VERSION, **dataclasses.asdict(run)}
