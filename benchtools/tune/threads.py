"""Logins per second with 1..N threads, and whether a hasher holds the GIL while it hashes."""

from __future__ import annotations

import math
import statistics
import threading
import time
from dataclasses import dataclass

from django.contrib.auth.hashers import BasePasswordHasher

from benchlib.credentials import PASSWORD
from benchlib.hashing import hash_with, logins_per_thread, verify_in_threads
from benchlib.work_factors import HasherClass, WorkParameters, parameters_of


def logins_per_second(hasher: BasePasswordHasher, encoded: str, threads: int, seconds: float) -> float:
    """Logins per second that `threads` threads sustain, each verifying for about `seconds`."""
    per_thread = logins_per_thread(hasher, encoded, seconds)
    started = time.perf_counter()
    accepted = verify_in_threads(hasher, encoded, threads, per_thread)
    elapsed = time.perf_counter() - started
    assert accepted == threads * per_thread, "verify() rejected the right password in a thread"
    return accepted / elapsed


def longest_gil_hold(hasher: BasePasswordHasher, encoded: str) -> float:
    """The longest stretch, as a fraction of one verification, in which another thread could not run
    Python code: near 1 when the hasher holds the GIL throughout, small when it releases it.

    Unlike logins/s with threads, this does not depend on free cores: it is the question itself.
    """
    done = threading.Event()
    took: list[float] = []

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
    parameters: WorkParameters
    per_threads: dict[int, float]
    gil_hold: float | None = None  # longest_gil_hold(); None when read from a saved run

    def speedup(self, threads: int) -> float:
        return self.per_threads.get(threads, math.nan) / self.per_threads[1]


def thread_scaling(
    algorithm: str, hasher_class: HasherClass, max_threads: int, seconds: float, repeats: int = 3
) -> Scaling:
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
