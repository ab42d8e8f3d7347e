"""What tune prints: the recommendations as a table with checks, snippets to paste, and thread scaling; or JSON."""

from __future__ import annotations

import math
import os
import platform
from typing import Any

from benchlib import formatting
from benchtools.tune.owasp import SOURCE
from benchtools.tune.recommend import Recommendation, format_parameters, password_hashers_line
from benchtools.tune.threads import Scaling
from benchtools.tune.tuning import Tuning

SNIPPET_MODULE = "myproject.hashers"


def cores_needed(recommendation: Recommendation, target: float) -> int:
    return math.ceil(target / recommendation.logins_per_second_per_core)


def as_json(
    recommendations: list[Recommendation], scaling: list[Scaling], args: Tuning, elapsed: float
) -> dict[str, Any]:
    def one(r: Recommendation) -> dict[str, Any]:
        best, default = r.best, r.django_default_timed
        fits = best is not None
        entry = {
            "hasher": r.algorithm,
            "hasher_class": r.hasher_path,
            "parameters": best.parameters if best else None,
            "median_ms": best.median_ms if best else None,
            "spread_ms": best.spread_ms if best else None,
            "logins_per_second": r.logins_per_second_per_core if fits else None,
            "logins_per_second_all_cores": r.logins_per_second_per_core * args.cores if fits else None,
            "meets_owasp": r.meets_owasp,
            "owasp_minimum": r.owasp_minimum,
            "budget_check": r.budget_check if fits else None,
            "next_step": {"parameters": r.next_step.parameters, "median_ms": r.next_step.median_ms}
            if r.next_step
            else None,
            "smallest_measured": {"parameters": r.cheapest.parameters, "median_ms": r.cheapest.median_ms},
            "django_defaults": default.parameters,
            "django_defaults_median_ms": None if math.isnan(default.median_ms) else default.median_ms,
        }
        if args.target_logins_per_second and fits:
            entry["cores_needed"] = cores_needed(r, args.target_logins_per_second)
        return entry

    return {
        "budget_ms": args.budget_ms,
        "cores": args.cores,
        "target_logins_per_second": args.target_logins_per_second,
        "source": str(args.from_run) if args.from_run else "measured",
        "machine": machine_line(),
        "elapsed_s": round(elapsed, 1),
        "recommendations": [one(r) for r in recommendations],
        "thread_scaling": [
            {
                "hasher": s.algorithm,
                "parameters": s.parameters,
                "logins_per_second": s.per_threads,
                "gil_held_fraction": s.gil_hold,
            }
            for s in scaling
        ],
    }


def machine_line() -> str:
    import django

    return (
        f"{platform.node()} ({os.cpu_count()} cores, {platform.machine()}), Python {platform.python_version()}, "
        f"Django {django.get_version()}"
    )


def as_text(
    recommendations: list[Recommendation],
    scaling: list[Scaling],
    configured: dict[str, str],
    args: Tuning,
    elapsed: float,
) -> str:
    source = (
        f"read from {args.from_run}"
        if args.from_run
        else (f"measured now, {args.repeats} verifications per parameter set")
    )
    lines = [
        f"Strongest hasher settings for a {args.budget_ms:g} ms login on {machine_line()}",
        f"settings: {args.settings}; {source}; medians (min-max spread)",
        "",
    ]
    rows: list[tuple[str, ...]] = [
        (
            "hasher",
            "strongest within budget",
            "median ms",
            "spread ms",
            "logins/s/core",
            "OWASP min",
            "Django default",
            "default ms",
        )
    ]
    for r in recommendations:
        default = r.django_default_timed
        default_ms = "-" if math.isnan(default.median_ms) else f"{default.median_ms:.1f}"
        if r.best is None:
            rows.append(
                (
                    r.algorithm,
                    f"none fits (cheapest {r.cheapest.median_ms:.3g} ms)",
                    "-",
                    "-",
                    "-",
                    "no",
                    format_parameters(default.parameters),
                    default_ms,
                )
            )
            continue
        low, high = r.best.spread_ms
        rows.append(
            (
                r.algorithm,
                format_parameters(r.best.parameters),
                f"{r.best.median_ms:.1f}",
                f"{low:.1f}-{high:.1f}",
                f"{r.logins_per_second_per_core:.1f}",
                "yes" if r.meets_owasp else "NO",
                format_parameters(default.parameters),
                default_ms,
            )
        )
    lines += formatting.aligned(rows)
    lines += ["", "Checks:"]
    for r in recommendations:
        if r.best is not None:
            lines.append(f"  {r.algorithm}: {r.budget_check}")
    lines += ["", f"OWASP minimums ({SOURCE}):"]
    for family in dict.fromkeys((r.family.name, r.digest) for r in recommendations):
        lines.append(
            f"  {family[0]}{'-' + family[1] if family[1] else ''}: "
            f"{next(r for r in recommendations if (r.family.name, r.digest) == family).owasp_minimum}"
        )
    if args.cores > 1 or args.target_logins_per_second:
        lines += ["", f"Capacity with {args.cores} core(s):"]
        for r in recommendations:
            if r.best is None:
                continue
            line = f"  {r.algorithm}: {r.logins_per_second_per_core * args.cores:.1f} logins/s"
            if args.target_logins_per_second:
                needed = cores_needed(r, args.target_logins_per_second)
                verdict = "meets" if needed <= args.cores else "MISSES"
                line += (
                    f"; {verdict} {args.target_logins_per_second:g} logins/s "
                    f"(needs {needed} core{'s' if needed > 1 else ''})"
                )
            lines.append(line)
    tuned = [r for r in recommendations if r.best is not None]
    lines += ["", f"# {SNIPPET_MODULE.replace('.', '/')}.py  (paste, then use the PASSWORD_HASHERS below)"]
    lines += sorted({r.import_line() for r in tuned})
    for r in tuned:
        lines += ["", "", r.subclass_code()]
    lines += ["", "# settings.py"]
    lines.append(password_hashers_line(configured, recommendations, SNIPPET_MODULE))
    if scaling:
        lines += [
            "",
            "Logins per second with 1..N threads at the configured parameters (speed-up against 1 thread);",
            "GIL held: the longest time other threads could not run Python, as a share of one login:",
        ]
        counts = sorted(scaling[0].per_threads)
        rows = [("hasher", *(f"{n} thread{'s' if n > 1 else ''}" for n in counts), "GIL held")]
        for s in scaling:
            held = "-" if s.gil_hold is None else f"{s.gil_hold:.0%}"
            rows.append(
                (s.algorithm, *(f"{s.per_threads.get(n, math.nan):.1f} ({s.speedup(n):.2f}x)" for n in counts), held)
            )
        lines += formatting.aligned(rows)
    lines += ["", f"tune took {elapsed:.0f} s"]
    return "\n".join(lines)
