"""`python -m benchtools tune`: the strongest setting of each hasher that fits a login budget here.

`tune measure` measures on this machine, `tune from-run RUN` reads a saved sweep run: per
hasher, the strongest parameters whose measured median login fits the budget, logins per
second per core, whether they meet OWASP's minimums, the installed Django's defaults for
comparison, a ready-to-paste subclass, and logins per second with 1..N threads.
"""

from __future__ import annotations

import argparse
import importlib
import json
import math
import os
import time

from django.contrib.auth.hashers import PBKDF2PasswordHasher

from benchlib.work_factors import (
    HasherClass,
    django_class_of,
    family_of,
    parameters_of,
    pbkdf2_digest,
    strength,
)
from benchtools import cli, options
from benchtools.errors import ExitCode, ToolError
from benchtools.options import Format
from benchtools.tune.recommend import Recommendation, format_parameters
from benchtools.tune.render import as_json, as_text
from benchtools.tune.saved import SavedSweep, load_sweep_run
from benchtools.tune.search import Measurement, search_strongest, time_verification
from benchtools.tune.threads import thread_scaling
from benchtools.tune.tuning import Tuning

DEFAULT_SETTINGS = "benchsite.settings"


def build_parser() -> argparse.ArgumentParser:
    parser = cli.parser("tune", description=(__doc__ or "").split("\n\n")[1])
    modes = cli.modes(parser)
    measure = cli.mode(modes, "measure", "Time each hasher's parameter sets on this machine and recommend.")
    measure.add_argument("--repeats", type=cli.whole_number(1), default=5, help="timings per parameter set (default 5)")
    measure.add_argument(
        "--threads",
        type=cli.whole_number(0),
        default=os.cpu_count() or 1,
        help="measure logins/s with 1..N threads at the configured parameters (default: cores; 0: skip)",
    )
    measure.add_argument(
        "--thread-seconds",
        type=cli.positive_number,
        default=0.5,
        help="seconds of logins per thread, per thread count and repeat (default 0.5; each count "
        "is timed 3 times, taking turns, and the median kept)",
    )
    saved = cli.mode(modes, "from-run", "Recommend from a saved sweep run (pytest --benchmark-only -m sweep).")
    saved.add_argument("run", metavar="RUN", help="the run's id (0003) or its JSON file")
    options.add_storage(saved)
    for mode in (measure, saved):
        mode.add_argument("--budget-ms", type=cli.positive_number, required=True, help="time one login may take, in ms")
        mode.add_argument("--cores", type=cli.whole_number(1), default=1, help="cores serving logins (default 1)")
        mode.add_argument(
            "--target-logins-per-second",
            type=cli.positive_number,
            metavar="N",
            help="logins per second to sustain: says how many cores each recommendation needs",
        )
        mode.add_argument("--hashers", help="comma-separated algorithm names to tune (default: every tunable one)")
        mode.add_argument(
            "--settings",
            default=os.environ.get("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS),
            help="Django settings module whose PASSWORD_HASHERS to tune (default: $DJANGO_SETTINGS_MODULE "
            f"or {DEFAULT_SETTINGS})",
        )
        options.add_output(mode, plot="write latency against work factor per hasher, with the budget")
    return parser


def main(argv: list[str] | None = None) -> int:
    return cli.main(build_parser(), argv, lambda arguments: tune(tuning_of(arguments)))


def tuning_of(arguments: argparse.Namespace) -> Tuning:
    measuring = arguments.mode == "measure"
    return Tuning(
        budget_ms=arguments.budget_ms,
        cores=arguments.cores,
        target_logins_per_second=arguments.target_logins_per_second,
        hashers=arguments.hashers,
        settings=arguments.settings,
        from_run=None if measuring else options.storage_of(arguments).find(arguments.run),
        repeats=arguments.repeats if measuring else 0,
        threads=arguments.threads if measuring else 0,
        thread_seconds=arguments.thread_seconds if measuring else 0.0,
        output=options.output_of(arguments),
    )


def tune(args: Tuning) -> int:
    started = time.perf_counter()
    setup_django(args.settings)
    from benchlib.hashers import UnknownHasher, configured_hashers, parse_hasher_names

    configured = configured_hashers()
    saved = load_sweep_run(args.from_run) if args.from_run else None
    if saved:
        available = list(saved.points)
    else:
        available = [name for name, path in configured.items() if family_of(import_class(path))]
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
        scaling = (
            [thread_scaling(name, import_class(configured[name]), args.threads, args.thread_seconds) for name in names]
            if args.threads > 0
            else []
        )
    elapsed = time.perf_counter() - started
    if args.output.plot:
        from benchtools.tune.chart import plot_latency

        plot_latency(recommendations, args.budget_ms, args.output.plot)
    if args.output.format == Format.JSON:
        print(json.dumps(as_json(recommendations, scaling, args, elapsed), indent=2))
    else:
        print(as_text(recommendations, scaling, configured, args, elapsed))
    return ExitCode.OK


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


def import_class(path: str) -> HasherClass:
    from django.utils.module_loading import import_string

    return import_string(path)


def saved_hasher_class(saved: SavedSweep, algorithm: str) -> HasherClass:
    """The password-hasher class a saved run names, if it is one this project could use.

    A run file is untrusted: importing whatever it names would run that module's code. Only
    a class in the settings' PASSWORD_HASHERS or one of Django's own hashers is imported.
    """
    from django.conf import settings
    from django.contrib.auth import hashers as django_hashers

    path = saved.classes[algorithm]
    module, _, name = path.rpartition(".")
    djangos = module == django_hashers.__name__ and isinstance(getattr(django_hashers, name, None), type)
    if path not in settings.PASSWORD_HASHERS and not djangos:
        raise ToolError(
            f"{saved.path}: hasher class {path!r} is neither in PASSWORD_HASHERS nor one of Django's; "
            "run tune with the --settings that configure it"
        )
    hasher_class = import_class(path)
    if not (isinstance(hasher_class, type) and issubclass(hasher_class, django_hashers.BasePasswordHasher)):
        raise ToolError(f"{saved.path}: {path!r} is not a password hasher class")
    return hasher_class


def recommend_measured(algorithm: str, path: str, args: Tuning) -> Recommendation:
    """Search the configured class's factor for the budget, starting from its own parameters."""
    hasher_class = import_class(path)
    search = search_strongest(hasher_class, parameters_of(hasher_class), args.budget_ms, args.repeats)
    return Recommendation(
        algorithm,
        hasher_class,
        path,
        search.family,
        digest_of(hasher_class),
        args.budget_ms,
        search.measurements,
        search.best,
        search.next_step,
        django_default=None,
    )


def time_django_default(recommendation: Recommendation, repeats: int) -> Measurement:
    """Django's defaults for the hasher's family, timed the same way; a search's timing of them is
    reused when it has at least 3 samples (stopped early: still a median of 3, all over the budget)."""
    django_class = django_class_of(recommendation.hasher_class)
    defaults = parameters_of(django_class)
    if django_class is recommendation.hasher_class:
        for measurement in recommendation.measurements:
            if measurement.parameters == defaults and measurement.samples >= min(3, repeats):
                return measurement
    return time_verification(django_class, defaults, repeats)


def recommend_saved(algorithm: str, saved: SavedSweep, budget_ms: float) -> Recommendation:
    """The strongest swept parameter set within the budget, and the next stronger one swept."""
    path = saved.classes[algorithm]
    hasher_class = saved_hasher_class(saved, algorithm)
    family = family_of(hasher_class)
    if family is None:
        raise ToolError(f"{saved.path}: {path} has no work factor to tune")
    for measurement in saved.points[algorithm]:
        if set(measurement.parameters) != set(family.parameters):
            raise ToolError(
                f"{saved.path}: {algorithm} swept with parameters {sorted(measurement.parameters)}, "
                f"expected {sorted(family.parameters)}"
            )
    points = sorted(saved.points[algorithm], key=lambda m: strength(family, m.parameters))
    fitting = [m for m in points if m.median_ms <= budget_ms]
    best = fitting[-1] if fitting else None
    stronger = points[points.index(best) + 1 :] if best else []
    django_class = django_class_of(hasher_class)
    defaults = parameters_of(django_class)
    untimed = Measurement(defaults, math.nan, (math.nan, math.nan), 0)
    default = next((m for m in points if m.parameters == defaults), untimed)
    return Recommendation(
        algorithm,
        hasher_class,
        path,
        family,
        digest_of(hasher_class),
        budget_ms,
        points,
        best,
        stronger[0] if stronger else None,
        default,
    )


def digest_of(hasher_class: HasherClass) -> str:
    return pbkdf2_digest(hasher_class) if issubclass(hasher_class, PBKDF2PasswordHasher) else ""
