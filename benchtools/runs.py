"""The one reader of saved pytest-benchmark runs: find them, load them, check every field a tool uses.

A saved run is a file anyone can edit or truncate, so every value read is checked for
its type and range (medians finite and positive, counts whole, texts text) before any
tool sees it: a problem is a ToolError whose one-line message names the file and the
field. Nothing here writes to storage.

A run made with `pytest --instructions` has each benchmark's instruction counts in its
extra_info (benchlib.records) and how they were counted in `machine_info.instructions`;
its timings are of valgrind's emulation, not of the machine.
"""

from __future__ import annotations

import json
import math
import subprocess
from dataclasses import dataclass
from pathlib import Path

from benchlib.records import InstructionsRecord, read_instructions
from benchtools.cli import ToolError
from benchtools.e2e.records import FORMAT as E2E_FORMAT
from benchtools.e2e.records import FORMAT_VERSION as E2E_FORMAT_VERSION
from benchtools.e2e.records import E2ERun
from benchtools.e2e.records import Interference as E2EInterference
from benchtools.e2e.records import Machine as E2EMachine
from benchtools.e2e.records import Row as E2ERow
from benchtools.e2e.records import Settings as E2ESettings


@dataclass(frozen=True)
class Stats:
    """One benchmark's timings in one run, in seconds; `data` are the raw round times if saved."""

    median: float
    iqr: float
    q1: float
    q3: float
    minimum: float
    maximum: float
    rounds: int
    data: tuple[float, ...] | None


@dataclass(frozen=True)
class Benchmark:
    fullname: str  # `benchmarks/test_views.py::test_django_view`
    group: str | None
    stats: Stats
    extra_info: dict
    instructions: InstructionsRecord | None  # counted in instruction mode, else None


@dataclass(frozen=True)
class Counting:
    """How a run's instructions were counted (`machine_info.instructions`)."""

    valgrind: str  # `valgrind-3.19.0`
    valgrind_options: tuple[str, ...]
    python_hash_seed: str
    random_bytes_seed: int | None  # None: not recorded (os.urandom was not replaced)
    warmup_calls: int
    measured_calls: int


@dataclass(frozen=True)
class Run:
    path: Path
    commit: str
    dirty: bool
    date: str
    node: str
    cpu: str
    python: str
    versions: dict[str, str]
    hashers: dict[str, dict]  # each measured hasher's parameters, by algorithm name
    counting: Counting | None  # None: a timed run
    benchmarks: tuple[Benchmark, ...]
    project: dict | None = None  # machine_info.project: read it with benchlib.records.read_project

    @property
    def run_id(self) -> str:
        """pytest-benchmark's number for the run: the file name's `NNNN` prefix."""
        return self.path.stem.split("_", 1)[0]

    @property
    def machine(self) -> str:
        """The storage folder (pytest-benchmark's machine id) and the host name."""
        return f"{self.path.parent.name} ({self.node})"

    def by_name(self) -> dict[str, Benchmark]:
        return {bench.fullname: bench for bench in self.benchmarks}


def load_run(path: Path) -> Run:
    """Read and check a saved run; any problem is a one-line ToolError naming the file."""
    content = _json_of(path, "a pytest-benchmark run")
    try:
        return _run(Path(path), content)
    except _Invalid as error:
        raise ToolError(f"{path}: not a pytest-benchmark run ({error})") from None


def saved_run_paths(storage: Path) -> list[Path]:
    """Every saved run in storage (`<storage>/<machine id>/NNNN_*.json`), in file-name order."""
    return sorted(storage.glob("*/[0-9][0-9][0-9][0-9]_*.json"), key=lambda p: (p.name, p.parent.name))


def find_run(reference: str, storage: Path | None) -> Path:
    """A run by file path, or by pytest-benchmark's run id (`0001`, `0001_<commit>...`) in storage
    (None: this checkout's, see default_storage)."""
    as_path = Path(reference)
    if as_path.suffix == ".json" or as_path.exists():
        return as_path
    storage = storage or default_storage()
    matches = [
        path for path in saved_run_paths(storage) if path.stem == reference or path.name.startswith(reference + "_")
    ]
    if not matches:
        raise ToolError(f"{reference}: no saved run with this id in {storage}")
    if len(matches) > 1:
        names = ", ".join(str(path.relative_to(storage)) for path in matches)
        raise ToolError(f"{reference}: ambiguous run id in {storage}, matches {names}; give a path")
    return matches[0]


