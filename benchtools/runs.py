"""Saved pytest-benchmark runs: find them by run id or path, load and validate them, read them.

Every problem with a run file is a `RunError` whose message is one line naming the file.
Nothing here writes to storage.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path


class RunError(Exception):
    """A saved run that is missing, unreadable, or not a pytest-benchmark file."""


@dataclass(frozen=True)
class Timings:
    """One benchmark's result in one run: its median, and the raw per-round times if they were saved."""

    median: float
    iqr: float
    rounds: int
    data: tuple[float, ...] | None


@dataclass(frozen=True)
class Run:
    path: Path
    content: dict

    @property
    def run_id(self) -> str:
        """pytest-benchmark's number for the run: the file name's `NNNN` prefix."""
        return self.path.stem.split("_", 1)[0]

    @property
    def commit(self) -> str:
        return str(self.content.get("commit_info", {}).get("id", "unknown"))

    @property
    def dirty(self) -> bool:
        return bool(self.content.get("commit_info", {}).get("dirty"))

    @property
    def date(self) -> str:
        return str(self.content.get("datetime", ""))

    @property
    def machine(self) -> str:
        """The storage folder (pytest-benchmark's machine id) and the host name."""
        return f"{self.path.parent.name} ({self.content.get('machine_info', {}).get('node', '?')})"

    @property
    def versions(self) -> dict:
        return self.content.get("machine_info", {}).get("versions", {})

    def benchmarks(self) -> dict[str, Timings]:
        """Timings by the benchmark's full name (`module.py::test[param]`)."""
        return {bench["fullname"]: _timings(bench) for bench in self.content["benchmarks"]}


def _timings(bench: dict) -> Timings:
    stats = bench["stats"]
    data = stats.get("data")  # present only when saved with --benchmark-save-data
    return Timings(
        median=float(stats["median"]),
        iqr=float(stats.get("iqr", 0.0)),
        rounds=int(stats.get("rounds", len(data or ()))),
        data=tuple(float(x) for x in data) if data else None,
    )


def load_run(path: Path) -> Run:
    """Read and check a saved run; any problem is a one-line RunError naming the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RunError(f"{path}: no such run file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise RunError(f"{path}: cannot read run file ({error.__class__.__name__})") from None
    try:
        content = json.loads(text)
    except json.JSONDecodeError as error:
        raise RunError(f"{path}: not valid JSON, truncated or corrupt? ({error.msg} at line {error.lineno})") from None
    problem = _problem_with(content)
    if problem:
        raise RunError(f"{path}: not a pytest-benchmark run ({problem})")
    return Run(path, content)


def _problem_with(content) -> str | None:
    if not isinstance(content, dict) or not isinstance(content.get("benchmarks"), list):
        return "no 'benchmarks' list"
    if not isinstance(content.get("machine_info"), dict) or not isinstance(content.get("commit_info"), dict):
        return "no 'machine_info' or 'commit_info'"
    for bench in content["benchmarks"]:
        try:
            ok = isinstance(bench["fullname"], str) and float(bench["stats"]["median"]) > 0
            data = bench["stats"].get("data") or []
            ok = ok and all(float(x) >= 0 for x in data)
        except (KeyError, TypeError, ValueError):
            ok = False
        if not ok:
            return "a benchmark without 'fullname' and a positive 'stats.median'"
    return None


def saved_run_paths(storage: Path) -> list[Path]:
    """Every saved run in storage (`<storage>/<machine id>/NNNN_*.json`), in file-name order."""
    return sorted(storage.glob("*/[0-9][0-9][0-9][0-9]_*.json"), key=lambda p: (p.name, p.parent.name))


def find_run(reference: str, storage: Path) -> Path:
    """A run by file path, or by pytest-benchmark's run id (`0001`, `0001_<commit>...`) in storage."""
    as_path = Path(reference)
    if as_path.suffix == ".json" or as_path.exists():
        return as_path
    matches = [
        path for path in saved_run_paths(storage) if path.stem == reference or path.name.startswith(reference + "_")
    ]
    if not matches:
        raise RunError(f"{reference}: no saved run with this id in {storage}")
    if len(matches) > 1:
        names = ", ".join(str(path.relative_to(storage)) for path in matches)
        raise RunError(f"{reference}: ambiguous run id in {storage}, matches {names}; give a path")
    return matches[0]


def environment_differences(runs: list[Run]) -> list[str]:
    """One warning line per machine or dependency version that differs between runs."""
    facts: dict[str, dict[str, list[Run]]] = {}
    for run in runs:
        info = run.content.get("machine_info", {})
        described = {
            "machine": str(info.get("node")),
            "cpu": str(info.get("cpu", {}).get("brand_raw")),
            "python": str(info.get("python_version")),
        }
        described.update({f"versions.{name}": str(version) for name, version in run.versions.items()})
        for fact, value in described.items():
            facts.setdefault(fact, {}).setdefault(value, []).append(run)
    warnings = []
    for fact, by_value in facts.items():
        missing = [run for run in runs if run not in [r for found in by_value.values() for r in found]]
        if len(by_value) > 1 or missing:
            seen = "; ".join(f"{value} in {', '.join(r.path.name for r in found)}" for value, found in by_value.items())
            if missing:
                seen += f"; not recorded in {', '.join(r.path.name for r in missing)}"
            warnings.append(f"warning: runs differ in {fact}: {seen}")
    return warnings
