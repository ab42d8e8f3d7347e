"""`python -m benchtools compare`: is HEAD slower than BASE? By instruction counts or wall time, and a CI gate.

`compare revisions BASE [HEAD]` runs the benchmarks at two git revisions of this checkout, or,
with --project, of a project's repository; `compare requirements BASE.txt HEAD.txt` runs the
same code under two dependency sets, a venv each; `compare runs --base RUN... --head RUN...`
compares runs already saved. By instructions (the default where valgrind is installed) each
side is counted under callgrind and a benchmark is slower when its count grew by more than the
threshold; the benchmarks that moved are then profiled per function on both sides, to say
where. By wall time the sides alternate A B, B A, ... so that the machine's drift lands on
both, and a benchmark is slower when significantly so over the whole comparison and by more
than the threshold. Exit code: 1 when a benchmark is slower, 0 otherwise, 2 when the
comparison could not be made.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

from benchlib.instructions import valgrind_version
from benchtools import cli, options
from benchtools.compare import report
from benchtools.compare.comparing import compare_runs, confirmed, same_code_below, saved_runs_measure
from benchtools.compare.selection import (
    DEFAULT_INSTRUCTION_ARGS,
    DEFAULT_TIME_ARGS,
    DEFAULTS,
    PROJECT_SELECTION,
    Selection,
    Verdicts,
    how_options,
)
from benchtools.compare.sides import (
    Plan,
    Side,
    measure_sides,
    profile_sides,
    project_revision_sides,
    requirement_sides,
    revision_sides,
)
from benchtools.compare.stats import Comparison, Verdict
from benchtools.compare.where import Where, where
from benchtools.errors import ExitCode, ToolError
from benchtools.options import Format, Measure, Output
from benchtools.runs import Run, load_run, package_versions

NO_VALGRIND = "valgrind not found (apt-get install valgrind): comparing wall time instead of instruction counts"


def build_parser() -> argparse.ArgumentParser:
    parser = cli.parser("compare", description=__doc__.split("\n\n", 1)[1])
    modes = cli.modes(parser)
    revisions = cli.mode(
        modes,
        "revisions",
        "Run the benchmarks at two git revisions of this checkout, each in a temporary worktree, and compare "
        "them. CI gate: python -m benchtools compare revisions origin/main HEAD",
    )
    revisions.add_argument("base", metavar="BASE", help="git revision to compare against, e.g. origin/main")
    revisions.add_argument(
        "head", nargs="?", metavar="HEAD", help="git revision to compare; default: this checkout as it is"
    )
    revisions.add_argument(
        "--allow-dirty", action="store_true", help="measure the work tree even with uncommitted changes (HEAD omitted)"
    )
    add_project(revisions, "the revisions are of the project's repository; the suite is this checkout as it is")
    add_running(revisions)
    requirements = cli.mode(
        modes,
        "requirements",
        "Run the same code under two dependency sets and compare them: a venv per requirements file, with the "
        "suite's own pins for every package the file does not name, built once and reused while unchanged.",
    )
    requirements.add_argument("base", type=Path, metavar="BASE.txt", help="the base side's requirements file")
    requirements.add_argument("head", type=Path, metavar="HEAD.txt", help="the head side's requirements file")
    requirements.add_argument(
        "--python", default=sys.executable, help="the Python the venvs are made with (default: this one)"
    )
    requirements.add_argument(
        "--venvs", type=Path, help="where venvs are kept (default: $XDG_CACHE_HOME/drf-auth-bench/venvs)"
    )
    add_project(requirements, "the project measured as it is, under each side's dependencies")
    add_running(requirements)
    runs = cli.mode(modes, "runs", "Compare runs already saved: each side one or more runs.")
    runs.add_argument("--base", nargs="+", required=True, metavar="RUN", help="run ids (0001, ...) or JSON files")
    runs.add_argument("--head", nargs="+", required=True, metavar="RUN", help="run ids or JSON files")
    runs.add_argument(
        "--measure",
        type=Measure,
        choices=list(Measure),
        help="default: instructions when every run has counts, time when none has",
    )
    for mode in (revisions, requirements):
        mode.add_argument(
            "--no-where",
            dest="where",
            action="store_false",
            help="do not profile the benchmarks that moved to say which functions' work changed",
        )
    for mode in (revisions, requirements, runs):
        add_verdicts(mode)
        options.add_output(mode, markdown=True, plot="write a chart of the ratios and intervals")
        options.add_storage(mode)
    return parser


def add_project(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--project",
        type=Path,
        metavar="PATH",
        help=f"the folder holding your project's package, put on PYTHONPATH: {what}; needs --ds",
    )
    parser.add_argument(
        "--ds",
        metavar="SETTINGS",
        help="your project's settings module; by default the benchmarks of your own authentication classes, "
        f"logins and hashers run ({PROJECT_SELECTION})",
    )


def add_running(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--measure",
        type=Measure,
        choices=list(Measure),
        help="instruction counts under valgrind's callgrind, or wall time (default: instructions when valgrind "
        "is installed, else time)",
    )
    parser.add_argument(
        "--repeats",
        type=cli.whole_number(1),
        help="runs per side (default: 1 for instructions, which the load does not change; 4 for time, alternating "
        "A B, B A, ... so each side runs first equally often)",
    )
    parser.add_argument("-k", dest="keyword", metavar="EXPRESSION", help="pytest -k selection, passed through")
    parser.add_argument("-m", dest="marker", metavar="MARKEXPR", help="pytest -m marker selection, passed through")
    parser.add_argument(
        "--pytest-args",
        help="further pytest arguments, replacing the default selection; write it with = (default for time: "
        f'--pytest-args="{DEFAULT_TIME_ARGS}"; for instructions: {DEFAULT_INSTRUCTION_ARGS})',
    )


def add_verdicts(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--threshold",
        type=cli.positive_number,
        help="minimum effect in percent (default: 0.25 for instructions, 5 for time)",
    )
    parser.add_argument(
        "--confidence",
        type=cli.fraction_between(0.5, 1),
        default=0.95,
        help="time: interval confidence; the chance of any false 'slower' over all benchmarks is at most "
        "(1 - confidence) / 2 (default: 0.95)",
    )


def main(argv: list[str] | None = None) -> int:
    return cli.main(build_parser(), argv, dispatch)


def dispatch(arguments: argparse.Namespace) -> int:
    verdicts = Verdicts(arguments.threshold, arguments.confidence)
    output, storage = options.output_of(arguments), options.storage_of(arguments)
    with cli.interrupt_on_sigterm():
        if arguments.mode == "runs":
            base = [load_run(storage.find(run)) for run in arguments.base]
            head = [load_run(storage.find(run)) for run in arguments.head]
            measure = arguments.measure or saved_runs_measure(base + head)
        else:
            if (arguments.project is None) != (arguments.ds is None):
                raise ToolError("--project and --ds go together: the folder holding your project, and its settings")
            selection = Selection(
                arguments.measure,
                arguments.repeats,
                arguments.keyword,
                arguments.marker,
                arguments.pytest_args,
                arguments.ds,
            )
            measure = selection.measure or revisions_measure()
            plan = plan_of(selection, measure, storage.path)
            with sides_of(arguments) as sides:
                base, head = measure_sides(sides, plan)
                comparisons, notes = compare_runs(base, head, measure=measure, verdicts=verdicts)
                moved = [c.name for c in comparisons if c.verdict in (Verdict.SLOWER, Verdict.FASTER)]
                found = where_of(sides, moved, how_options(plan.pytest_args)) if moved and arguments.where else {}
                comparisons = confirmed(comparisons, found, same_code_below=same_code_below(base, head))
            labels = (arguments.base.name, arguments.head.name) if arguments.mode == "requirements" else None
            return report_comparison(comparisons, notes, base, head, verdicts, output, found, labels)
        comparisons, notes = compare_runs(base, head, measure=measure, verdicts=verdicts)
    return report_comparison(comparisons, notes, base, head, verdicts, output)


def sides_of(arguments: argparse.Namespace) -> contextlib.AbstractContextManager[tuple[Side, Side]]:
    """The two sides the arguments name, ready to measure until the block ends."""
    if arguments.mode == "requirements":
        for requirements in (arguments.base, arguments.head):
            if not requirements.is_file():
                raise ToolError(f"{requirements}: no such requirements file")
        project = arguments.project
        sides = requirement_sides(
            arguments.base, arguments.head, project=project, python=arguments.python, venvs=arguments.venvs
        )
        return contextlib.nullcontext(sides)
    if arguments.project is not None:
        return project_revision_sides(
            arguments.project, arguments.base, arguments.head, allow_dirty=arguments.allow_dirty
        )
    return revision_sides(Path.cwd(), arguments.base, arguments.head, allow_dirty=arguments.allow_dirty)


def plan_of(selection: Selection, measure: Measure, storage: Path) -> Plan:
    if measure == Measure.INSTRUCTIONS and valgrind_version() is None:
        raise ToolError("--measure instructions: valgrind is not installed (apt-get install valgrind)")
    repeats = selection.repeats or DEFAULTS[measure].repeats
    return Plan(measure, repeats, selection.arguments(measure), storage.resolve())


def revisions_measure() -> Measure:
    """Instructions where valgrind is installed, else wall time, said in one line."""
    if valgrind_version() is not None:
        return Measure.INSTRUCTIONS
    print(NO_VALGRIND, file=sys.stderr)
    return Measure.TIME


def where_of(sides: tuple[Side, Side], names: list[str], how: list[str]) -> dict[str, Where]:
    """Where each named benchmark's work changed: both sides profiled per function (pytest --attribution)."""
    print(f"profiling {len(names)} benchmarks that moved, on both sides", file=sys.stderr)
    base, head = profile_sides(sides, names, how)
    base_profiles = {bench.fullname: bench.extra_info.where for run in base for bench in run.benchmarks}
    head_profiles = {bench.fullname: bench.extra_info.where for run in head for bench in run.benchmarks}
    found = {}
    for name in names:
        base_profile, head_profile = base_profiles.get(name), head_profiles.get(name)
        if base_profile is not None and head_profile is not None:
            found[name] = where(base_profile, head_profile)
    return found


