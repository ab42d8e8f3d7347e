"""Timing a hasher at chosen work factors, and searching for the strongest setting within a budget.

Every timing is of `verify()` on a hash made by a hasher subclass with exactly the
parameters reported (checked against the hash itself), so what is printed is what
was timed. The first `encode()` doubles as the warm-up (library loading, caches).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from benchlib.credentials import PASSWORD
from benchlib.hashing import hash_with
from benchlib.work_factors import Family, HasherClass, WorkParameters, tunable_family

# Where a continuous factor's search aims: the middle of [75%, 100%] of the budget, the band a
# recommendation for a continuous factor must land in, leaving room for the machine's noise.
TARGET_FRACTION = 0.875
LOWEST_FRACTION = 0.75
MAX_SEARCH_STEPS = 10


@dataclass(frozen=True)
class Measurement:
    """Login (verify) time of one parameter set: the median and the spread (min, max) in milliseconds."""

    parameters: WorkParameters
    median_ms: float
    spread_ms: tuple[float, float]
    samples: int
    stopped_early: bool = False  # a majority of samples was already over the budget

    @classmethod
    def of(cls, parameters: WorkParameters, samples_ms: list[float], stopped_early: bool = False) -> Measurement:
        spread = (min(samples_ms), max(samples_ms))
        return cls(parameters, statistics.median(samples_ms), spread, len(samples_ms), stopped_early)


def time_verification(
    hasher_class: HasherClass, parameters: WorkParameters, repeats: int, stop_above_ms: float | None = None
) -> Measurement:
    """Time `repeats` verifications of PASSWORD against a hash made with exactly `parameters`.

    With `stop_above_ms`, stop as soon as most of the repeats are over it: the median is then
    known to be over it too, and a step that is far over budget costs little.
    """
    hasher, encoded = hash_with(hasher_class, parameters)
    samples: list[float] = []
    for _ in range(repeats):
        started = time.perf_counter()
        accepted = hasher.verify(PASSWORD, encoded)
        samples.append((time.perf_counter() - started) * 1000)
        assert accepted, f"verify() rejected the right password for {parameters}"
        if stop_above_ms is not None and sum(s > stop_above_ms for s in samples) > repeats // 2:
            return Measurement.of(parameters, samples, stopped_early=len(samples) < repeats)
    return Measurement.of(parameters, samples)


@dataclass
class Search:
    """Every parameter set a search timed, the strongest one within the budget, and the step above it."""

    family: Family
    budget_ms: float
    measurements: list[Measurement] = field(default_factory=list)
    best: Measurement | None = None
    next_step: Measurement | None = None  # doubling factors: the step up, timed to show it exceeds


def search_strongest(hasher_class: HasherClass, start: WorkParameters, budget_ms: float, repeats: int) -> Search:
    """The strongest setting of the class's factor within the budget, other parameters as in `start`."""
    family = tunable_family(hasher_class)
    search = Search(family, budget_ms)

    def measure(value: int) -> Measurement:
        measurement = time_verification(hasher_class, {**start, family.factor: value}, repeats, stop_above_ms=budget_ms)
        search.measurements.append(measurement)
        return measurement

    (climb_doubling if family.doubling else narrow_continuous)(search, measure, start)
    return search


def climb_doubling(search: Search, measure: Callable[[int], Measurement], start: WorkParameters) -> None:
    """bcrypt rounds, scrypt N: step up from the minimum until a step exceeds the budget.

    Each step doubles the work, so a step over budget right after one under half of it is the
    machine's noise more likely than the hasher: that step is timed once more before it counts.
    """
    family = search.family
    value, top = family.minimum_for(start), family.maximum_for(start)
    while True:
        measurement = measure(value)
        if measurement.median_ms > search.budget_ms and search.best and 2 * search.best.median_ms <= search.budget_ms:
            measurement = measure(value)
        if measurement.median_ms > search.budget_ms:
            search.next_step = measurement if search.best else None
            return
        search.best = measurement
        if value >= top:
            return
        value = family.next_factor(value)


def narrow_continuous(search: Search, measure: Callable[[int], Measurement], start: WorkParameters) -> None:
    """PBKDF2 iterations, Argon2 memory: cost is close to a line in the factor (a fixed overhead plus
    work), so aim at the target along the line through the last two points (at first through zero),
    bracketed by the largest value that fits and the smallest that does not."""
    family, budget = search.family, search.budget_ms
    target = budget * TARGET_FRACTION
    lowest = family.minimum_for(start)
    value = start[family.factor]
    fits: dict[int, Measurement] = {}
    over: dict[int, Measurement] = {}
    previous: tuple[int, float] | None = None  # the last value timed, and its median
    for _ in range(MAX_SEARCH_STEPS):
        measurement = measure(value)
        (fits if measurement.median_ms <= budget else over)[value] = measurement
        if LOWEST_FRACTION * budget <= measurement.median_ms <= budget:
            break
        slope = measurement.median_ms / value
        if previous is not None and previous[0] != value:
            slope = (measurement.median_ms - previous[1]) / (value - previous[0])
        if slope <= 0:  # noise hid the trend: fall back to proportional scaling
            slope = measurement.median_ms / value
        guess = max(lowest, round(value + (target - measurement.median_ms) / slope))
        if fits:
            guess = max(guess, max(fits) + 1)
        if over:
            guess = min(guess, min(over) - 1)
        if guess < lowest or guess in fits or guess in over:
            break  # bracket closed, or even the smallest value is over budget
        previous, value = (value, measurement.median_ms), guess
    if fits:
        search.best = fits[max(fits)]
