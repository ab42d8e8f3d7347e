"""Is HEAD slower than BASE in instructions? Each benchmark's relative change of count against the threshold.

A count (benchlib/instructions.py) does not depend on the machine's load. There is no
sampling noise to test against, so the verdict is the relative change of the medians
against the threshold, which must exceed what unchanged code moves between two checkouts
(docs/compare.md). The range shown is from the counted calls (head's fewest over base's
most, head's most over base's fewest). Runs of one side that disagree by more than the
threshold are too noisy to tell: something in the measurement moved, not the code.
"""

from __future__ import annotations

import statistics

from benchlib.formats.records import InstructionCounts
from benchtools.compare.stats import Comparison, Verdict
from benchtools.options import Measure

WHAT_COUNTS_MISS = (
    "note: instruction counts miss what costs time without executing instructions: cache misses, "
    "memory bandwidth, I/O and lock waits; compare wall time (--measure time) for changes there"
)


def compare_counts(
    name: str, base: list[InstructionCounts], head: list[InstructionCounts], *, threshold: float
) -> Comparison:
    base_median = statistics.median(record.median for record in base)
    head_median = statistics.median(record.median for record in head)
    ratio = head_median / base_median
    base_calls = [count for record in base for count in record.calls]
    head_calls = [count for record in head for count in record.calls]
    if max(disagreement(base), disagreement(head)) > threshold:
        decided = Verdict.NOISY
    elif ratio > 1 + threshold:
        decided = Verdict.SLOWER
    elif ratio < 1 / (1 + threshold):
        decided = Verdict.FASTER
    else:
        decided = Verdict.UNCHANGED
    return Comparison(
        name=name,
        base_median=base_median,
        head_median=head_median,
        ratio=ratio,
        low=min(head_calls) / max(base_calls),
        high=max(head_calls) / min(base_calls),
        verdict=decided,
        base_runs=len(base),
        head_runs=len(head),
        method=f"instruction counts, median of {len(base_calls)} and {len(head_calls)} counted calls",
        measure=Measure.INSTRUCTIONS,
    )


def disagreement(records: list[InstructionCounts]) -> float:
    """How far one side's runs disagree: the largest median over the smallest, less 1."""
    medians = [record.median for record in records]
    return max(medians) / min(medians) - 1
