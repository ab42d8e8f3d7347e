"""A pytest-benchmark run file, with the fields the suite adds, as the tools read it.

pytest-benchmark writes the file (`--benchmark-autosave`, `--benchmark-save`); the suite adds
its records to each benchmark's extra_info and to machine_info (benchlib.formats.records), and
the layout of those in `machine_info.drf_auth_bench_format`. Only what the tools read is
declared; anything else in the file is left alone.
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec

from benchlib.formats.json_files import decode
from benchlib.formats.records import (
    CommitInfo,
    Counting,
    DatabaseRecord,
    ExtraInfo,
    HasherParameters,
    InstructionCounts,
    NonEmpty,
    ProjectRecord,
)

# 1: records flat in extra_info (runs saved before the layout was versioned); 2: a key per record.
FORMAT_VERSION = 2
FORMAT_VERSION_KEY = "drf_auth_bench_format"

Seconds = Annotated[float, msgspec.Meta(ge=0)]
PositiveSeconds = Annotated[float, msgspec.Meta(gt=0)]


class Stats(msgspec.Struct, frozen=True):
    """One benchmark's timings in seconds; `data` holds every round's time when saved with --benchmark-save-data."""

    median: PositiveSeconds
    q1: Seconds
    q3: Seconds
    iqr: Seconds
    minimum: Seconds = msgspec.field(name="min")
    maximum: Seconds = msgspec.field(name="max")
    rounds: Annotated[int, msgspec.Meta(ge=1)]
    data: tuple[PositiveSeconds, ...] | None = None

    def __post_init__(self) -> None:
        if not self.minimum <= self.q1 <= self.median <= self.q3 <= self.maximum:
            raise ValueError("min <= q1 <= median <= q3 <= max does not hold")


class Benchmark(msgspec.Struct, frozen=True):
    fullname: NonEmpty  # `benchmarks/test_views.py::test_django_view`
    stats: Stats
    group: str | None = None
    extra_info: ExtraInfo = ExtraInfo()

    @property
    def instructions(self) -> InstructionCounts | None:
        """Counted in instruction mode, else None."""
        return self.extra_info.instructions


class Cpu(msgspec.Struct, frozen=True):
    brand_raw: str = "?"


class MachineInfo(msgspec.Struct, frozen=True):
    node: str = "?"
    python_version: str = "?"
    cpu: Cpu = Cpu()
    versions: dict[str, str] = {}  # what the timings depend on most: Django, DRF, Python, OpenSSL, the hashers'
    packages: dict[str, str] = {}  # every distribution installed, by normalized name
    hashers: dict[str, HasherParameters] = {}  # each measured hasher's parameters, by algorithm name
    instructions: Counting | None = None  # how the counts were made; None: a timed run
    profiled: bool = False  # made with pytest --attribution: profiles, and no timing to compare
    project: ProjectRecord | None = None
    database: DatabaseRecord | None = None  # None: no benchmark used the database, or saved before it was recorded
    drf_auth_bench_format: int = FORMAT_VERSION


class BenchmarkRun(msgspec.Struct, frozen=True):
    machine_info: MachineInfo
    commit_info: CommitInfo
    benchmarks: list[Benchmark]
    datetime: str = ""

    def __post_init__(self) -> None:
        if self.machine_info.instructions is not None:
            uncounted = [bench.fullname for bench in self.benchmarks if bench.instructions is None]
            if uncounted:
                raise ValueError(f"an instruction-count run, but {uncounted[0]} has no extra_info.instructions")


def decode_run(data: bytes) -> BenchmarkRun:
    """A run file's bytes as a BenchmarkRun; raises FormatError naming the first field that is wrong."""
    return decode(data, BenchmarkRun, upgrade=upgraded)


def upgraded(content: Any) -> Any:
    """A run's JSON in the current layout: a version 1 run's flat records are moved under their keys."""
    machine = content.get("machine_info") if isinstance(content, dict) else None
    version = machine.get(FORMAT_VERSION_KEY, 1) if isinstance(machine, dict) else FORMAT_VERSION
    if version == FORMAT_VERSION:
        return content
    if version != 1:
        raise msgspec.ValidationError(f"format {version!r} is not one this version reads (1 or {FORMAT_VERSION})")
    for bench in content.get("benchmarks") or ():
        if isinstance(bench, dict) and isinstance(bench.get("extra_info"), dict):
            bench["extra_info"] = _records_of_version_1(bench["extra_info"])
    return content


_VERSION_1_SCHEME = {"scheme": "name", "hashes": "hashes", "queries_per_request": "queries_per_request"}
_VERSION_1_SWEEP = {
    "hasher": "hasher",
    "hasher_class": "hasher_class",
    "sweep": "family",
    "sweep_parameters": "parameters",
}
_VERSION_1_THREADS = {"hasher": "hasher", "hasher_class": "hasher_class", "threads": "threads"}


def _records_of_version_1(flat: dict[str, Any]) -> dict[str, Any]:
    extra = dict(flat)
    if "scheme" in flat:
        extra["scheme"] = {new: extra.pop(old, None) for old, new in _VERSION_1_SCHEME.items()}
        if "status" in flat:
            extra["scheme"]["refused_with"] = extra.pop("status")
    elif "sweep" in flat:
        extra["sweep"] = {new: extra.pop(old, None) for old, new in _VERSION_1_SWEEP.items()}
    elif "threads" in flat:
        extra["threads"] = {new: extra.pop(old, None) for old, new in _VERSION_1_THREADS.items()}
        extra["threads"]["logins_per_round"] = extra.pop("logins_per_round", None)
    return extra
