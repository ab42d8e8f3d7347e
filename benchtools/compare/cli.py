"""`python -m benchtools compare`: is HEAD slower than BASE? By instruction counts or wall time, and a CI gate.

`compare revisions BASE [HEAD]` runs the benchmarks at two git revisions of this checkout, or,
with --project, of a project's repository; `compare requirements BASE.txt HEAD.txt` runs the
same code under two dependency sets, a venv each; `compare runs --base RUN... --head RUN...`
compares runs already saved. By instructions
(the default where valgrind is installed) each side is counted under callgrind and a
benchmark is slower when its count grew by more than the threshold. By wall time the sides
alternate A B, B A, ... so that the machine's drift lands on both, and a benchmark is slower
when significantly so over the whole comparison and by more than the threshold. Exit code: 1
when a benchmark is slower, 0 otherwise, 2 when the comparison could not be made.
"""

from __future__ import annotations

import argparse
import contextlib
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

from benchlib.instructions import valgrind_version
from benchtools import cli, options
from benchtools.compare import report
from benchtools.compare.counts import WHAT_COUNTS_MISS, compare_counts
from benchtools.compare.sides import (
    Plan,
    Side,
    measure_sides,
    profile_sides,
    project_revision_sides,
    requirement_sides,
    revision_sides,
)
from benchtools.compare.stats import Comparison, Verdict, compare_all
from benchtools.compare.where import Where, where
from benchtools.errors import ExitCode, ToolError
from benchtools.options import Format, Measure, Output
from benchtools.runs import Run, environment_differences, load_run, package_versions

# Timing keeps every benchmark but parametrizes the hasher ones with MD5 only, so the code
# around the hasher shows instead of half a second of PBKDF2 per round (PBKDF2's own cost stays
# in the raw-hashlib and the PBKDF2 API-key and BasicAuthentication scheme benchmarks); 0.25 s
# and at least 3 rounds per benchmark, since the repeats, not long single runs, give the
# between-run variation.
DEFAULT_TIME_ARGS = "--hashers=md5 --benchmark-max-time=0.25 --benchmark-min-rounds=3"
# Counting: MD5 for the hasher-parametrized benchmarks as above, and without the rows that run
# PBKDF2 at Django's default iterations on every call (raw hashlib, Basic and its cached variants
# refusing a bad password, PBKDF2-stored API keys): billions of instructions each, all of them
# OpenSSL's loop, whose count follows from the iterations, which each run records
# (machine_info.hashers) and compare reports when they differ.
DEFAULT_INSTRUCTION_ARGS = (
    "benchmarks --hashers=md5 --deselect=benchmarks/test_hashers.py::test_raw_pbkdf2_hmac_sha256 "
    '"--deselect=benchmarks/test_schemes.py::test_scheme[BasicAuthentication]" '
    '"--deselect=benchmarks/test_schemes.py::test_scheme_bad_credentials[BasicAuthentication" '
    '"--deselect=benchmarks/test_schemes.py::test_scheme[API key (PBKDF2" '
    '"--deselect=benchmarks/test_schemes.py::test_scheme_bad_credentials[API key (PBKDF2"'
)


# A project's own authentication, through its own middleware, its logins and its hashers
# (benchmarks/test_project_auth.py, test_login_paths.py, test_hashers.py's check_password).
PROJECT_SELECTION = (
    "benchmarks/test_project_auth.py benchmarks/test_login_paths.py benchmarks/test_hashers.py::test_check_password"
)


@dataclass(frozen=True)
class Defaults:
    threshold_percent: float
    repeats: int
    pytest_args: str


DEFAULTS = {
    # Instructions: above the largest difference unchanged code showed between two checkouts
    # (docs/compare.md). Time: the noise of a shared machine, over repeated runs.
    Measure.INSTRUCTIONS: Defaults(0.25, 1, DEFAULT_INSTRUCTION_ARGS),
    Measure.TIME: Defaults(5.0, 4, DEFAULT_TIME_ARGS),
}
NO_VALGRIND = "valgrind not found (apt-get install valgrind): comparing wall time instead of instruction counts"


@dataclass(frozen=True)
class Verdicts:
    """What makes a benchmark slower: the minimum effect, and (wall time) the confidence of the intervals."""

    threshold_percent: float | None
    confidence: float

    def threshold(self, measure: Measure) -> float:
        chosen = DEFAULTS[measure].threshold_percent if self.threshold_percent is None else self.threshold_percent
        return chosen / 100


@dataclass(frozen=True)
class Selection:
    """Which benchmarks each side runs, and how often; with a project's settings, the project's own by default."""

    measure: Measure | None
    repeats: int | None
    keyword: str | None
    marker: str | None
    pytest_args: str | None
    settings: str | None = None  # the project's settings module (--ds)

    def arguments(self, measure: Measure) -> list[str]:
        if self.pytest_args is not None:
            chosen = shlex.split(self.pytest_args)
        elif self.settings is not None:
            chosen = shlex.split(PROJECT_SELECTION)
        else:
            chosen = shlex.split(DEFAULTS[measure].pytest_args)
        chosen += ["--ds", self.settings] if self.settings else []
        chosen += ["--instructions"] if measure == Measure.INSTRUCTIONS else []
        chosen += ["-k", self.keyword] if self.keyword else []
        chosen += ["-m", self.marker] if self.marker else []
        return chosen


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
        if measure == Measure.INSTRUCTIONS and run.counting is None:
            raise ToolError(f"{run.path}: no instruction counts (a timed run): compare it with --measure time")
        if measure == Measure.TIME and run.counting is not None:
            raise ToolError(f"{run.path}: an instruction-count run, timed under valgrind: use --measure instructions")


def how_options(pytest_args: list[str]) -> list[str]:
    """The arguments of a selection that set how benchmarks run (the hashers, the project's settings), not which."""
    kept, taking = [], False
    for word in pytest_args:
        if taking or word.startswith(("--hashers=", "--ds=")):
            kept.append(word)
            taking = False
        elif word in ("--hashers", "--ds"):
            kept.append(word)
            taking = True
    return kept


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


def files(runs: list[Run]) -> str:
    return ", ".join(str(run.path) for run in runs)


def side_of(runs: list[Run], label: str | None) -> report.Side:
    return report.Side(describe(runs, label), [{"file": str(run.path), "commit": run.commit} for run in runs])


def describe(runs: list[Run], label: str | None = None) -> str:
    """A side as the report names it: its commits (or `label`, a requirements file's name) and its runs."""
    named = label or "/".join(sorted({run.short_commit for run in runs}))
    return f"{named} ({len(runs)} runs)"