def default_storage() -> Path:
    """pytest-benchmark's storage of this checkout: `<top folder>/.benchmarks`, or `./.benchmarks` outside git."""
    done = subprocess.run(["git", "rev-parse", "--show-toplevel"], capture_output=True, text=True)
    top = Path(done.stdout.strip()) if done.returncode == 0 and done.stdout.strip() else Path.cwd()
    return top / ".benchmarks"


def environment_differences(runs: list[Run]) -> list[str]:
    """One warning line per machine or dependency version that differs between runs."""
    facts: dict[str, dict[str, list[Run]]] = {}
    for run in runs:
        described = {"machine": run.node, "cpu": run.cpu, "python": run.python}
        described.update({f"versions.{name}": version for name, version in run.versions.items()})
        described.update({f"hashers.{name}": parameters_text(p) for name, p in run.hashers.items()})
        if run.counting is not None:
            counting = run.counting
            described["valgrind"] = " ".join((counting.valgrind, *counting.valgrind_options))
            seeds = f"hash {counting.python_hash_seed}, random bytes {counting.random_bytes_seed}"
            described["instructions.seeds"] = seeds
            described["instructions.calls"] = f"{counting.warmup_calls} warm-up, {counting.measured_calls} counted"
        for fact, value in described.items():
            facts.setdefault(fact, {}).setdefault(value, []).append(run)
    warnings = []
    for fact, by_value in facts.items():
        recorded = [run for found in by_value.values() for run in found]
        missing = [run for run in runs if run not in recorded]
        if len(by_value) > 1 or missing:
            seen = "; ".join(f"{value} in {', '.join(r.path.name for r in found)}" for value, found in by_value.items())
            if missing:
                seen += f"; not recorded in {', '.join(r.path.name for r in missing)}"
            warnings.append(f"warning: runs differ in {fact}: {seen}")
    return warnings


def parameters_text(parameters: dict) -> str:
    """A hasher's parameters as `iterations=1000000`, in a stable order."""
    return " ".join(f"{name}={value}" for name, value in sorted(parameters.items())) or "-"


