"""What each hasher's login costs across its work factors, for tuning on this or another machine.

`pytest --benchmark-only -m sweep` times the grids below and saves them; `python -m benchtools
tune --from-run FILE` reads the saved run back (each benchmark's extra_info holds the hasher
and the exact parameters). The grids are expensive, so pytest.ini deselects `sweep`; the
cheapest point of each family is unmarked, so every test run proves the sweep code works.
"""

import pytest
from django.utils.module_loading import import_string

from benchlib.credentials import PASSWORD
from benchlib.formats.records import SweepPoint, recorded
from benchlib.harness import selected_hashers
from benchlib.hashers import configured_hashers, hasher_parameters
from benchlib.hashing import hash_with
from benchlib.work_factors import family_of, parameters_of

# Grids around Django's defaults and OWASP's minimums (600,000 PBKDF2-SHA256 iterations,
# bcrypt 10, Argon2id 19 MiB/t=2 and 46 MiB/t=1, scrypt 2^17).
ITERATIONS = [100_000, 250_000, 500_000, 750_000, 1_000_000, 1_500_000]
BCRYPT_ROUNDS = [8, 9, 10, 11, 12, 13]
ARGON2_MEMORY_KIB = [19_456, 47_104, 65_536, 102_400]
ARGON2_TIME_COST = [1, 2, 3]
SCRYPT_N = [2**13, 2**14, 2**15, 2**16, 2**17]


def sweep_grid(family: str, configured: dict) -> list[dict]:
    """The swept parameter sets of a family; parameters not swept stay as the configured class sets them."""
    if family == "pbkdf2":
        return [{"iterations": n} for n in ITERATIONS]
    if family == "bcrypt":
        return [{"rounds": n} for n in BCRYPT_ROUNDS]
    if family == "argon2":  # with Django's lanes and with one lane, as OWASP's rows
        lanes = sorted({configured["parallelism"], 1})
        return [
            {"time_cost": t, "memory_cost": m, "parallelism": p}
            for p in lanes
            for t in ARGON2_TIME_COST
            for m in ARGON2_MEMORY_KIB
        ]
    return [{**configured, "work_factor": n} for n in SCRYPT_N]


def cheapest_point(family: str, configured: dict) -> dict:
    return {
        "pbkdf2": {"iterations": 1000},
        "bcrypt": {"rounds": 4},
        "argon2": {
            "time_cost": 1,
            "memory_cost": 8 * configured.get("parallelism", 1),
            "parallelism": configured.get("parallelism", 1),
        },
        "scrypt": {**configured, "work_factor": 2**4},
    }[family]


def pytest_generate_tests(metafunc):
    if "sweep_parameters" not in metafunc.fixturenames:
        return
    cases = []
    for algorithm in selected_hashers(metafunc.config):
        path = configured_hashers()[algorithm]
        hasher_class = import_string(path)
        family = family_of(hasher_class)
        if family is None:
            continue  # no work factor (MD5)
        configured = parameters_of(hasher_class)
        points = [(cheapest_point(family.name, configured), ())]
        points += [(parameters, pytest.mark.sweep) for parameters in sweep_grid(family.name, configured)]
        for parameters, marks in points:
            words = "-".join(f"{name}={value}" for name, value in parameters.items())
            cases.append(pytest.param(algorithm, path, parameters, marks=marks, id=f"{algorithm}-{words}"))
    metafunc.parametrize(("sweep_algorithm", "sweep_hasher_path", "sweep_parameters"), cases)


def test_verify_at_work_factor(benchmark, sweep_algorithm, sweep_hasher_path, sweep_parameters):
    hasher_class = import_string(sweep_hasher_path)
    hasher, encoded = hash_with(hasher_class, sweep_parameters)
    benchmark.group = f"work-factor sweep: {sweep_algorithm}"
    point = SweepPoint(sweep_algorithm, sweep_hasher_path, family_of(hasher_class).name, sweep_parameters)
    benchmark.extra_info.update(recorded(sweep=point))
    benchmark.extra_info["hasher_parameters"] = hasher_parameters(encoded, hasher)
    assert benchmark(hasher.verify, PASSWORD, encoded) is True
    assert hasher.verify("not " + PASSWORD, encoded) is False
