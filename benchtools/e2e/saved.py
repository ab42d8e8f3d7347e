"""Saving e2e runs for later comparison: `<storage>/<machine id>/NNNN_<commit>_<date>.json`, never overwritten.

The layout is pytest-benchmark's, so benchtools.runs finds a saved e2e run by its number
(`--from-run 0003`) as it finds benchmark runs; the folder is another (.e2e-runs, not
.benchmarks), so neither tool mistakes the other's runs for its own.
"""

from __future__ import annotations

import re
from pathlib import Path

from pytest_benchmark.utils import get_machine_id

from benchtools.cli import ToolError
from benchtools.e2e.records import E2ERun
from benchtools.e2e.report import as_json_text
from benchtools.runs import default_storage, saved_run_paths


def default_e2e_storage() -> Path:
    return default_storage().parent / ".e2e-runs"


def save(run: E2ERun, storage: Path) -> Path:
    """Write the run under the next free number; an existing file is never replaced."""
    folder = storage / get_machine_id()  # pytest-benchmark's folder name, `Linux-CPython-3.11-64bit`
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ToolError(f"{folder}: cannot create the run folder ({error.strerror or error})") from None
    text = as_json_text(run)
    date = re.sub(r"[^0-9]", "", run.date[:19])
    while True:
        numbers = [int(path.name[:4]) for path in saved_run_paths(storage)]
        path = folder / f"{max(numbers, default=0) + 1:04d}_{run.commit[:12]}_{date[:8]}_{date[8:]}.json"
        try:
            with path.open("x", encoding="utf-8") as file:
                file.write(text)
            return path
        except FileExistsError:
            continue  # another run took the number meanwhile
        except OSError as error:
            raise ToolError(f"{path}: cannot save the run ({error.strerror or error})") from None
