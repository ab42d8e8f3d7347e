"""What benchmarks record in a run (extra_info, machine_info) for the tools to read back: written and read only here.

Each `*_record()` is what a benchmark stores; each `read_*()` checks a saved run's copy
field by field and raises ValueError naming the first field that is wrong, since a saved
run is a file anyone can edit.
"""

from __future__ import annotations

from dataclasses import dataclass

SCHEMES_GROUP = "auth schemes"
BAD_CREDENTIALS_GROUP = "auth schemes: bad credentials"
BASELINE_SCHEME = "no authentication"
# The project's own DEFAULT_AUTHENTICATION_CLASSES through its MIDDLEWARE (benchmarks/test_project_auth.py);
# their records are scheme records named by the class's dotted path.
PROJECT_GROUP = "project authentication"
PROJECT_BAD_CREDENTIALS_GROUP = "project authentication: bad credentials"


@dataclass(frozen=True)
class SchemeRecord:
    scheme: str
    hashes: str  # what one request hashes or checks, in words
    queries: int  # database queries of one request
    status: int | None  # the status a bad credential got (bad-credential benchmarks only)


def scheme_record(scheme: str, hashes: str, queries: int, status: int | None = None) -> dict:
    record = {"scheme": scheme, "hashes": hashes, "queries_per_request": queries}
    return record if status is None else {**record, "status": status}


def read_scheme(extra_info: dict) -> SchemeRecord:
    status = extra_info.get("status")
    return SchemeRecord(
        scheme=_text(extra_info, "scheme"),
        hashes=_text(extra_info, "hashes"),
        queries=_whole(extra_info, "queries_per_request", 0),
        status=None if status is None else _whole(extra_info, "status", 100),
    )


@dataclass(frozen=True)
class ProjectRecord:
    """The settings module a run measured, and its authentication classes the suite could not measure, with why."""

    settings: str
    not_measured: dict[str, str]


def project_record(settings: str, not_measured: dict[str, str]) -> dict:
    return {"settings": settings, "authentication_not_measured": dict(not_measured)}


def read_project(project: dict | None) -> ProjectRecord | None:
    """A run's machine_info.project; None for a run saved without one."""
    if project is None:
        return None
    not_measured = project.get("authentication_not_measured")
    if not isinstance(not_measured, dict) or not all(
        isinstance(value, str) and value for value in (*not_measured, *not_measured.values())
    ):
        raise ValueError("machine_info.project.authentication_not_measured is not a mapping of classes to reasons")
    return ProjectRecord(_text(project, "settings", "machine_info.project"), dict(not_measured))


@dataclass(frozen=True)
class SweepRecord:
    hasher: str  # the algorithm name
    hasher_class: str  # its dotted path, as in PASSWORD_HASHERS
    family: str  # the tunable family: pbkdf2, bcrypt, argon2, scrypt
    parameters: dict[str, int]


def sweep_record(hasher: str, hasher_class: str, family: str, parameters: dict[str, int]) -> dict:
    return {"hasher": hasher, "hasher_class": hasher_class, "sweep": family, "sweep_parameters": parameters}


def read_sweep(extra_info: dict) -> SweepRecord | None:
    """The sweep point a benchmark recorded; None if it is not a sweep benchmark."""
    if "sweep" not in extra_info:
        return None
    parameters = extra_info.get("sweep_parameters")
    if not isinstance(parameters, dict) or not parameters:
        raise ValueError("extra_info.sweep_parameters is not a mapping of parameters")
    for name in parameters:
        _whole(parameters, name, 1, label=f"extra_info.sweep_parameters[{name!r}]")
    return SweepRecord(
        _text(extra_info, "hasher"), _text(extra_info, "hasher_class"), _text(extra_info, "sweep"), parameters
    )


@dataclass(frozen=True)
class ThreadsRecord:
    hasher: str
    threads: int
    logins_per_round: int


def threads_record(hasher: str, hasher_class: str, threads: int, logins_per_round: int) -> dict:
    return {"hasher": hasher, "hasher_class": hasher_class, "threads": threads, "logins_per_round": logins_per_round}


def read_threads(extra_info: dict) -> ThreadsRecord | None:
    """The thread count and logins per round a concurrency benchmark recorded; None if it is not one."""
    if "threads" not in extra_info:
        return None
    return ThreadsRecord(
        _text(extra_info, "hasher"), _whole(extra_info, "threads", 1), _whole(extra_info, "logins_per_round", 1)
    )


def _text(mapping: dict, key: str, where: str = "extra_info") -> str:
    value = mapping.get(key)
    if not isinstance(value, str) or not value:
        raise ValueError(f"{where}.{key} is not a non-empty string")
    return value


def _whole(mapping: dict, key: str, lowest: int, *, label: str = "") -> int:
    value = mapping.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < lowest:
        raise ValueError(f"{label or 'extra_info.' + key} is not a whole number >= {lowest}")
    return value
