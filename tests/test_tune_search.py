import time

import hypothesis.strategies as st
import pytest
from django.contrib.auth.hashers import BCryptSHA256PasswordHasher, PBKDF2PasswordHasher
from hypothesis import given

from benchlib.credentials import PASSWORD
from benchlib.hashing import hash_with, verify_in_threads
from benchlib.work_factors import family_of
from benchtools.tune.search import (
    LOWEST_FRACTION,
    Measurement,
    Search,
    climb_doubling,
    narrow_continuous,
    time_verification,
)
from benchtools.tune.threads import longest_gil_hold
from tests.projects.customauth.hashers import LightPBKDF2PasswordHasher


def modelled(cost_ms):
    """A measure() whose cost follows a model, to test the searches without a clock."""

    def measure(search, factor):
        def timed(value):
            measurement = Measurement.of({factor: value}, [cost_ms(value)])
            search.measurements.append(measurement)
            return measurement

        return timed

    return measure


@given(
    overhead=st.floats(0, 0.5),
    per_unit=st.floats(1e-6, 1e-2),
    budget=st.floats(1, 1000),
    start=st.integers(1, 5_000_000),
)
def test_continuous_search_lands_within_25_percent_of_the_budget(overhead, per_unit, budget, start):
    search = Search(family_of(PBKDF2PasswordHasher), budget)
    cost = lambda n: overhead + per_unit * n  # noqa: E731
    narrow_continuous(search, modelled(cost)(search, "iterations"), {"iterations": start})
    assert search.best is not None
    assert (
        LOWEST_FRACTION * budget <= search.best.median_ms <= budget
        or cost(search.best.parameters["iterations"] + 1) > budget
    )


def test_continuous_search_reports_nothing_when_the_minimum_is_over_budget():
    search = Search(family_of(PBKDF2PasswordHasher), 0.001)
    narrow_continuous(search, modelled(lambda n: 0.01 + n)(search, "iterations"), {"iterations": 1000})
    assert search.best is None
    assert min(m.parameters["iterations"] for m in search.measurements) == 1


@given(per_round=st.floats(1e-4, 1), budget=st.floats(1, 5000))
def test_doubling_search_stops_where_the_next_step_exceeds(per_round, budget):
    search = Search(family_of(BCryptSHA256PasswordHasher), budget)
    cost = lambda rounds: per_round * 2**rounds  # noqa: E731
    climb_doubling(search, modelled(cost)(search, "rounds"), {"rounds": 12})
    if cost(4) > budget:
        assert search.best is None
    else:
        assert search.best.median_ms <= budget
        assert search.next_step.parameters["rounds"] == search.best.parameters["rounds"] + 1
        assert search.next_step.median_ms > budget


def test_time_verification_times_the_parameters_it_reports():
    measurement = time_verification(LightPBKDF2PasswordHasher, {"iterations": 1_234}, repeats=3)
    assert measurement.parameters == {"iterations": 1_234}
    assert measurement.samples == 3 and not measurement.stopped_early


def test_time_verification_stops_once_most_repeats_are_over_the_limit():
    measurement = time_verification(LightPBKDF2PasswordHasher, {"iterations": 1_000}, repeats=5, stop_above_ms=0)
    assert measurement.stopped_early and measurement.samples == 3


def test_hash_with_refuses_a_hash_without_the_asked_parameters(monkeypatch):
    monkeypatch.setattr(
        LightPBKDF2PasswordHasher,
        "encode",
        lambda self, password, salt, iterations=None: PBKDF2PasswordHasher.encode(self, password, salt, 999),
    )
    with pytest.raises(AssertionError):
        hash_with(LightPBKDF2PasswordHasher, {"iterations": 1_000})


def test_threads_verify_every_login_and_count_the_accepted_ones():
    hasher, encoded = hash_with(LightPBKDF2PasswordHasher, {"iterations": 100})
    assert verify_in_threads(hasher, encoded, threads=3, per_thread=4) == 12
    wrong = hasher.encode("not " + PASSWORD, hasher.salt())
    assert verify_in_threads(hasher, wrong, threads=2, per_thread=2) == 0


class SleepingHasher:
    """verify() waits without the GIL, as hashers whose C code releases it do."""

    def verify(self, password, encoded):
        time.sleep(0.2)
        return True


class SortingHasher:
    """verify() is one long C call that keeps the GIL (sorting a big list)."""

    def __init__(self):
        self.numbers = [(i * 7919) % 300_007 for i in range(300_000)]  # scrambled, so sorting takes time

    def verify(self, password, encoded):
        sorted(self.numbers)
        return True


def test_a_hasher_holding_the_gil_stops_other_threads_for_most_of_a_login():
    assert longest_gil_hold(SortingHasher(), "") > 0.5


def test_a_hasher_releasing_the_gil_lets_other_threads_run():
    assert longest_gil_hold(SleepingHasher(), "") < 0.5


def test_doubling_search_times_a_surprising_step_again():
    search = Search(family_of(BCryptSHA256PasswordHasher), 100)
    noisy = iter([1, 2, 4, 8, 16, 32, 300, 64, 128])  # rounds 4..9 double; round 10 once hit by noise
    climb_doubling(
        search,
        lambda rounds: (
            search.measurements.append(Measurement.of({"rounds": rounds}, [next(noisy)])) or search.measurements[-1]
        ),
        {"rounds": 12},
    )
    assert search.best.parameters == {"rounds": 10} and search.best.median_ms == 64
    assert search.next_step.parameters == {"rounds": 11} and search.next_step.median_ms == 128
