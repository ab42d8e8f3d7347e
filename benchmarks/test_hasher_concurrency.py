"""Logins per second with 1, 2 and 4 threads per hasher, at the configured parameters.

A hasher whose C code releases the GIL scales with threads up to the cores; one that holds
it does not. That decides what one worker process with threads can sustain. Each round
starts the threads together and times until the last verification ends; extra_info has
the logins per round, so logins per second is logins_per_round / median.
"""

import pytest
from django.utils.module_loading import import_string

from benchlib.credentials import PASSWORD
from benchlib.formats.records import ThreadsPoint, recorded
from benchlib.hashers import configured_hashers, hasher_parameters
from benchlib.hashing import logins_per_thread, verify_in_threads

THREADS = [1, 2, 4]
SECONDS_PER_THREAD = 0.2  # per round; rounds are repeated by pytest-benchmark's calibration


@pytest.mark.sweep
@pytest.mark.parametrize("threads", THREADS, ids=[f"{n}-threads" for n in THREADS])
def test_logins_with_threads(benchmark, hasher_name, threads):
    path = configured_hashers()[hasher_name]
    hasher = import_string(path)()
    encoded = hasher.encode(PASSWORD, hasher.salt())
    per_thread = logins_per_thread(hasher, encoded, SECONDS_PER_THREAD)
    benchmark.group = f"logins with threads: {hasher_name}"
    benchmark.extra_info.update(recorded(threads=ThreadsPoint(hasher_name, path, threads, threads * per_thread)))
    benchmark.extra_info["hasher_parameters"] = hasher_parameters(encoded, hasher)
    accepted = benchmark(verify_in_threads, hasher, encoded, threads, per_thread)
    assert accepted == threads * per_thread
