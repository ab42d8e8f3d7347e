"""`python -m benchtools tune`: the strongest setting of each hasher that fits a login budget here.

Measures on this machine (or reads a saved sweep run): per hasher, the strongest
parameters whose measured median login fits the budget, logins per second per core,
whether they meet OWASP's minimums, the installed Django's defaults for comparison,
a ready-to-paste subclass, and logins per second with 1..N threads.
"""

from __future__ import annotations

import argparse
import importlib
import json
import math
import os
import platform
import sys
import time

from benchtools.recommend import Recommendation, format_parameters, password_hashers_line
from benchtools.sweep import Measurement, search_strongest, thread_scaling, time_verification
from benchtools.sweep_run import SavedRunError, load_sweep_run
from benchtools.work_factors import django_class_of, family_of, pbkdf2_digest, parameters_of, strength

DEFAULT_SETTINGS = "benchsite.settings"
SNIPPET_MODULE = "myproject.hashers"
PROG = "python -m benchtools tune"


class ToolError(Exception):
    """A one-line error for the user."""


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (and --help still prints the full help)."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message}\n")


def positive_number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive number of milliseconds, got {text!r}")
    return value


def whole_number_from(lowest: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if value < lowest:
            raise argparse.ArgumentTypeError(f"must be at least {lowest}, got {text!r}")
        return value

    return parse


positive_int = whole_number_from(1)


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog=PROG, description=__doc__.split("\n\n")[0])
    parser.add_argument("--budget-ms", type=positive_number, required=True, help="time one login may take, in ms")
    parser.add_argument("--cores", type=positive_int, default=1, help="cores serving logins (default 1)")
    parser.add_argument("--target-logins-per-second", type=positive_number, metavar="N",
                        help="logins per second to sustain: says how many cores each recommendation needs")
    parser.add_argument("--hashers", help="comma-separated algorithm names to tune (default: every tunable one)")
    parser.add_argument("--settings", default=os.environ.get("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS),
                        help="Django settings module whose PASSWORD_HASHERS to tune (default: $DJANGO_SETTINGS_MODULE "
                        f"or {DEFAULT_SETTINGS})")
    parser.add_argument("--from-run", metavar="FILE", help="read a saved sweep run instead of measuring")
    parser.add_argument("--repeats", type=positive_int, default=5, help="timings per parameter set (default 5)")
    parser.add_argument("--threads", type=whole_number_from(0), default=os.cpu_count() or 1,
                        help="measure logins/s with 1..N threads at the configured parameters (default: cores; 0: skip)")
    parser.add_argument("--thread-seconds", type=positive_number, default=0.5,
                        help="seconds of logins per thread, per thread count and repeat (default 0.5; each count "
                        "is timed 3 times, taking turns, and the median kept)")
    parser.add_argument("--json", action="store_true", help="print the recommendations as JSON")
    parser.add_argument("--plot", metavar="PNG", help="write latency against work factor per hasher, with the budget")
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exit:
        return int(exit.code or 0)
    try:
        return run(args)
    except ToolError as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return 1


def run(args) -> int:
    started = time.perf_counter()
    setup_django(args.settings)
    from benchsite.hashers import UnknownHasher, configured_hashers, parse_hasher_names

    configured = configured_hashers()
    saved = load_saved(args.from_run) if args.from_run else None
    available = list(saved.points) if saved else [name for name, path in configured.items() if family_of(import_class(path))]
    try:
        names = parse_hasher_names(args.hashers, available) if args.hashers else available
    except UnknownHasher as error:
        where = f"in {args.from_run}" if saved else f"tunable in {args.settings}"
        raise ToolError(f"{error} ({where})") from None
    if not names:
        raise ToolError(f"no tunable hasher (PBKDF2, bcrypt, Argon2, scrypt) in {args.settings}'s PASSWORD_HASHERS")

    recommendations = [
        recommend_saved(name, saved, args.budget_ms) if saved else recommend_measured(name, configured[name], args)
        for name in names
    ]
    if all(r.best is None for r in recommendations):
        cheapest = min((r.cheapest for r in recommendations), key=lambda m: m.median_ms)
        owner = next(r.algorithm for r in recommendations if cheapest in r.measurements)
        raise ToolError(
            f"no parameter set of any hasher fits a {args.budget_ms:g} ms login: the smallest measured cost is "
            f"{cheapest.median_ms:.4g} ms ({owner} {format_parameters(cheapest.parameters)})"
        )
    if saved:
        scaling = [s for s in saved.scaling if s.algorithm in names]
    else:
        for recommendation in recommendations:
            recommendation.django_default = time_django_default(recommendation, args.repeats)
        scaling = [thread_scaling(name, import_class(configured[name]), args.threads, args.thread_seconds)
                   for name in names] if args.threads > 0 else []
    elapsed = time.perf_counter() - started
    if args.plot:
        from benchtools.plot import plot_latency

        try:
            plot_latency(recommendations, args.budget_ms, args.plot)
        except OSError as error:
            raise ToolError(f"{args.plot}: cannot write the plot ({error.strerror or error})") from None
    if args.json:
        print(json.dumps(as_json(recommendations, scaling, args, elapsed), indent=2))
    else:
        print(as_text(recommendations, scaling, configured, args, elapsed))
    return 0


def setup_django(module: str) -> None:
    """Use `module` as the settings; a module that does not import is a ToolError."""
    import django
    from django.conf import settings

    try:
        importlib.import_module(module)
    except Exception as error:  # any failure while importing a settings module is the user's to fix
        raise ToolError(f"settings module {module!r} does not import: {type(error).__name__}: {error}") from None
    if settings.configured:
        # Under override_settings (tests) SETTINGS_MODULE is None; the environment still names it.
        running = settings.SETTINGS_MODULE or os.environ.get("DJANGO_SETTINGS_MODULE")
        if running != module:
            raise ToolError(f"this process already runs with settings {running!r}; run tune afresh")
        return
    os.environ["DJANGO_SETTINGS_MODULE"] = module
    django.setup()


def import_class(path: str) -> type:
    from django.utils.module_loading import import_string

    return import_string(path)


def load_saved(path: str):
    try:
        return load_sweep_run(path)
    except SavedRunError as error:
        raise ToolError(str(error)) from None


def recommend_measured(algorithm: str, path: str, args) -> Recommendation:
    """Search the configured class's factor for the budget, starting from its own parameters."""
    hasher_class = import_class(path)
    search = search_strongest(hasher_class, parameters_of(hasher_class), args.budget_ms, args.repeats)
    return Recommendation(
        algorithm, hasher_class, path, search.family, digest_of(hasher_class), args.budget_ms,
        search.measurements, search.best, search.next_step, django_default=None,
    )


def time_django_default(recommendation: Recommendation, repeats: int) -> Measurement:
    """Django's defaults for the hasher's family, timed the same way; a search's timing of them is
    reused when it has at least 3 samples (stopped early: still a median of 3, all over the budget)."""
    django_class = django_class_of(recommendation.hasher_class)
    defaults = parameters_of(django_class)
    if django_class is recommendation.hasher_class:
        for measurement in recommendation.measurements:
            if measurement.parameters == defaults and len(measurement.samples_ms) >= min(3, repeats):
                return measurement
    return time_verification(django_class, defaults, repeats)


def recommend_saved(algorithm: str, saved, budget_ms: float) -> Recommendation:
    """The strongest swept parameter set within the budget, and the next stronger one swept."""
    path = saved.classes[algorithm]
    try:
        hasher_class = import_class(path)
    except ImportError as error:
        raise ToolError(f"{saved.path}: hasher class {path!r} does not import here ({error})") from None
    family = family_of(hasher_class)
    if family is None:
        raise ToolError(f"{saved.path}: {path} has no work factor to tune")
    points = sorted(saved.points[algorithm], key=lambda m: strength(family, m.parameters))
    fitting = [m for m in points if m.median_ms <= budget_ms]
    best = fitting[-1] if fitting else None
    stronger = points[points.index(best) + 1:] if best else []
    django_class = django_class_of(hasher_class)
    defaults = parameters_of(django_class)
    default = next((m for m in points if m.parameters == defaults), Measurement(defaults, [math.nan]))
    return Recommendation(
        algorithm, hasher_class, path, family, digest_of(hasher_class), budget_ms,
        points, best, stronger[0] if stronger else None, default,
    )


def digest_of(hasher_class: type) -> str:
    return pbkdf2_digest(hasher_class) if family_of(hasher_class).name == "pbkdf2" else ""


def cores_needed(recommendation: Recommendation, target: float) -> int:
    return math.ceil(target / recommendation.logins_per_second_per_core)


def as_json(recommendations, scaling, args, elapsed) -> dict:
    def one(r: Recommendation) -> dict:
        fits = r.best is not None
        entry = {
            "hasher": r.algorithm,
            "hasher_class": r.hasher_path,
            "parameters": r.best.parameters if fits else None,
            "median_ms": r.best.median_ms if fits else None,
            "spread_ms": r.best.spread_ms if fits else None,
            "logins_per_second": r.logins_per_second_per_core if fits else None,
            "logins_per_second_all_cores": r.logins_per_second_per_core * args.cores if fits else None,
            "meets_owasp": r.meets_owasp,
            "owasp_minimum": r.owasp_minimum,
            "budget_check": r.budget_check if fits else None,
            "next_step": {"parameters": r.next_step.parameters, "median_ms": r.next_step.median_ms}
            if r.next_step else None,
            "smallest_measured": {"parameters": r.cheapest.parameters, "median_ms": r.cheapest.median_ms},
            "django_defaults": r.django_default.parameters,
            "django_defaults_median_ms": None if math.isnan(r.django_default.median_ms) else r.django_default.median_ms,
        }
        if args.target_logins_per_second and fits:
            entry["cores_needed"] = cores_needed(r, args.target_logins_per_second)
        return entry

    return {
        "budget_ms": args.budget_ms,
        "cores": args.cores,
        "target_logins_per_second": args.target_logins_per_second,
        "source": args.from_run or "measured",
        "machine": machine_line(),
        "elapsed_s": round(elapsed, 1),
        "recommendations": [one(r) for r in recommendations],
        "thread_scaling": [
            {"hasher": s.algorithm, "parameters": s.parameters, "logins_per_second": s.per_threads,
             "gil_held_fraction": s.gil_hold} for s in scaling
        ],
    }


def machine_line() -> str:
    import django

    return (f"{platform.node()} ({os.cpu_count()} cores, {platform.machine()}), Python {platform.python_version()}, "
            f"Django {django.get_version()}")


def as_text(recommendations, scaling, configured, args, elapsed) -> str:
    source = f"read from {args.from_run}" if args.from_run else (
        f"measured now, {args.repeats} verifications per parameter set")
    lines = [
        f"Strongest hasher settings for a {args.budget_ms:g} ms login on {machine_line()}",
        f"settings: {args.settings}; {source}; medians (min-max spread)",
        "",
    ]
    rows = [("hasher", "strongest within budget", "median ms", "spread ms", "logins/s/core",
             "OWASP min", "Django default", "default ms")]
    for r in recommendations:
        default_ms = "-" if math.isnan(r.django_default.median_ms) else f"{r.django_default.median_ms:.1f}"
        if r.best is None:
            rows.append((r.algorithm, f"none fits (cheapest {r.cheapest.median_ms:.3g} ms)", "-", "-", "-", "no",
                         format_parameters(r.django_default.parameters), default_ms))
            continue
        low, high = r.best.spread_ms
        rows.append((r.algorithm, format_parameters(r.best.parameters), f"{r.best.median_ms:.1f}",
                     f"{low:.1f}-{high:.1f}", f"{r.logins_per_second_per_core:.1f}",
                     "yes" if r.meets_owasp else "NO", format_parameters(r.django_default.parameters), default_ms))
    lines += table(rows)
    lines += ["", "Checks:"]
    for r in recommendations:
        if r.best is not None:
            lines.append(f"  {r.algorithm}: {r.budget_check}")
    lines += ["", "OWASP minimums (" + "OWASP Password Storage Cheat Sheet, May 2023 revision" + "):"]
    for family in dict.fromkeys((r.family.name, r.digest) for r in recommendations):
        lines.append(f"  {family[0]}{'-' + family[1] if family[1] else ''}: "
                     f"{next(r for r in recommendations if (r.family.name, r.digest) == family).owasp_minimum}")
    if args.cores > 1 or args.target_logins_per_second:
        lines += ["", f"Capacity with {args.cores} core(s):"]
        for r in recommendations:
            if r.best is None:
                continue
            line = f"  {r.algorithm}: {r.logins_per_second_per_core * args.cores:.1f} logins/s"
            if args.target_logins_per_second:
                needed = cores_needed(r, args.target_logins_per_second)
                verdict = "meets" if needed <= args.cores else "MISSES"
                line += (f"; {verdict} {args.target_logins_per_second:g} logins/s "
                         f"(needs {needed} core{'s' if needed > 1 else ''})")
            lines.append(line)
    tuned = [r for r in recommendations if r.best is not None]
    lines += ["", f"# {SNIPPET_MODULE.replace('.', '/')}.py  (paste, then use the PASSWORD_HASHERS below)"]
    lines += sorted({r.import_line() for r in tuned})
    for r in tuned:
        lines += ["", "", r.subclass_code()]
    lines += ["", "# settings.py"]
    lines.append(password_hashers_line(configured, recommendations, SNIPPET_MODULE))
    if scaling:
        lines += ["", "Logins per second with 1..N threads at the configured parameters (speed-up against 1 thread);",
                  "GIL held: the longest time other threads could not run Python, as a share of one login:"]
        counts = sorted(scaling[0].per_threads)
        rows = [("hasher", *(f"{n} thread{'s' if n > 1 else ''}" for n in counts), "GIL held")]
        for s in scaling:
            held = "-" if s.gil_hold is None else f"{s.gil_hold:.0%}"
            rows.append((s.algorithm, *(f"{s.per_threads.get(n, math.nan):.1f} ({s.speedup(n):.2f}x)" for n in counts),
                         held))
        lines += table(rows)
    lines += ["", f"tune took {elapsed:.0f} s"]
    return "\n".join(lines)


def table(rows: list[tuple]) -> list[str]:
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows]
