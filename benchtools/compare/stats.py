"""Is HEAD slower than BASE in wall time? Per benchmark a ratio of medians with an interval; verdicts over all.

Each run's median is one observation. A run's median moves between runs by the
machine's between-run variation plus its own within-run sampling noise, so the
scatter of per-run medians measures both at once. On the log scale (ratios become
differences) the two sides' mean log-medians are compared with Welch's t (each side its
own variance: runs that shared the CPU scatter more), with its fractional degrees of
freedom as they are. With one run on a side the variance is pooled. The standard error
used is never smaller than the one the runs' own within-run spread implies (from the raw
timings), so runs agreeing by luck do not make a narrow interval. With one run per side
there is no between-run scatter to measure: the interval then comes from the within-run
spread only, says so, and a slowdown it shows is reported but never fails the gate.

A comparison of 45 benchmarks is 45 tests: each one's one-sided p-value of "slower" (and
of "faster") is adjusted by Holm's step-down method over all of them, so the chance of any
false "slower" in the whole comparison stays at most (1 - confidence) / 2.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass, replace

from scipy.special import ndtr, ndtri, stdtr, stdtrit

from benchlib.formats.benchmark_run import Stats
from benchtools.options import Measure


class Verdict(enum.StrEnum):
    SLOWER = "slower"
    FASTER = "faster"
    UNCHANGED = "unchanged"
    NOISY = "too noisy to tell"
    # A slowdown seen with one run per side: its interval covers within-run variation only.
    WITHIN_RUN_SLOWER = "slower within runs (one run per side: no gate)"
    # A count that moved beyond the threshold, of code that did the same work on both sides
    # (benchtools.compare.where): what moved is the process, not the code.
    SAME_WORK = "same work"


# Asymptotic standard error of a median is 1 / (2 f(m) sqrt(n)); for a normal
# distribution with sigma = IQR / 1.349 that is 0.9289 * IQR / sqrt(n).
MEDIAN_SE_PER_IQR = math.sqrt(math.pi / 2) / 1.3490


@dataclass(frozen=True)
class Comparison:
    """HEAD/BASE ratio of one benchmark's medians (seconds, or instructions), its interval and verdict."""

    name: str
    base_median: float
    head_median: float
    ratio: float
    low: float
    high: float
    verdict: Verdict
    base_runs: int
    head_runs: int
    method: str
    measure: Measure = Measure.TIME
    p_slower: float | None = None  # Holm-adjusted one-sided p-values over the comparison (time only)
    p_faster: float | None = None


@dataclass(frozen=True)
class LogDifference:
    """head - base of mean log-medians, its standard error and degrees of freedom (None: normal)."""

    difference: float
    error: float
    degrees: float | None
    method: str

    def quantile(self, probability: float) -> float:
        return float(ndtri(probability) if self.degrees is None else stdtrit(self.degrees, probability))

    def p_slower(self) -> float:
        """One-sided p-value of head being slower (the difference above 0)."""
        if self.error == 0:
            return 0.0 if self.difference > 0 else 1.0
        score = self.difference / self.error
        return float(ndtr(-score) if self.degrees is None else stdtr(self.degrees, -score))

    def p_faster(self) -> float:
        return LogDifference(-self.difference, self.error, self.degrees, self.method).p_slower()


def log_difference(base: list[Stats], head: list[Stats]) -> LogDifference:
    base_logs = [math.log(t.median) for t in base]
    head_logs = [math.log(t.median) for t in head]
    difference = mean(head_logs) - mean(base_logs)
    within = math.sqrt(
        mean([log_median_error(t) ** 2 for t in base]) / len(base)
        + mean([log_median_error(t) ** 2 for t in head]) / len(head)
    )
    scatter = sum_of_squares(base_logs) + sum_of_squares(head_logs)
    if len(base) >= 2 and len(head) >= 2 and scatter > 0:
        # Welch: a side whose runs shared the CPU with other work scatters more than the other side.
        base_part = sum_of_squares(base_logs) / (len(base) - 1) / len(base)
        head_part = sum_of_squares(head_logs) / (len(head) - 1) / len(head)
        between = math.sqrt(base_part + head_part)
        degrees = between**4 / (base_part**2 / (len(base) - 1) + head_part**2 / (len(head) - 1))
        # A few runs can agree by luck more closely than their own medians are known.
        return LogDifference(difference, max(between, within), degrees, f"Welch t ({degrees:.2f} df) over run medians")
    degrees = len(base) + len(head) - 2
    if degrees >= 1:
        between = math.sqrt(scatter / degrees * (1 / len(base) + 1 / len(head)))
        method = f"t ({degrees} df, variance pooled) over run medians"
        return LogDifference(difference, max(between, within), degrees, method)
    return LogDifference(difference, within, None, "within-run spread only (one run per side)")


