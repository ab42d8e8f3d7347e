"""compare's wall-time verdicts over 45 benchmarks at a shared 2-core machine's noise, by seeded simulation.

The noise: run medians of the same code scatter by 10% (log-scale standard deviation)
between runs, as measured on such a machine; four runs per side, compare's default.
"""

from __future__ import annotations

from tests.compare_simulation import slower_flags

MACHINE_NOISE = {"between": 0.10, "within": 0.01}
COMPARISON = {"trials": 100, "benchmarks": 45, "runs": 4, "noise": MACHINE_NOISE}


def test_an_a_a_comparison_of_45_benchmarks_rarely_flags_any_slowdown():
    """Holm over the one-sided p-values keeps P(any false 'slower') near its nominal 2.5%."""
    false_alarms, _ = slower_flags(slowdown=0, seed=1, **COMPARISON)
    assert false_alarms <= 0.06


def test_a_doubling_among_45_benchmarks_is_flagged_most_of_the_time_and_nothing_else_is():
    false_alarms, power = slower_flags(slowdown=1.0, seed=2, **COMPARISON)
    assert power >= 0.7 and false_alarms <= 0.06
