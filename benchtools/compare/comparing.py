"""Two sides' saved runs set against each other: every benchmark they have in common, by counts or by time."""

from __future__ import annotations

from dataclasses import replace

from benchtools.compare.counts import WHAT_COUNTS_MISS, compare_counts
from benchtools.compare.selection import Verdicts
from benchtools.compare.stats import Comparison, Verdict, compare_all
from benchtools.compare.where import Where
from benchtools.errors import ToolError
from benchtools.options import Measure
from benchtools.runs import Run, environment_differences, package_versions


def saved_runs_measure(runs: list[Run]) -> Measure:
    """Instructions when every run has counts, wall time when none has; a mix is an error."""
    counted = [run for run in runs if run.counting is not None]
    if len(counted) == len(runs):
        return Measure.INSTRUCTIONS
    if counted:
        timed = [run for run in runs if run.counting is None]
        raise ToolError(f"{files(timed)}: no instruction counts, unlike {files(counted)}: compare runs made alike")
    return Measure.TIME


def compare_runs(
    base: list[Run], head: list[Run], *, measure: Measure, verdicts: Verdicts
) -> tuple[list[Comparison], list[str]]:
    """Compare every benchmark the two sides have in common; notes say what was left out or assumed."""
    check_measured(base + head, measure)
    threshold = verdicts.threshold(measure)
    notes = environment_differences(base + head)
    base_by_name = [run.by_name() for run in base]
    head_by_name = [run.by_name() for run in head]
    base_names: set[str] = set().union(*base_by_name)
    head_names: set[str] = set().union(*head_by_name)
    common = sorted(base_names & head_names)
    if not common:
        raise ToolError(f"no benchmark in common between {files(base)} and {files(head)}")
    one_sided = sorted(base_names ^ head_names)
    if one_sided:
        listed = ", ".join(one_sided[:5]) + (", ..." if len(one_sided) > 5 else "")
        notes.append(f"note: {len(one_sided)} benchmarks in only one side, not compared: {listed}")

    def benchmarks(runs_by_name: list[dict], name: str) -> list:
        return [by_name[name] for by_name in runs_by_name if name in by_name]

    if measure == Measure.INSTRUCTIONS:
        notes.append(WHAT_COUNTS_MISS)
        comparisons = [
            compare_counts(
                name,
                [bench.instructions for bench in benchmarks(base_by_name, name)],
                [bench.instructions for bench in benchmarks(head_by_name, name)],
                threshold=threshold,
            )
            for name in common
        ]
        return comparisons, notes
    without_data = [run.path.name for run in base + head if not any(bench.stats.data for bench in run.benchmarks)]
    if without_data:
        notes.append(
            f"note: no raw timings (saved without --benchmark-save-data) in {', '.join(without_data)}: "
            "their within-run spread is estimated from the IQR"
        )
    if len(base) + len(head) < 3:
        notes.append(
            "note: one run per side: intervals cover within-run variation only, not between runs; "
            "a slowdown so found does not fail the gate (run --repeats 2 or more)"
        )
    timings = {
        name: (
            [bench.stats for bench in benchmarks(base_by_name, name)],
            [bench.stats for bench in benchmarks(head_by_name, name)],
        )
        for name in common
    }
    return compare_all(timings, threshold=threshold, confidence=verdicts.confidence), notes


def check_measured(runs: list[Run], measure: Measure) -> None:
    """Instruction counts need counted runs; wall time needs timed ones (a counted run's times are valgrind's)."""
    for run in runs:
        if run.content.machine_info.profiled:
            raise ToolError(f"{run.path}: made with pytest --attribution: its timings are of profiled calls")
        if measure == Measure.INSTRUCTIONS and run.counting is None:
            raise ToolError(f"{run.path}: no instruction counts (a timed run): compare it with --measure time")
        if measure == Measure.TIME and run.counting is not None:
            raise ToolError(f"{run.path}: an instruction-count run, timed under valgrind: use --measure instructions")


# How far a count may move with the same work on both sides before a change of C code (a hasher's
# work factor, an extension's loop) is the likelier reason than the process's own state.
SAME_WORK_BOUND = 0.01


def confirmed(comparisons: list[Comparison], found: dict[str, Where], *, same_code_below: bool) -> list[Comparison]:
    """The verdicts, a count that moved called `same work` where the two sides' profiles show the same work.

    Only when both sides ran the same interpreter and packages (`same_code_below`): then the same
    bytecode and calls in every function mean the same C code ran on the same data, and what moved
    is the process (its allocator and caches), not the code. A move beyond SAME_WORK_BOUND stands.
    """
    if not same_code_below:
        return comparisons
    return [
        replace(comparison, verdict=Verdict.SAME_WORK)
        if comparison.name in found and found[comparison.name].same_work and abs(comparison.ratio - 1) < SAME_WORK_BOUND
        else comparison
        for comparison in comparisons
    ]


def same_code_below(base: list[Run], head: list[Run]) -> bool:
    """Whether both sides ran the same Python and the same packages (all of them recorded)."""
    pythons = {run.content.machine_info.python_version for run in base + head}
    return (
        len(pythons) == 1
        and all(run.content.machine_info.packages for run in base + head)
        and not package_versions(base, head)
    )


def files(runs: list[Run]) -> str:
    return ", ".join(str(run.path) for run in runs)
