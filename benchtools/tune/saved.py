"""The sweep points and thread-scaling rates of a saved run, for `tune from-run`.

benchmarks/test_hasher_sweeps.py and test_hasher_concurrency.py store what they timed in
extra_info (benchlib.formats.records), so a run saved on one machine can be tuned against later,
on another. The run is read by the one reader, benchtools.runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from benchtools.errors import ToolError
from benchtools.runs import load_run
from benchtools.tune.search import Measurement
from benchtools.tune.threads import Scaling


@dataclass
class SavedSweep:
    """Per hasher algorithm: its class path and every swept parameter set's timing."""

    path: Path
    classes: dict[str, str] = field(default_factory=dict)
    points: dict[str, list[Measurement]] = field(default_factory=dict)
    scaling: list[Scaling] = field(default_factory=list)


def load_sweep_run(path: Path) -> SavedSweep:
    """The sweep points and thread-scaling rates of a saved run; a ToolError naming the file when there are none."""
    run = load_run(path)
    saved = SavedSweep(path)
    rates: dict[str, dict[int, float]] = {}
    for bench in run.benchmarks:
        sweep, threads, stats = bench.extra_info.sweep, bench.extra_info.threads, bench.stats
        if sweep is not None:
            if saved.classes.setdefault(sweep.hasher, sweep.hasher_class) != sweep.hasher_class:
                raise ToolError(f"{path}: hasher {sweep.hasher!r} is swept with two classes")
            spread = (stats.minimum * 1000, stats.maximum * 1000)
            measurement = Measurement(dict(sweep.parameters), stats.median * 1000, spread, stats.rounds)
            saved.points.setdefault(sweep.hasher, []).append(measurement)
        elif threads is not None:
            rates.setdefault(threads.hasher, {})[threads.threads] = threads.logins_per_round / stats.median
    if not saved.points:
        raise ToolError(f"{path}: no sweep benchmarks in this run (save one with `pytest --benchmark-only -m sweep`)")
    saved.scaling = [Scaling(name, {}, per) for name, per in rates.items() if 1 in per]
    return saved
