"""What `tune` is asked, parsed from the command line once (benchtools.tune.cli) and read by everything below."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from benchtools.options import Output


@dataclass(frozen=True)
class Tuning:
    """What tune is asked: the budget and capacity, the hashers, and where the timings come from."""

    budget_ms: float
    cores: int
    target_logins_per_second: float | None
    hashers: str | None
    settings: str
    from_run: Path | None  # None: measure here
    repeats: int
    threads: int
    thread_seconds: float
    output: Output
