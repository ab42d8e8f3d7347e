"""Which benchmarks a comparison runs, how, and what makes one of them slower: the defaults of each measure."""

from __future__ import annotations

import shlex
from dataclasses import dataclass

from benchtools.options import Measure

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
    '"--deselect=benchmarks/test_schemes.py::test_scheme_bad_credentials[BasicAuthentication]" '
    '"--deselect=benchmarks/test_schemes.py::test_scheme_bad_credentials[BasicAuthentication, cached]" '
    '"--deselect=benchmarks/test_schemes.py::test_scheme_bad_credentials[BasicAuthentication, cached + revalidated]" '
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
