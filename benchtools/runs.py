"""The one reader of saved pytest-benchmark runs: find them, load them, check every field a tool uses.

A saved run is a file anyone can edit or truncate, so every value read is checked for
its type and range (medians finite and positive, counts whole, texts text) before any
tool sees it: a problem is a ToolError whose one-line message names the file and the
field. Nothing here writes to storage.
"""

from __future__ import annotations

import json
import math
import subprocess
from dataclasses import dataclass
from pathlib import Path

from benchtools.cli import ToolError


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
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ToolError(f"{path}: no such run file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ToolError(f"{path}: cannot read run file ({error.__class__.__name__})") from None
    try:
        content = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        raise ToolError(f"{path}: not valid JSON, truncated or corrupt? ({error.msg} at line {error.lineno})") from None
    except (ValueError, RecursionError) as error:
        raise ToolError(f"{path}: not a pytest-benchmark run ({error})") from None
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
    benchmarks = content.get("benchmarks")
    if not isinstance(benchmarks, list):
        raise _Invalid("no 'benchmarks' list")
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
        benchmarks=tuple(_benchmark(index, bench) for index, bench in enumerate(benchmarks)),
        project=project,
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
    return Benchmark(fullname, group, _stats(f"{where}.stats", stats), extra_info)


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
