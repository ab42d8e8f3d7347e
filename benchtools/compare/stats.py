"""Is HEAD slower than BASE? The ratio of medians with a confidence interval, and a verdict.

Each run's median is one observation. A run's median moves between runs by the
machine's between-run variation plus its own within-run sampling noise, so the
scatter of per-run medians measures both at once. On the log scale (ratios become
differences) the two sides' mean log-medians are compared with Welch's t interval
(each side its own variance: runs that shared the CPU scatter more), which stays
honest with as few as 3 runs per side where a bootstrap over 3 runs would be too
narrow. With one run on a side the variance is pooled. The standard error used is never
smaller than the one the runs' own within-run spread implies (from the raw
timings), so three runs agreeing by luck do not make a narrow interval. With one
run per side there is no between-run scatter to measure: the interval then comes
from the within-run spread only, and says so.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from statistics import NormalDist

from benchtools.runs import Stats

SLOWER, FASTER, UNCHANGED, NOISY = "slower", "faster", "unchanged", "too noisy to tell"

# Asymptotic standard error of a median is 1 / (2 f(m) sqrt(n)); for a normal
# distribution with sigma = IQR / 1.349 that is 0.9289 * IQR / sqrt(n).
MEDIAN_SE_PER_IQR = math.sqrt(math.pi / 2) / 1.3490


@dataclass(frozen=True)
class Comparison:
    """HEAD/BASE ratio of one benchmark's medians, its interval and verdict."""

    name: str
    base_median: float
    head_median: float
    ratio: float
    low: float
    high: float
    verdict: str
    base_runs: int
    head_runs: int
    method: str


def compare_timings(
    name: str, base: list[Stats], head: list[Stats], *, threshold: float, confidence: float
) -> Comparison:
    """Compare one benchmark's runs: `threshold` is the minimum effect (0.05 = 5%)."""
    base_logs = [math.log(t.median) for t in base]
    head_logs = [math.log(t.median) for t in head]
    difference = mean(head_logs) - mean(base_logs)
    degrees = len(base) + len(head) - 2
    within = math.sqrt(
        mean([log_median_error(t) ** 2 for t in base]) / len(base)
        + mean([log_median_error(t) ** 2 for t in head]) / len(head)
    )
    if len(base) >= 2 and len(head) >= 2 and sum_of_squares(base_logs) + sum_of_squares(head_logs) > 0:
        # Welch: a side whose runs shared the CPU with other work scatters more than the other side.
        base_part = sum_of_squares(base_logs) / (len(base) - 1) / len(base)
        head_part = sum_of_squares(head_logs) / (len(head) - 1) / len(head)
        between = math.sqrt(base_part + head_part)
        degrees = between**4 / (base_part**2 / (len(base) - 1) + head_part**2 / (len(head) - 1))
        # A few runs can agree by luck more closely than their own medians are known.
        half_width = t_quantile((1 + confidence) / 2, round(degrees, 1)) * max(between, within)
        method = f"Welch t ({degrees:.1f} df) over per-run medians"
    elif degrees >= 1:
        pooled = (sum_of_squares(base_logs) + sum_of_squares(head_logs)) / degrees
        between = math.sqrt(pooled * (1 / len(base) + 1 / len(head)))
        half_width = t_quantile((1 + confidence) / 2, degrees) * max(between, within)
        method = f"t ({degrees} df, variance pooled: a side has one run) over per-run medians"
    else:
        half_width = NormalDist().inv_cdf((1 + confidence) / 2) * within
        method = "within-run spread only (one run per side)"
    ratio = math.exp(difference)
    low, high = math.exp(difference - half_width), math.exp(difference + half_width)
    return Comparison(
        name=name,
        base_median=math.exp(mean(base_logs)),
        head_median=math.exp(mean(head_logs)),
        ratio=ratio,
        low=low,
        high=high,
        verdict=verdict(ratio, low, high, threshold),
        base_runs=len(base),
        head_runs=len(head),
        method=method,
    )


def verdict(ratio: float, low: float, high: float, threshold: float) -> str:
    """Slower/faster only when significant (interval excludes 1) AND beyond the minimum effect.

    Unchanged when the whole interval lies within the band [1/(1+threshold), 1+threshold];
    too noisy to tell when it reaches outside the band without a significant, large change.
    """
    band_low, band_high = 1 / (1 + threshold), 1 + threshold
    if low > 1 and ratio > band_high:
        return SLOWER
    if high < 1 and ratio < band_low:
        return FASTER
    if low >= band_low and high <= band_high:
        return UNCHANGED
    return NOISY


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


@functools.cache
def t_quantile(probability: float, degrees: float) -> float:
    """Student's t quantile (no scipy): bisection on the CDF, the density integrated by Simpson's rule."""
    if not 0.5 <= probability < 1:
        raise ValueError("probability must be in [0.5, 1)")
    low, high = 0.0, 1.0
    while t_cdf(high, degrees) < probability:
        low, high = high, high * 2
    for _ in range(60):
        middle = (low + high) / 2
        low, high = (middle, high) if t_cdf(middle, degrees) < probability else (low, middle)
    return (low + high) / 2


def t_cdf(x: float, degrees: float, steps: int = 2000) -> float:
    """P(T <= x) for x >= 0."""
    scale = math.exp(math.lgamma((degrees + 1) / 2) - math.lgamma(degrees / 2)) / math.sqrt(degrees * math.pi)

    def density(t: float) -> float:
        return scale * (1 + t * t / degrees) ** (-(degrees + 1) / 2)

    width = x / steps
    inner = sum((4 if i % 2 else 2) * density(i * width) for i in range(1, steps))
    return 0.5 + width / 3 * (density(0) + inner + density(x))