def _json_of(path: Path, kind: str):
    """A run file's JSON: missing, unreadable, truncated, or holding NaN or Infinity is a ToolError naming it."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ToolError(f"{path}: no such run file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ToolError(f"{path}: cannot read run file ({error.__class__.__name__})") from None
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        raise ToolError(f"{path}: not valid JSON, truncated or corrupt? ({error.msg} at line {error.lineno})") from None
    except (ValueError, RecursionError) as error:
        raise ToolError(f"{path}: not {kind} ({error})") from None


class _Invalid(Exception):
    """A field of a run that is missing or of the wrong type or range; the message names it."""


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a number a benchmark can have")


def _run(path: Path, content) -> Run:
    if not isinstance(content, dict):
        raise _Invalid("not a JSON object")
    machine = _mapping(content, "machine_info")
    commit = _mapping(content, "commit_info")
    cpu = machine.get("cpu", {})
    if not isinstance(cpu, dict):
        raise _Invalid("machine_info.cpu is not an object")
    versions = machine.get("versions", {})
    if not isinstance(versions, dict) or not all(isinstance(v, str) for v in versions.values()):
        raise _Invalid("machine_info.versions is not a mapping of names to version strings")
    hashers = machine.get("hashers", {})
    if not isinstance(hashers, dict) or not all(isinstance(p, dict) for p in hashers.values()):
        raise _Invalid("machine_info.hashers is not a mapping of hasher names to parameters")
    benchmarks = content.get("benchmarks")
    if not isinstance(benchmarks, list):
        raise _Invalid("no 'benchmarks' list")
    counting = _counting(machine["instructions"]) if "instructions" in machine else None
    parsed = tuple(_benchmark(index, bench) for index, bench in enumerate(benchmarks))
    uncounted = [bench.fullname for bench in parsed if bench.instructions is None]
    if counting is not None and uncounted:
        raise _Invalid(f"an instruction-count run, but {uncounted[0]} has no extra_info.instructions")
    project = machine.get("project")
    if project is not None and not isinstance(project, dict):
        raise _Invalid("machine_info.project is not an object")
    return Run(
        path=path,
        commit=_optional_text(commit, "id", "commit_info", "unknown"),
        dirty=_optional_bool(commit, "dirty", "commit_info"),
        date=_optional_text(content, "datetime", "", ""),
        node=_optional_text(machine, "node", "machine_info", "?"),
        cpu=_optional_text(cpu, "brand_raw", "machine_info.cpu", "?"),
        python=_optional_text(machine, "python_version", "machine_info", "?"),
        versions=dict(versions),
        hashers=dict(hashers),
        counting=counting,
        benchmarks=parsed,
        project=project,
    )


def _counting(settings) -> Counting:
    where = "machine_info.instructions"
    if not isinstance(settings, dict):
        raise _Invalid(f"{where} is not an object")
    options = settings.get("valgrind_options")
    if not isinstance(options, list) or not all(isinstance(option, str) for option in options):
        raise _Invalid(f"{where}.valgrind_options is not a list of strings")
    seed = settings.get("random_bytes_seed")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise _Invalid(f"{where}.random_bytes_seed is not a whole number")
    calls = {}
    for key in ("warmup_calls", "measured_calls"):
        value = settings.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < (1 if key == "measured_calls" else 0):
            raise _Invalid(f"{where}.{key} is not a whole number")
        calls[key] = value
    return Counting(
        valgrind=_optional_text(settings, "valgrind", where, "?"),
        valgrind_options=tuple(options),
        python_hash_seed=_optional_text(settings, "python_hash_seed", where, ""),
        random_bytes_seed=seed,
        **calls,
    )


def _benchmark(index: int, bench) -> Benchmark:
    where = f"benchmarks[{index}]"
    if not isinstance(bench, dict):
        raise _Invalid(f"{where} is not an object")
    fullname = bench.get("fullname")
    if not isinstance(fullname, str) or not fullname:
        raise _Invalid(f"{where}.fullname is not a non-empty string")
    group = bench.get("group")
    if group is not None and not isinstance(group, str):
        raise _Invalid(f"{where}.group is not a string")
    extra_info = bench.get("extra_info", {})
    if not isinstance(extra_info, dict):
        raise _Invalid(f"{where}.extra_info is not an object")
    stats = bench.get("stats")
    if not isinstance(stats, dict):
        raise _Invalid(f"{where}.stats is not an object")
    try:
        instructions = read_instructions(extra_info)
    except ValueError as error:
        raise _Invalid(f"{where}.{error}") from None
    return Benchmark(fullname, group, _stats(f"{where}.stats", stats), extra_info, instructions)


def _stats(where: str, stats: dict) -> Stats:
    median = _number(stats, "median", where, positive=True)
    if median is None:
        raise _Invalid(f"{where}.median is missing")
    data = stats.get("data")  # present only when saved with --benchmark-save-data
    if data is not None:
        if not isinstance(data, list) or not all(_is_finite(x) and x > 0 for x in data):
            raise _Invalid(f"{where}.data is not a list of positive finite numbers")
        data = tuple(float(x) for x in data) or None
    rounds = stats.get("rounds", len(data or ()) or 1)
    if isinstance(rounds, bool) or not isinstance(rounds, int) or rounds < 1:
        raise _Invalid(f"{where}.rounds is not a whole number >= 1")
    q1 = _number(stats, "q1", where)
    q3 = _number(stats, "q3", where)
    low, high = _number(stats, "min", where), _number(stats, "max", where)
    q1, q3 = (median if q1 is None else q1), (median if q3 is None else q3)
    low, high = (q1 if low is None else low), (q3 if high is None else high)
    if not low <= q1 <= median <= q3 <= high:
        raise _Invalid(f"{where}: min <= q1 <= median <= q3 <= max does not hold")
    iqr = _number(stats, "iqr", where)
    return Stats(
        median=median,
        iqr=0.0 if iqr is None else iqr,
        q1=q1,
        q3=q3,
        minimum=low,
        maximum=high,
        rounds=rounds,
        data=data,
    )


def _number(stats: dict, key: str, where: str, *, positive: bool = False) -> float | None:
    if key not in stats:
        return None
    value = stats[key]
    if not _is_finite(value) or value < 0 or (positive and value == 0):
        kind = "positive" if positive else "non-negative"
        raise _Invalid(f"{where}.{key} is not a {kind} finite number")
    return float(value)


def _is_finite(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _mapping(content: dict, key: str) -> dict:
    value = content.get(key)
    if not isinstance(value, dict):
        raise _Invalid(f"no '{key}' object")
    return value


def _optional_text(mapping: dict, key: str, where: str, default: str) -> str:
    value = mapping.get(key, default)
    if value is None:
        return default
    if not isinstance(value, str):
        raise _Invalid(f"{where + '.' if where else ''}{key} is not a string")
    return value


def _optional_bool(mapping: dict, key: str, where: str) -> bool:
    value = mapping.get(key, False)
    if not isinstance(value, bool):
        raise _Invalid(f"{where}.{key} is not true or false")
    return value


# Saved e2e runs (`python -m benchtools e2e`; written by benchtools.e2e.saved).


def load_e2e_run(path: Path) -> E2ERun:
    """Read and check a saved e2e run; any problem is a one-line ToolError naming the file and the field."""
    content = _json_of(path, "an e2e run")
    try:
        return _e2e_run(content)
    except _Invalid as error:
        raise ToolError(f"{path}: not an e2e run ({error})") from None


def _e2e_run(content) -> E2ERun:
    if not isinstance(content, dict):
        raise _Invalid("not a JSON object")
    if content.get("format") != E2E_FORMAT or content.get("version") != E2E_FORMAT_VERSION:
        raise _Invalid(f"format is not {E2E_FORMAT!r} version {E2E_FORMAT_VERSION}")
    machine, settings = _object(content, "machine", ""), _object(content, "settings", "")
    rows, interference = _list(content, "rows", ""), _list(content, "interference", "")
    return E2ERun(
        date=_text(content, "date", ""),
        commit=_text(content, "commit", ""),
        command=_text(content, "command", "", empty=True),
        machine=E2EMachine(
            node=_text(machine, "node", "machine"),
            cores=_whole(machine, "cores", "machine", lowest=1),
            cpu=_text(machine, "cpu", "machine"),
            python=_text(machine, "python", "machine"),
            load_average_before=_load_average(machine, "load_average_before"),
            load_average_after=_load_average(machine, "load_average_after"),
            versions=_versions(machine),
        ),
        settings=E2ESettings(
            duration_seconds=_whole(settings, "duration_seconds", "settings", lowest=1),
            timeout_seconds=_finite(settings, "timeout_seconds", "settings", positive=True),
            keep_alive=_flag(settings, "keep_alive", "settings"),
            hasher=_text(settings, "hasher", "settings"),
            workers=_whole(settings, "workers", "settings", lowest=1),
            threads=_whole(settings, "threads", "settings", lowest=1),
        ),
        rows=tuple(_e2e_row(_item(rows, index, "rows"), f"rows[{index}]") for index in range(len(rows))),
        interference=tuple(
            _interference(_item(interference, index, "interference"), f"interference[{index}]")
            for index in range(len(interference))
        ),
    )


def _e2e_row(row: dict, where: str) -> E2ERow:
    p50, p99 = _latency_pair(row, where, "p50_ms", "p99_ms")
    statuses = _object(row, "statuses", where)
    for code, count in statuses.items():
        if (
            not (len(code) == 3 and code.isdigit())
            or isinstance(count, bool)
            or not isinstance(count, int)
            or count < 0
        ):
            raise _Invalid(f"{where}.statuses is not a mapping of status codes to counts")
    return E2ERow(
        server=_text(row, "server", where),
        scheme=_text(row, "scheme", where),
        concurrency=_whole(row, "concurrency", where, lowest=1),
        requests_per_second=_finite(row, "requests_per_second", where),
        p50_ms=p50,
        p99_ms=p99,
        errors=_whole(row, "errors", where, lowest=0),
        statuses=dict(statuses),
        load_generator_cores=_finite(row, "load_generator_cores", where),
    )


def _interference(row: dict, where: str) -> E2EInterference:
    alone_p50, alone_p99 = _latency_pair(row, where, "alone_p50_ms", "alone_p99_ms")
    p50, p99 = _latency_pair(row, where, "p50_ms", "p99_ms")
    return E2EInterference(
        server=_text(row, "server", where),
        beside=_text(row, "beside", where),
        concurrency=_whole(row, "concurrency", where, lowest=1),
        beside_concurrency=_whole(row, "beside_concurrency", where, lowest=1),
        alone_requests_per_second=_finite(row, "alone_requests_per_second", where),
        alone_p50_ms=alone_p50,
        alone_p99_ms=alone_p99,
        requests_per_second=_finite(row, "requests_per_second", where),
        p50_ms=p50,
        p99_ms=p99,
        beside_per_second=_finite(row, "beside_per_second", where),
        beside_p50_ms=_finite(row, "beside_p50_ms", where, optional=True),
        server_cores=_finite(row, "server_cores", where),
        busiest_process_cores=_finite(row, "busiest_process_cores", where),
        main_threads_share=_finite(row, "main_threads_share", where),
        machine_busy=_finite(row, "machine_busy", where),
        cause=_text(row, "cause", where),
    )


def _latency_pair(row: dict, where: str, low: str, high: str) -> tuple[float | None, float | None]:
    p50, p99 = _finite(row, low, where, optional=True), _finite(row, high, where, optional=True)
    if (p50 is None) != (p99 is None) or (p50 is not None and p50 > p99):
        raise _Invalid(f"{where}: {low} <= {high} does not hold")
    return p50, p99


def _load_average(machine: dict, key: str) -> tuple[float, float, float]:
    values = machine.get(key)
    if not isinstance(values, list) or len(values) != 3 or not all(_is_finite(v) and v >= 0 for v in values):
        raise _Invalid(f"machine.{key} is not three non-negative numbers")
    return (float(values[0]), float(values[1]), float(values[2]))


def _versions(machine: dict) -> dict[str, str]:
    versions = _object(machine, "versions", "machine")
    if not all(isinstance(version, str) for version in versions.values()):
        raise _Invalid("machine.versions is not a mapping of names to version strings")
    return dict(versions)


def _object(mapping: dict, key: str, where: str) -> dict:
    value = mapping.get(key)
    if not isinstance(value, dict):
        raise _Invalid(f"{_at(where, key)} is not an object")
    return value


def _list(mapping: dict, key: str, where: str) -> list:
    value = mapping.get(key)
    if not isinstance(value, list):
        raise _Invalid(f"{_at(where, key)} is not a list")
    return value


def _item(items: list, index: int, where: str) -> dict:
    if not isinstance(items[index], dict):
        raise _Invalid(f"{where}[{index}] is not an object")
    return items[index]


def _text(mapping: dict, key: str, where: str, *, empty: bool = False) -> str:
    value = mapping.get(key)
    if not isinstance(value, str) or not (value or empty):
        raise _Invalid(f"{_at(where, key)} is not a {'' if empty else 'non-empty '}string")
    return value


def _flag(mapping: dict, key: str, where: str) -> bool:
    value = mapping.get(key)
    if not isinstance(value, bool):
        raise _Invalid(f"{_at(where, key)} is not true or false")
    return value


def _whole(mapping: dict, key: str, where: str, *, lowest: int) -> int:
    value = mapping.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < lowest:
        raise _Invalid(f"{_at(where, key)} is not a whole number >= {lowest}")
    return value


def _finite(mapping: dict, key: str, where: str, *, positive: bool = False, optional: bool = False):
    value = mapping.get(key, ...)
    if optional and value is None:
        return None
    if not _is_finite(value) or value < 0 or (positive and value == 0):
        kind = "positive" if positive else "non-negative"
        raise _Invalid(f"{_at(where, key)} is not a {kind} finite number{' or null' if optional else ''}")
    return float(value)


def _at(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key
