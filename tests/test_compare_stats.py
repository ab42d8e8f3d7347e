from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchlib.formats.benchmark_run import Stats
from benchtools.compare.stats import (
    Comparison,
    LogDifference,
    Verdict,
    compare_all,
    compare_timings,
    holm,
    verdict,
)
from tests.saved_runs import noisy_times


def timings(median: float, *, iqr: float, rounds: int, data=None) -> Stats:
    """One run's stats as the reader gives them; only the median, IQR, rounds and raw times matter here."""
    return Stats(median=median, iqr=iqr, q1=median, q3=median, minimum=median, maximum=median, rounds=rounds, data=data)


def runs_around(median: float, *, runs: int = 3, between: float = 0.005, seed: int = 0) -> list[Stats]:
    """`runs` runs whose medians scatter by `between` (relative), each with raw round times."""
    result = []
    for index in range(runs):
        shift = 1 + between * (index - (runs - 1) / 2)
        data = noisy_times(median * shift, seed=seed + index)
        result.append(timings(median=median * shift, iqr=0.0, rounds=len(data), data=tuple(data)))
    return result


def compare(base, head, threshold=0.05):
    return compare_timings("b", base, head, threshold=threshold, confidence=0.95)


def test_same_timings_on_both_sides_are_unchanged():
    result = compare(runs_around(1e-3, seed=1), runs_around(1e-3, seed=11))
    assert result.verdict == Verdict.UNCHANGED
    assert 1 / 1.05 <= result.low <= result.ratio <= result.high <= 1.05


def test_a_twenty_percent_slowdown_is_slower_and_within_its_interval():
    result = compare(runs_around(1e-3, seed=1), runs_around(1.2e-3, seed=11))
    assert result.verdict == Verdict.SLOWER
    assert result.low < 1.2 < result.high


def test_a_twenty_percent_speedup_is_faster():
    assert compare(runs_around(1.2e-3, seed=1), runs_around(1e-3, seed=11)).verdict == Verdict.FASTER


def test_a_significant_change_smaller_than_the_threshold_is_not_flagged():
    result = compare(runs_around(1e-3, seed=1), runs_around(1.02e-3, seed=11))
    assert result.low > 1 and result.verdict == Verdict.UNCHANGED


def test_scattered_runs_are_too_noisy_to_tell():
    base, head = runs_around(1e-3, between=0.2, seed=1), runs_around(1.08e-3, between=0.2, seed=11)
    assert compare(base, head).verdict == Verdict.NOISY


def test_between_run_scatter_widens_the_interval():
    tight = compare(runs_around(1e-3, seed=1), runs_around(1e-3, seed=11))
    scattered = compare(runs_around(1e-3, between=0.1, seed=1), runs_around(1e-3, between=0.1, seed=11))
    assert math.log(scattered.high / scattered.low) > 3 * math.log(tight.high / tight.low)


def test_runs_agreeing_by_luck_keep_their_within_run_spread():
    """Three identical medians per side: the interval still reflects each run's own noise."""
    data = tuple(noisy_times(1e-3, seed=3, spread=0.3))
    same = [timings(median=1e-3, iqr=0.0, rounds=len(data), data=data)] * 3
    result = compare(same, same)
    assert result.ratio == pytest.approx(1) and result.high > 1.01


def test_one_run_per_side_uses_the_within_run_spread_and_is_no_gate():
    result = compare(runs_around(1e-3, runs=1, seed=1), runs_around(1.3e-3, runs=1, seed=11))
    assert (
        result.verdict == Verdict.WITHIN_RUN_SLOWER and "within-run" in result.method and result.low < 1.3 < result.high
    )


def test_a_run_without_raw_timings_uses_its_iqr():
    narrow = timings(median=1e-3, iqr=1e-6, rounds=100, data=None)
    wide = timings(median=1e-3, iqr=1e-3, rounds=100, data=None)
    assert compare([narrow], [narrow]).verdict == Verdict.UNCHANGED
    assert compare([wide], [wide]).verdict == Verdict.NOISY


def judged(ratio: float, low: float, high: float, p_slower: float = 0.5, p_faster: float = 0.5) -> str:
    comparison = Comparison("b", 1.0, ratio, ratio, low, high, "", 3, 3, "t", p_slower=p_slower, p_faster=p_faster)
    return verdict(comparison, 0.05, 0.025)


