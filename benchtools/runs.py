"""The one reader of saved runs: a file's bytes decoded into its typed format, any problem one line naming the file.

A saved run is a file anyone can edit or truncate; benchlib.formats checks every field a
tool reads, and here its error becomes a ToolError naming the file and the JSON path.
Nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from benchlib.formats import benchmark_run, e2e_run
from benchlib.formats.benchmark_run import Benchmark, BenchmarkRun
from benchlib.formats.json_files import FormatError, NotJSON
from benchlib.formats.records import Counting, HasherParameters
from benchtools.errors import ToolError


@dataclass(frozen=True)
class Run:
    """A saved pytest-benchmark run and the file it was read from."""

    path: Path
    content: BenchmarkRun

    @property
    def run_id(self) -> str:
        """pytest-benchmark's number for the run: the file name's `NNNN` prefix."""
        return self.path.stem.split("_", 1)[0]

    @property
    def machine(self) -> str:
        """The storage folder (pytest-benchmark's machine id) and the host name."""
        return f"{self.path.parent.name} ({self.content.machine_info.node})"

    @property
    def commit(self) -> str:
        return self.content.commit_info.id or "unknown"

    @property
    def short_commit(self) -> str:
        return self.content.commit_info.short

    @property
    def date(self) -> str:
        return self.content.datetime

    @property
    def versions(self) -> dict[str, str]:
        return self.content.machine_info.versions

    @property
    def counting(self) -> Counting | None:
        """How the instructions were counted; None for a timed run."""
        return self.content.machine_info.instructions

    @property
    def benchmarks(self) -> list[Benchmark]:
        return self.content.benchmarks

    def by_name(self) -> dict[str, Benchmark]:
        return {bench.fullname: bench for bench in self.benchmarks}


def load_run(path: Path) -> Run:
    """Read a saved pytest-benchmark run; any problem is a one-line ToolError naming the file."""
    try:
        return Run(Path(path), benchmark_run.decode_run(read_bytes(path)))
    except NotJSON as error:
        raise ToolError(f"{path}: {error}") from None
    except FormatError as error:
        raise ToolError(f"{path}: not a pytest-benchmark run: {error}") from None


def load_e2e_run(path: Path) -> e2e_run.E2ERun:
    """Read a saved e2e run; any problem is a one-line ToolError naming the file."""
    try:
        return e2e_run.decode_run(read_bytes(path))
    except NotJSON as error:
        raise ToolError(f"{path}: {error}") from None
    except FormatError as error:
        raise ToolError(f"{path}: not an e2e run: {error}") from None


def read_bytes(path: Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise ToolError(f"{path}: no such run file") from None
    except OSError as error:
        raise ToolError(f"{path}: cannot read run file ({error.strerror or error.__class__.__name__})") from None


def environment_differences(runs: list[Run]) -> list[str]:
    """One warning line per machine or dependency version that differs between runs."""
    facts: dict[str, dict[str, list[Run]]] = {}
    for run in runs:
        machine = run.content.machine_info
        described = {"machine": machine.node, "cpu": machine.cpu.brand_raw, "python": machine.python_version}
        described.update({f"versions.{name}": version for name, version in machine.versions.items()})
        described.update({f"hashers.{name}": parameters_text(p) for name, p in machine.hashers.items()})
        if machine.database is not None:
            described["database"] = f"{machine.database.label} ({machine.database.where})"
        if run.counting is not None:
            counting = run.counting
            described["valgrind"] = " ".join((counting.valgrind, *counting.valgrind_options))
            described["instructions.seeds"] = (
                f"hash {counting.python_hash_seed}, random bytes {counting.random_bytes_seed}"
            )
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


def package_versions(base: list[Run], head: list[Run]) -> dict[str, tuple[str, str]]:
    """Each installed package whose version differs between the sides: name -> (base's, head's).

    A side whose runs disagree among themselves lists every version it had; a package one side
    lacks is `-`. Runs saved without their packages are left out.
    """

    def versions(runs: list[Run]) -> dict[str, str]:
        seen: dict[str, set[str]] = {}
        for run in runs:
            for name, version in run.content.machine_info.packages.items():
                seen.setdefault(name, set()).add(version)
        return {name: "/".join(sorted(found)) for name, found in seen.items()}

    if not all(run.content.machine_info.packages for run in base + head):
        return {}
    base_versions, head_versions = versions(base), versions(head)
    return {
        name: (base_versions.get(name, "-"), head_versions.get(name, "-"))
        for name in sorted(set(base_versions) | set(head_versions))
        if base_versions.get(name) != head_versions.get(name)
    }


def parameters_text(parameters: HasherParameters) -> str:
    """A hasher's parameters as `iterations=1000000`, in a stable order."""
    return " ".join(f"{name}={value}" for name, value in sorted(parameters.items())) or "-"
