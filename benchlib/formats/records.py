"""What a benchmark keeps in a pytest-benchmark run for the tools to read back: its extra_info, and machine_info.

A benchmark stores a record with `extra_info.update(recorded(scheme=SchemeRow(...)))`; the
tools read the whole extra_info back as an ExtraInfo (benchlib.formats.benchmark_run), a
live benchmark's with `extra_info_of`. Each record has a key of its own.
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec

from benchlib.formats.json_files import as_builtins, convert

NonEmpty = Annotated[str, msgspec.Meta(min_length=1)]
Whole = Annotated[int, msgspec.Meta(ge=0)]
Positive = Annotated[int, msgspec.Meta(ge=1)]
HttpStatus = Annotated[int, msgspec.Meta(ge=100, le=599)]

SCHEMES_GROUP = "auth schemes"
BAD_CREDENTIALS_GROUP = "auth schemes: bad credentials"
BASELINE_SCHEME = "no authentication"
# The project's own DEFAULT_AUTHENTICATION_CLASSES through its MIDDLEWARE (benchmarks/test_project_auth.py);
# their rows are named by the class's dotted path.
PROJECT_GROUP = "project authentication"
PROJECT_BAD_CREDENTIALS_GROUP = "project authentication: bad credentials"
# A scheme's request at sizes of what it reads (benchmarks/test_growth.py).
GROWTH_GROUP = "auth schemes: growth"


class Record(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A record a benchmark keeps under a key of extra_info."""


class SchemeRow(Record, frozen=True):
    """A row of an authentication table: what one request hashes, its queries, and a refusal's status."""

    name: NonEmpty
    hashes: NonEmpty  # what one request hashes or checks, in words
    queries_per_request: Whole
    refused_with: HttpStatus | None = None  # the status a bad credential got (bad-credential benchmarks only)


class GrowthPoint(Record, frozen=True):
    """A scheme's request with a size of what it reads in the database: the size and the queries it made."""

    scheme: NonEmpty  # the row of the scheme table, or a series of its own (knox deleting expired tokens)
    data: NonEmpty  # what the size counts: "users", "tokens per user", ...
    size: Positive
    queries_per_request: Whole


class SweepPoint(Record, frozen=True):
    """One parameter set of a hasher's work-factor sweep (benchmarks/test_hasher_sweeps.py)."""

    hasher: NonEmpty  # the algorithm name
    hasher_class: NonEmpty  # its dotted path, as in PASSWORD_HASHERS
    family: NonEmpty  # the tunable family: pbkdf2, bcrypt, argon2, scrypt
    parameters: Annotated[dict[str, Positive], msgspec.Meta(min_length=1)]


class ThreadsPoint(Record, frozen=True):
    """Logins verified by a number of threads at once (benchmarks/test_hasher_concurrency.py)."""

    hasher: NonEmpty
    hasher_class: NonEmpty
    threads: Positive
    logins_per_round: Positive


class InstructionCounts(Record, frozen=True):
    """A benchmark's instructions in instruction mode: every counted call's, and their median (one of them)."""

    median: Positive
    calls: Annotated[list[Positive], msgspec.Meta(min_length=1)]

    def __post_init__(self) -> None:
        if not min(self.calls) <= self.median <= max(self.calls):
            raise ValueError("the median is not within its calls' counts")


class WhereProfile(Record, frozen=True):
    """Where one call's work went, per Python function (benchlib.attribution): the bytecode instructions it
    executed itself, and its calls; and the calls of each C function called from Python."""

    instructions: dict[str, Whole]
    calls: dict[str, Whole]
    c_calls: dict[str, Whole]

    @property
    def total(self) -> int:
        return sum(self.instructions.values())


HasherParameters = dict[str, int | str]  # a hasher's work-factor parameters, as Django decodes them


class ExtraInfo(msgspec.Struct, frozen=True):
    """A benchmark's extra_info: the records the tools read, and what it says of its hasher."""

    scheme: SchemeRow | None = None
    growth: GrowthPoint | None = None
    sweep: SweepPoint | None = None
    threads: ThreadsPoint | None = None
    instructions: InstructionCounts | None = None
    where: WhereProfile | None = None  # made with pytest --attribution
    hasher: str | None = None
    old_hasher: str | None = None  # hasher-migration benchmarks: the hasher a login upgrades from
    hasher_parameters: HasherParameters | None = None


def recorded(**records: Record) -> dict[str, Any]:
    """Records as the JSON a benchmark puts into its extra_info: `extra_info.update(recorded(scheme=...))`."""
    return {key: as_builtins(record) for key, record in records.items()}


def extra_info_of(extra_info: dict[str, Any]) -> ExtraInfo:
    """A live benchmark's extra_info read as a saved one is; raises FormatError naming a malformed record."""
    return convert(extra_info, ExtraInfo)


class CommitInfo(msgspec.Struct, frozen=True):
    """A commit measured, as pytest-benchmark records one: its id, and whether the work tree had changes."""

    id: str | None = None  # None: not recorded
    dirty: bool = False

    @property
    def short(self) -> str:
        """Twelve hex digits, and `+dirty` if the work tree had changes."""
        return (self.id or "unknown")[:12] + ("+dirty" if self.dirty else "")


class ProjectRecord(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """machine_info.project: the settings module a run measured, the commit of the project holding it,
    and its authentication classes left out, with why."""

    settings: NonEmpty
    authentication_not_measured: dict[NonEmpty, NonEmpty] = {}
    commit_info: CommitInfo | None = None  # None: the project is not in a git checkout


class ConnectionSettings(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """How Django connects to a database: DATABASES' CONN_MAX_AGE, CONN_HEALTH_CHECKS and OPTIONS' pool."""

    conn_max_age: Annotated[int, msgspec.Meta(ge=0)] | None  # seconds a connection is kept; None: never closed
    health_checks: bool
    pool: bool


class DatabaseRecord(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The database a run measured, and what its timings depend on."""

    vendor: NonEmpty  # Django's connection.vendor: sqlite, postgresql, ...
    version: NonEmpty  # the server's version; SQLite's library version
    where: NonEmpty  # how it is reached: in memory, a file, TCP to a host, a Unix socket
    settings: dict[str, str] = {}  # the server's settings the timings depend on (fsync, synchronous_commit, ...)
    connections: ConnectionSettings | None = None  # None: a setting per row (e2e runs)

    @property
    def label(self) -> str:
        """`postgresql 15.18`, `sqlite 3.40.1`: the vendor and the version's first word."""
        return f"{self.vendor} {self.version.split()[0]}"


class Counting(msgspec.Struct, frozen=True):
    """machine_info.instructions: how a run's instructions were counted (benchlib.instructions)."""

    valgrind: str
    valgrind_options: list[str]
    python_hash_seed: str
    random_bytes_seed: int | None  # None: os.urandom was not replaced
    warmup_calls: Whole
    measured_calls: Positive