def report_comparison(
    comparisons: list[Comparison],
    notes: list[str],
    base: list[Run],
    head: list[Run],
    verdicts: Verdicts,
    output: Output,
    found: dict[str, Where] | None = None,
    labels: tuple[str, str] | None = None,
) -> int:
    """Print the comparison as asked (the notes on stderr), draw its chart if asked; the gate's exit code."""
    measure = comparisons[0].measure
    threshold = verdicts.threshold(measure)
    for note in notes:
        print(note, file=sys.stderr)
    if output.plot:
        from benchtools.compare.chart import ratio_chart

        title = f"head {describe(head)} / base {describe(base)}, {measure}"
        ratio_chart(comparisons, output.plot, threshold=threshold, title=title)
    made = report.Report(
        comparisons=comparisons,
        threshold=threshold,
        confidence=verdicts.confidence,
        base=side_of(base, labels and labels[0]),
        head=side_of(head, labels and labels[1]),
        notes=notes,
        packages=package_versions(base, head),
        where=found or {},
    )
    render = {Format.JSON: report.as_json, Format.MARKDOWN: report.markdown, Format.TEXT: report.table}
    print(render[output.format](made))
    return ExitCode.FINDING if made.regression else ExitCode.OK


def side_of(runs: list[Run], label: str | None) -> report.Side:
    return report.Side(describe(runs, label), [{"file": str(run.path), "commit": run.commit} for run in runs])


def describe(runs: list[Run], label: str | None = None) -> str:
    """A side as the report names it: its commits (or `label`, a requirements file's name) and its runs."""
    named = label or "/".join(sorted({run.short_commit for run in runs}))
    return f"{named} ({len(runs)} runs)"
