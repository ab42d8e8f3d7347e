"""Where saved runs live, in pytest-benchmark's layout: `<storage>/<machine id>/NNNN_<name>.json`.

Benchmark runs are in `.benchmarks` of the checkout (pytest-benchmark writes them), e2e runs
in `.e2e-runs` beside it; a run is found by its number or its file. A run is saved under the
next free number of its machine's folder, as pytest-benchmark numbers them, and an existing
file is never replaced.
"""

from __future__ import annotations

import functools
import subprocess
from dataclasses import dataclass
from pathlib import Path

from pytest_benchmark.utils import get_machine_id

from benchtools.errors import ToolError

BENCHMARK_RUNS = ".benchmarks"
E2E_RUNS = ".e2e-runs"


def default_storage(folder: str = BENCHMARK_RUNS) -> Path:
    """`folder` in this checkout's top folder, or in the working directory outside git."""
    done = subprocess.run(["git", "rev-parse", "--show-toplevel"], capture_output=True, text=True)
    top = Path(done.stdout.strip()) if done.returncode == 0 and done.stdout.strip() else Path.cwd()
    return top / folder


@dataclass(frozen=True)
class Storage:
    """A folder of saved runs: the one given, or the checkout's default, looked up only when it is needed."""

    given: Path | None
    folder: str = BENCHMARK_RUNS

    @functools.cached_property
    def path(self) -> Path:
        return self.given or default_storage(self.folder)

    def find(self, reference: str) -> Path:
        """A run by its file, or by its number in this storage (asking git where the checkout is only then)."""
        if is_file_reference(reference):
            return Path(reference)
        return find_run(reference, self.path)


def is_file_reference(reference: str) -> bool:
    return reference.endswith(".json") or Path(reference).exists()


def saved_run_paths(storage: Path) -> list[Path]:
    """Every saved run in storage, in file-name order."""
    return sorted(storage.glob("*/[0-9][0-9][0-9][0-9]_*.json"), key=lambda p: (p.name, p.parent.name))


def find_run(reference: str, storage: Path) -> Path:
    """A run by its file, or by its number (`0001`, `0001_<commit>...`) in storage."""
    if is_file_reference(reference):
        return Path(reference)
    matches = [
        path for path in saved_run_paths(storage) if path.stem == reference or path.name.startswith(reference + "_")
    ]
    if not matches:
        raise ToolError(f"{reference}: no saved run with this id in {storage}")
    if len(matches) > 1:
        names = ", ".join(str(path.relative_to(storage)) for path in matches)
        raise ToolError(f"{reference}: ambiguous run id in {storage}, matches {names}; give a path")
    return matches[0]


def save_new(storage: Path, name: str, content: bytes, machine_id: str | None = None) -> Path:
    """Write `content` as `<storage>/<machine id>/NNNN_<name>.json` under the next free number; return its path."""
    folder = storage / (machine_id or get_machine_id())
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ToolError(f"{folder}: cannot create the run folder ({error.strerror or error})") from None
    while True:
        numbers = [int(path.name[:4]) for path in folder.glob("[0-9][0-9][0-9][0-9]_*.json")]
        path = folder / f"{max(numbers, default=0) + 1:04d}_{name}.json"
        try:
            with path.open("xb") as file:
                file.write(content)
            return path
        except FileExistsError:
            continue  # another run took the number meanwhile
        except OSError as error:
            raise ToolError(f"{path}: cannot save the run ({error.strerror or error})") from None


def adopt(path: Path, storage: Path) -> Path:
    """Move a run saved elsewhere into `storage`, its machine's folder, under the next free number."""
    name = path.stem.split("_", 1)[1]
    adopted = save_new(storage, name, path.read_bytes(), machine_id=path.parent.name)
    path.unlink()
    return adopted