def compare_timings(
    name: str, base: list[Stats], head: list[Stats], *, threshold: float, confidence: float
) -> Comparison:
    """One benchmark's ratio and interval, its verdict as if it were compared alone (see compare_all)."""
    return compare_all({name: (base, head)}, threshold=threshold, confidence=confidence)[0]


def compare_all(
    timings: dict[str, tuple[list[Stats], list[Stats]]], *, threshold: float, confidence: float
) -> list[Comparison]:
    """Every benchmark's comparison, the verdicts controlled over all of them (Holm, one-sided)."""
    differences = {name: log_difference(base, head) for name, (base, head) in timings.items()}
    p_slower = holm({name: d.p_slower() for name, d in differences.items()})
    p_faster = holm({name: d.p_faster() for name, d in differences.items()})
    alpha = (1 - confidence) / 2
    comparisons = []
    for name, (base, head) in timings.items():
        found = differences[name]
        half_width = found.quantile((1 + confidence) / 2) * found.error
        comparison = Comparison(
            name=name,
            base_median=math.exp(mean([math.log(t.median) for t in base])),
            head_median=math.exp(mean([math.log(t.median) for t in head])),
            ratio=math.exp(found.difference),
            low=math.exp(found.difference - half_width),
            high=math.exp(found.difference + half_width),
            verdict=Verdict.UNCHANGED,
            base_runs=len(base),
            head_runs=len(head),
            method=found.method,
            p_slower=p_slower[name],
            p_faster=p_faster[name],
        )
        decided = verdict(comparison, threshold, alpha, within_only=found.degrees is None)
        comparisons.append(replace(comparison, verdict=decided))
    return comparisons


def verdict(comparison: Comparison, threshold: float, alpha: float, *, within_only: bool = False) -> Verdict:
    """Slower/faster only when significant over the whole comparison AND beyond the minimum effect.

    Unchanged when the whole interval lies within the band [1/(1+threshold), 1+threshold];
    too noisy to tell when it reaches outside the band without a significant, large change.
    """
    band_low, band_high = 1 / (1 + threshold), 1 + threshold
    p_slower = 1.0 if comparison.p_slower is None else comparison.p_slower
    p_faster = 1.0 if comparison.p_faster is None else comparison.p_faster
    if p_slower <= alpha and comparison.ratio > band_high:
        return Verdict.WITHIN_RUN_SLOWER if within_only else Verdict.SLOWER
    if p_faster <= alpha and comparison.ratio < band_low:
        return Verdict.FASTER
    if comparison.low >= band_low and comparison.high <= band_high:
        return Verdict.UNCHANGED
    return Verdict.NOISY


def holm(p_values: dict[str, float]) -> dict[str, float]:
    """Holm's step-down adjusted p-values: reject where adjusted <= alpha keeps the family-wise error <= alpha."""
    ordered = sorted(p_values, key=lambda name: p_values[name])
    adjusted, running = {}, 0.0
    for rank, name in enumerate(ordered):
        running = max(running, min(1.0, (len(ordered) - rank) * p_values[name]))
        adjusted[name] = running
    return adjusted


def log_median_error(timings: Stats) -> float:
    """Standard error of log(median) within one run.

    From the raw timings: half the width of the distribution-free ~68% interval for the
    median between order statistics n/2 -/+ sqrt(n)/2. Without raw timings (a run saved
    without --benchmark-save-data): from the IQR, assuming a normal shape.
    """
    if timings.data:
        ordered = sorted(timings.data)
        n = len(ordered)
        low = ordered[max(0, math.floor(n / 2 - math.sqrt(n) / 2))]
        high = ordered[min(n - 1, math.ceil(n / 2 + math.sqrt(n) / 2) - 1)]
        return (math.log(high) - math.log(max(low, 1e-12))) / 2
    return MEDIAN_SE_PER_IQR * timings.iqr / math.sqrt(max(timings.rounds, 1)) / timings.median


def mean(values: list[float]) -> float:
    return sum(values) / len(values)


def sum_of_squares(values: list[float]) -> float:
    center = mean(values)
    return sum((value - center) ** 2 for value in values)
