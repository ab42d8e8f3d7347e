"""Simulated comparisons of wall-time runs, to measure compare's false alarms and power at a given noise.

Each run's median of a benchmark is its true time times exp(noise): the between-run
noise is normal on the log scale with standard deviation `between`, and with probability
`burst_probability` a run is also slowed by `burst` (another job took the CPU), as seen on
shared 2-core machines. Each run's own within-run error is `within` (from its IQR).
"""

from __future__ import annotations

import math
import random

from benchlib.formats.benchmark_run import Stats
from benchtools.compare.stats import MEDIAN_SE_PER_IQR, Verdict, compare_all

ROUNDS = 100


def run_stats(median: float, within: float) -> Stats:
    """One run's stats whose within-run standard error of log(median) is `within`."""
    iqr = within * median * math.sqrt(ROUNDS) / MEDIAN_SE_PER_IQR
    return Stats(median=median, q1=median, q3=median, iqr=iqr, minimum=median, maximum=median, rounds=ROUNDS)


def side(rng: random.Random, true: float, runs: int, noise: dict) -> list[Stats]:
    medians = []
    for _ in range(runs):
        log_noise = rng.gauss(0, noise["between"])
        if rng.random() < noise.get("burst_probability", 0):
            log_noise += math.log(1 + noise["burst"])
        medians.append(run_stats(true * math.exp(log_noise), noise.get("within", 0.01)))
    return medians


def slower_flags(
    *, trials: int, benchmarks: int, runs: int, slowdown: float, noise: dict, seed: int, threshold: float = 0.05
) -> tuple[float, float]:
    """Over `trials` comparisons of `benchmarks` benchmarks, the first slowed by `slowdown` (0: an A/A):
    the share of comparisons with any other benchmark flagged slower, and the share flagging the first."""
    rng = random.Random(seed)
    false_alarms = detections = 0
    for _ in range(trials):
        timings = {}
        for index in range(benchmarks):
            true = 1e-3 * (index + 1)
            head_true = true * (1 + slowdown) if index == 0 else true
            timings[f"b{index:02d}"] = (side(rng, true, runs, noise), side(rng, head_true, runs, noise))
        comparisons = compare_all(timings, threshold=threshold, confidence=0.95)
        flagged = {c.name for c in comparisons if c.verdict == Verdict.SLOWER}
        false_alarms += bool(flagged - ({"b00"} if slowdown else set()))
        detections += "b00" in flagged
    return false_alarms / trials, detections / trials
