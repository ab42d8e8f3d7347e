"""Synthetic saved runs, shaped like pytest-benchmark's, for the benchtools tests."""

from __future__ import annotations

import hashlib
import json
import math
import random
import statistics
from pathlib import Path

from benchlib.formats.benchmark_run import FORMAT_VERSION, FORMAT_VERSION_KEY
from benchlib.formats.records import InstructionCounts, recorded

MACHINE_ID = "Linux-CPython-3.11-64bit"


# How `pytest --instructions` records its counting in machine_info.instructions.
COUNTING = {
    "valgrind": "valgrind-3.19.0",
    "valgrind_options": ["--tool=callgrind", "--instr-atstart=no", "--quiet"],
    "python_hash_seed": "0",
    "random_bytes_seed": 0,
    "warmup_calls": 10,
    "measured_calls": 9,
}


def run_content(
    timings: dict[str, list[float]],
    *,
    commit="a" * 40,
    node="vm",
    django="5.2.19",
    raw=True,
    counts: dict[str, list[int]] | None = None,
) -> dict:
    """A pytest-benchmark run: one benchmark per full name, its stats computed from the given times.

    With `counts` (each benchmark's counted calls), an instruction-count run as `pytest --instructions` saves one.
    """
    benchmarks = []
    for fullname, data in timings.items():
        q1, _, q3 = statistics.quantiles(data, n=4, method="inclusive") if len(data) > 1 else (data[0],) * 3
        stats = {
            "min": min(data), "max": max(data), "mean": statistics.fmean(data), "median": statistics.median(data),
            "q1": q1, "q3": q3, "iqr": q3 - q1, "rounds": len(data), "iterations": 1,
        }  # fmt: skip
        if raw:
            stats["data"] = data
        bench = {"group": "g", "name": fullname.split("::")[-1], "fullname": fullname, "stats": stats}
        if counts is not None:
            calls = counts[fullname]
            bench["extra_info"] = recorded(instructions=InstructionCounts(statistics.median_low(calls), calls))
        benchmarks.append(bench)
    machine_info = {
        "node": node,
        "python_version": "3.11.7",
        "cpu": {"brand_raw": "AMD EPYC"},
        "versions": {"django": django},
        FORMAT_VERSION_KEY: FORMAT_VERSION,
    }
    if counts is not None:
        machine_info["instructions"] = dict(COUNTING)
    return {
        "machine_info": machine_info,
        "commit_info": {"id": commit, "dirty": False},
        "benchmarks": benchmarks,
        "datetime": "2026-11-25T12:00:00+00:00",
        "version": "5.3.1",
    }


def noisy_times(median: float, *, seed: int, rounds: int = 41, spread: float = 0.02) -> list[float]:
    """Round times spread lognormally around `median` (exactly their median), in a shuffled order."""
    normal = statistics.NormalDist()
    times = [median * math.exp(spread * normal.inv_cdf((i + 0.5) / rounds)) for i in range(rounds)]
    random.Random(seed).shuffle(times)
    return times


def save_counted(storage: Path, number: int, counts: dict[str, list[int]], **details) -> Path:
    """Save an instruction-count run (each benchmark's counted calls); its times are made up, being valgrind's."""
    return write_run(storage, number, {name: [1.0] for name in counts}, counts=counts, **details)


def write_run(
    storage: Path, number: int, timings: dict[str, list[float]], *, date="20261125_120000", **details
) -> Path:
    """Save a synthetic run as pytest-benchmark does: `<storage>/<machine>/NNNN_<commit>_<date>.json`."""
    content = run_content(timings, **details)
    content["datetime"] = f"{date[:4]}-{date[4:6]}-{date[6:8]}T{date[9:11]}:{date[11:13]}:00+00:00"
    path = storage / MACHINE_ID / f"{number:04d}_{content['commit_info']['id']}_{date}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(content))
    return path


def file_hashes(folder: Path) -> dict[Path, str]:
    """Every file under `folder` with its SHA-256, to show a tool modified and deleted nothing."""
    return {path: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(folder.rglob("*")) if path.is_file()}


def e2e_run_content() -> dict:
    """A saved e2e run (benchlib.formats.e2e_run) with rows and interference rows, as JSON would hold it."""
    from benchlib.formats.e2e_run import E2ERun, Interference, Machine, Row, Settings, encode_run
    from benchlib.formats.records import CommitInfo

    def row(server, scheme, concurrency, per_second, p50, p99, statuses) -> Row:
        errors = sum(count for code, count in statuses.items() if code != "200")
        return Row(server, scheme, concurrency, per_second, p50, p99, errors, statuses, 0.05)

    rows = (
        row("gunicorn-sync", "none", 4, 2270.0, 1.6, 4.0, {"200": 4540}),
        row("gunicorn-sync", "basic", 4, 5.3, 656.0, 900.0, {"200": 11}),
        row("gunicorn-sync", "cached-basic", 4, 760.0, 5.0, 9.0, {"200": 1520}),
        row("uvicorn", "basic", 64, 0.0, None, None, {}),
        row("uvicorn", "token", 4, 300.0, 12.0, 40.0, {"200": 590, "500": 10}),
    )
    interference = (
        Interference("uvicorn", "async-basic", 4, 2, 416.0, 9.0, 20.0, 106.0, 37.0, 400.0, 3.0, 600.0, 1.0, 1.0, 0.97,
                     0.6, "the event loop: its thread was 97% busy running the hasher"),
    )  # fmt: skip
    machine = Machine("vm", 2, "AMD EPYC", "3.11.7", (0.5, 0.6, 0.7), (1.5, 0.9, 0.8), {"django": "5.2.19"})
    settings = Settings(2, 10.0, False, "pbkdf2_sha256", 2, 4)
    run = E2ERun(
        date="2026-11-25T12:00:00+00:00",
        commit_info=CommitInfo("a" * 40),
        command="e2e measure --duration 2",
        machine=machine,
        settings=settings,
        rows=rows,
        interference=interference,
    )
    return json.loads(encode_run(run))