@pytest.mark.parametrize(
    ("ratio", "low", "high", "p_slower", "p_faster", "expected"),
    [
        (1.10, 1.06, 1.14, 0.001, 1, Verdict.SLOWER),
        (1.10, 1.01, 1.19, 0.02, 1, Verdict.SLOWER),  # significant, and the estimate is beyond 5%
        (1.10, 1.01, 1.19, 0.03, 1, Verdict.NOISY),  # the same, not significant once adjusted over the comparison
        (1.04, 1.01, 1.07, 0.01, 1, Verdict.NOISY),  # significant but may or may not exceed 5%
        (1.10, 0.98, 1.23, 0.2, 1, Verdict.NOISY),  # large but not significant
        (1.02, 0.99, 1.04, 0.1, 0.9, Verdict.UNCHANGED),
        (0.90, 0.86, 0.94, 1, 0.001, Verdict.FASTER),
    ],
)
def test_verdict_needs_adjusted_significance_and_the_minimum_effect(ratio, low, high, p_slower, p_faster, expected):
    assert judged(ratio, low, high, p_slower, p_faster) == expected


def test_holm_multiplies_the_smallest_p_by_the_family_size_and_never_lets_adjusted_p_decrease():
    adjusted = holm({"a": 0.01, "b": 0.04, "c": 0.03, "d": 0.5})
    assert adjusted == pytest.approx({"a": 0.04, "c": 0.09, "b": 0.09, "d": 0.5})


def test_a_slowdown_significant_alone_is_not_flagged_among_many_unchanged_benchmarks():
    base, head = runs_around(1e-3, between=0.02, seed=1), runs_around(1.08e-3, between=0.02, seed=11)
    alone = compare_timings("b", base, head, threshold=0.05, confidence=0.95)
    family = {"b": (base, head)} | {f"same{i}": (base, base) for i in range(44)}
    among = next(c for c in compare_all(family, threshold=0.05, confidence=0.95) if c.name == "b")
    assert alone.verdict == Verdict.SLOWER and among.p_slower > alone.p_slower and among.ratio == alone.ratio


@pytest.mark.parametrize(("degrees", "below", "above"), [(2.4, 2, 3), (7.9, 7, 8)])
def test_fractional_degrees_of_freedom_are_used_as_they_are(degrees, below, above):
    """Rounding the degrees of freedom up would narrow the interval: the quantile lies between its neighbours'."""

    def quantile(df):
        return LogDifference(0.0, 1.0, df, "t").quantile(0.975)

    assert quantile(above) < quantile(degrees) < quantile(below)


@pytest.mark.parametrize(
    ("probability", "degrees", "expected"), [(0.975, 1, 12.7062), (0.975, 4, 2.7764), (0.995, 10, 3.1693)]
)
def test_t_quantile_matches_published_tables(probability, degrees, expected):
    assert LogDifference(0.0, 1.0, degrees, "t").quantile(probability) == pytest.approx(expected, abs=1e-3)


medians = st.lists(st.floats(min_value=1e-7, max_value=10), min_size=1, max_size=5)


@settings(deadline=None)
@given(medians, medians)
def test_interval_contains_the_ratio_and_swapping_sides_inverts_it(base_medians, head_medians):
    base = [timings(median=m, iqr=m / 10, rounds=10, data=None) for m in base_medians]
    head = [timings(median=m, iqr=m / 10, rounds=10, data=None) for m in head_medians]
    forward, backward = compare(base, head), compare(head, base)
    assert forward.low <= forward.ratio <= forward.high
    assert math.isclose(forward.ratio * backward.ratio, 1, rel_tol=1e-9)
    assert math.isclose(forward.low * backward.high, 1, rel_tol=1e-9)


def test_a_side_whose_runs_scatter_is_not_mistaken_for_a_slowdown():
    """Per-run medians (µs) of a real A/B where only HEAD's runs shared the CPU with other work."""
    base = [timings(median=m * 1e-6, iqr=0.0, rounds=300, data=None) for m in (629.3, 632.5, 607.3)]
    head = [timings(median=m * 1e-6, iqr=0.0, rounds=300, data=None) for m in (1020.2, 1048.5, 762.3)]
    result = compare(base, head)
    assert result.verdict == Verdict.NOISY and result.low < 1 and "Welch" in result.method
