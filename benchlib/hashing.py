"""A hasher at exactly chosen work parameters, and verifications in threads: what the sweep
benchmarks and `benchtools tune` both time, so that both time the same thing."""

from __future__ import annotations

import threading
import time

from django.contrib.auth.hashers import BasePasswordHasher

from benchlib.credentials import PASSWORD
from benchlib.hashers import hasher_parameters
from benchlib.work_factors import HasherClass, WorkParameters, hasher_with


def hash_with(hasher_class: HasherClass, parameters: WorkParameters) -> tuple[BasePasswordHasher, str]:
    """A hasher subclass with exactly `parameters`, and its hash of PASSWORD, checked to carry them."""
    hasher = hasher_with(hasher_class, parameters)
    encoded = hasher.encode(PASSWORD, hasher.salt())
    stored = hasher_parameters(encoded, hasher)
    for name, value in parameters.items():
        # bcrypt's hash calls its rounds "work_factor"
        assert stored.get(name, stored.get("work_factor")) == value, (name, value, stored)
    return hasher, encoded


def verify_in_threads(hasher: BasePasswordHasher, encoded: str, threads: int, per_thread: int) -> int:
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


def logins_per_thread(hasher: BasePasswordHasher, encoded: str, seconds: float) -> int:
    """How many verifications one thread does in about `seconds` (at least 1), from one untimed try."""
    started = time.perf_counter()
    hasher.verify(PASSWORD, encoded)
    return max(1, round(seconds / (time.perf_counter() - started)))
