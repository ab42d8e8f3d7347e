"""Reading the sweep and thread-scaling benchmarks out of a saved pytest-benchmark run.

benchmarks/test_hasher_sweeps.py and test_hasher_concurrency.py store what they timed in
extra_info, so a run saved on one machine can be tuned against later, on another.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from benchtools.sweep import Measurement, Scaling


class SavedRunError(ValueError):
    """A saved run that cannot be used; the message names the file."""


@dataclass
class SavedSweep:
    """Per hasher algorithm: its class path and every swept parameter set's timing."""

    path: str
    classes: dict[str, str] = field(default_factory=dict)
    points: dict[str, list[Measurement]] = field(default_factory=dict)
    scaling: list[Scaling] = field(default_factory=list)


def sweep_extra_info(algorithm: str, hasher_path: str, family: str, parameters: dict) -> dict:
    """What a sweep benchmark stores so that `tune --from-run` can read it back."""
    return {"hasher": algorithm, "hasher_class": hasher_path, "sweep": family, "sweep_parameters": parameters}


def load_sweep_run(path: str) -> SavedSweep:
    """The sweep points and thread-scaling rates of a saved run; SavedRunError when there are none."""
    try:
        run = json.loads(Path(path).read_text())
        benchmarks = run["benchmarks"]
    except FileNotFoundError:
        raise SavedRunError(f"{path}: no such file") from None
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise SavedRunError(f"{path}: not a saved pytest-benchmark run ({type(error).__name__}: {error})") from None
    saved = SavedSweep(path)
    rates: dict[str, dict[int, float]] = {}
    try:
        for benchmark in benchmarks:
            info, stats = benchmark.get("extra_info") or {}, benchmark["stats"]
            if "sweep" in info:
                saved.classes[info["hasher"]] = info["hasher_class"]
                # A saved run keeps min, median and max: enough for the median and the spread.
                samples = [stats["min"] * 1000, stats["median"] * 1000, stats["max"] * 1000]
                saved.points.setdefault(info["hasher"], []).append(Measurement(info["sweep_parameters"], samples))
            elif "threads" in info:
                rates.setdefault(info["hasher"], {})[info["threads"]] = info["logins_per_round"] / stats["median"]
    except (KeyError, TypeError, ZeroDivisionError) as error:
        raise SavedRunError(f"{path}: a benchmark lacks {error} in its stats or extra_info") from None
    if not saved.points:
        raise SavedRunError(f"{path}: no sweep benchmarks in this run (save one with `pytest --benchmark-only -m sweep`)")
    saved.scaling = [Scaling(name, {}, per) for name, per in rates.items() if 1 in per]
    return saved
