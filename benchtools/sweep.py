"""Timing hashers at chosen work factors, searching for the strongest within a budget, and threads.

Every timing is of `verify()` on a hash made by a hasher subclass with exactly the
parameters reported (checked against the hash itself), so what is printed is what
was timed. The first `encode()` doubles as the warm-up (library loading, caches).
"""

from __future__ import annotations

import math
import statistics
import threading
import time
from dataclasses import dataclass, field

from benchsite.hashers import hasher_parameters
from benchtools.work_factors import Family, family_of, hasher_with, parameters_of

PASSWORD = "correct horse battery staple"

# Where a continuous factor's search aims: the middle of the bar [75%, 100%] of the
# budget, leaving room for the machine's noise on the way to a median within the budget.
TARGET_FRACTION = 0.875
LOWEST_FRACTION = 0.75
MAX_SEARCH_STEPS = 10


@dataclass
class Measurement:
    """Login (verify) times of one parameter set, in milliseconds."""

    parameters: dict
    samples_ms: list[float]
    stopped_early: bool = False  # a majority of samples was already over the budget

    @property
    def median_ms(self) -> float:
        return statistics.median(self.samples_ms)

    @property
    def spread_ms(self) -> tuple[float, float]:
        return min(self.samples_ms), max(self.samples_ms)


def hash_with(hasher_class: type, parameters: dict):
    """A hasher subclass with exactly `parameters`, and its hash of PASSWORD, checked to carry them."""
    hasher = hasher_with(hasher_class, parameters)
    encoded = hasher.encode(PASSWORD, hasher.salt())
    stored = hasher_parameters(encoded, hasher)
    for name, value in parameters.items():
        # bcrypt's hash calls its rounds "work_factor"
        assert stored.get(name, stored.get("work_factor")) == value, (name, value, stored)
    return hasher, encoded


def time_verification(hasher_class: type, parameters: dict, repeats: int, stop_above_ms: float | None = None) -> Measurement:
    """Time `repeats` verifications of PASSWORD against a hash made with exactly `parameters`.

    With `stop_above_ms`, stop as soon as most of the repeats are over it: the median is then
    known to be over it too, and a step that is far over budget costs little.
    """
    hasher, encoded = hash_with(hasher_class, parameters)
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        accepted = hasher.verify(PASSWORD, encoded)
        samples.append((time.perf_counter() - started) * 1000)
        assert accepted, f"verify() rejected the right password for {parameters}"
        if stop_above_ms is not None and sum(s > stop_above_ms for s in samples) > repeats // 2:
            return Measurement(parameters, samples, stopped_early=len(samples) < repeats)
    return Measurement(parameters, samples)


@dataclass
class Search:
    """Every parameter set a search timed, the strongest one within the budget, and the step above it."""

    family: Family
    budget_ms: float
    measurements: list[Measurement] = field(default_factory=list)
    best: Measurement | None = None
    next_step: Measurement | None = None  # doubling factors: the step up, timed to show it exceeds


def search_strongest(hasher_class: type, start: dict, budget_ms: float, repeats: int) -> Search:
    """The strongest setting of the class's factor within the budget, other parameters as in `start`."""
    family = family_of(hasher_class)
    search = Search(family, budget_ms)

    def measure(value: int) -> Measurement:
        measurement = time_verification(hasher_class, {**start, family.factor: value}, repeats, stop_above_ms=budget_ms)
        search.measurements.append(measurement)
        return measurement

    (climb_doubling if family.doubling else narrow_continuous)(search, measure, start)
    return search


def climb_doubling(search: Search, measure, start: dict) -> None:
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


def narrow_continuous(search: Search, measure, start: dict) -> None:
    """PBKDF2 iterations, Argon2 memory: cost is close to a line in the factor (a fixed overhead plus
    work), so aim at the target along the line through the last two points (at first through zero),
    bracketed by the largest value that fits and the smallest that does not."""
    family, budget = search.family, search.budget_ms
    target = budget * TARGET_FRACTION
    lowest = family.minimum_for(start)
    value = start[family.factor]
    fits: dict[int, Measurement] = {}
    over: dict[int, Measurement] = {}
    previous = None
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


def verify_in_threads(hasher, encoded: str, threads: int, per_thread: int) -> int:
    """Start `threads` threads together, each verifying PASSWORD `per_thread` times; how many were accepted."""
    start = threading.Barrier(threads)
    accepted = [0] * threads

    def worker(index: int) -> None:
        start.wait()
        accepted[index] = sum(bool(hasher.verify(PASSWORD, encoded)) for _ in range(per_thread))

    workers = [threading.Thread(target=worker, args=(index,)) for index in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    return sum(accepted)


def logins_per_thread(hasher, encoded: str, seconds: float) -> int:
    """How many verifications one thread does in about `seconds` (at least 1), from one untimed try."""
    started = time.perf_counter()
    hasher.verify(PASSWORD, encoded)
    return max(1, round(seconds / (time.perf_counter() - started)))


def logins_per_second(hasher, encoded: str, threads: int, seconds: float) -> float:
    """Logins per second that `threads` threads sustain, each verifying for about `seconds`."""
    per_thread = logins_per_thread(hasher, encoded, seconds)
    started = time.perf_counter()
    accepted = verify_in_threads(hasher, encoded, threads, per_thread)
    elapsed = time.perf_counter() - started
    assert accepted == threads * per_thread, "verify() rejected the right password in a thread"
    return accepted / elapsed


def longest_gil_hold(hasher, encoded: str) -> float:
    """The longest stretch, as a fraction of one verification, in which another thread could not run
    Python code: near 1 when the hasher holds the GIL throughout, small when it releases it.

    Unlike logins/s with threads, this does not depend on free cores: it is the question itself.
    """
    done = threading.Event()
    took = []

    def verify() -> None:
        started = time.perf_counter()
        hasher.verify(PASSWORD, encoded)
        took.append(time.perf_counter() - started)
        done.set()

    thread = threading.Thread(target=verify)
    last = time.perf_counter()
    longest = 0.0
    thread.start()
    while not done.is_set():
        now = time.perf_counter()
        longest, last = max(longest, now - last), now
    thread.join()
    return min(1.0, longest / took[0])


@dataclass
class Scaling:
    """Logins per second of one hasher with 1..N threads, and whether it holds the GIL."""

    algorithm: str
    parameters: dict
    per_threads: dict[int, float]
    gil_hold: float | None = None  # longest_gil_hold(); None when read from a saved run

    def speedup(self, threads: int) -> float:
        return self.per_threads.get(threads, math.nan) / self.per_threads[1]


def thread_scaling(algorithm: str, hasher_class: type, max_threads: int, seconds: float, repeats: int = 3) -> Scaling:
    """Median logins per second with 1..max_threads threads at the class's own parameters.

    The thread counts take turns, `repeats` times over, so a change in the machine's other
    load falls on every count alike instead of on whichever ran at that moment.
    """
    parameters = parameters_of(hasher_class)
    hasher, encoded = hash_with(hasher_class, parameters)
    counts = range(1, max_threads + 1)
    rates: dict[int, list[float]] = {n: [] for n in counts}
    for _ in range(repeats):
        for n in counts:
            rates[n].append(logins_per_second(hasher, encoded, n, seconds))
    medians = {n: statistics.median(rates[n]) for n in counts}
    return Scaling(algorithm, parameters, medians, longest_gil_hold(hasher, encoded))
