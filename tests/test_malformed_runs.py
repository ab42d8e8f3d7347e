"""Every subcommand given a malformed saved run: a one-line error naming the file, exit 2, storage untouched.

Run files are made by mutating a valid one, an instruction-count run (values of the wrong type,
numbers that are not finite, positive or whole, missing keys, truncated text, bytes that are
not UTF-8), each with a fixed seed so that a failure names a case that can be run again: a
thousand in CI, 300 in the local test run. Each file is given to compare, history, schemes
and tune from-run in this process, and half as many mutations of a saved e2e run to e2e show:
a traceback (any exception escaping main) or an error that is not one line naming the file
fails the test.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import random
from pathlib import Path

import pytest

from benchlib.formats.json_files import as_builtins
from benchlib.formats.records import (
    BAD_CREDENTIALS_GROUP,
    SCHEMES_GROUP,
    ProjectRecord,
    SchemeRow,
    SweepPoint,
    ThreadsPoint,
    recorded,
)
from benchtools.compare.cli import main as compare
from benchtools.e2e.cli import main as e2e
from benchtools.history.cli import main as history
from benchtools.schemes.cli import main as schemes
from benchtools.tune.cli import main as tune
from tests.conftest import MALFORMED_RUNS, untrusted_input_profile
from tests.saved_runs import e2e_run_content, file_hashes, noisy_times, run_content

CASES = MALFORMED_RUNS[untrusted_input_profile()]  # 300 in the local test run, 1,000 in CI's
E2E_CASES = CASES // 2  # a smaller tree than a benchmark run's: fewer cases reach each of its fields as often
BCRYPT = "django.contrib.auth.hashers.BCryptPasswordHasher"
WRONG_VALUES = ["x", "", None, True, False, [], {}, [1.0], {"a": 1}, -1, 0, -0.0, 2**70, 1e-320, 1e308, "1.0"]
NOT_FINITE = [float("nan"), float("inf"), float("-inf")]


def valid_run() -> dict:
    """A run with everything the tools read: plain benchmarks, scheme rows, sweep points, the project record,
    each benchmark with instruction counts as `pytest --instructions` saves them, and the hashers' parameters."""
    names = [f"benchmarks/test_m.py::test_{n}" for n in range(6)]
    counts = {name: [1000 * (i + 1) + call for call in range(3)] for i, name in enumerate(names)}
    content = run_content(
        {name: noisy_times(1e-3 * (i + 1), seed=i, rounds=5) for i, name in enumerate(names)}, counts=counts
    )
    content["machine_info"]["hashers"] = {"bcrypt": {"rounds": 12}, "pbkdf2_sha256": {"iterations": 1_000_000}}
    benches = content["benchmarks"]
    benches[0].update(group=SCHEMES_GROUP)
    benches[0]["extra_info"].update(recorded(scheme=SchemeRow("no authentication", "no", 0)))
    benches[1].update(group=SCHEMES_GROUP)
    benches[1]["extra_info"].update(recorded(scheme=SchemeRow("token", "no", 1)))
    benches[2].update(group=BAD_CREDENTIALS_GROUP)
    benches[2]["extra_info"].update(recorded(scheme=SchemeRow("token", "no", 1, 401)))
    benches[3]["extra_info"].update(recorded(sweep=SweepPoint("bcrypt", BCRYPT, "bcrypt", {"rounds": 4})))
    benches[4]["extra_info"].update(recorded(sweep=SweepPoint("bcrypt", BCRYPT, "bcrypt", {"rounds": 5})))
    benches[5]["extra_info"].update(recorded(threads=ThreadsPoint("bcrypt", BCRYPT, 1, 10)))
    content["machine_info"]["project"] = as_builtins(
        ProjectRecord("myproject.settings", {"myproject.auth.Cert": "no maker"})
    )
    return content


def paths_in(tree, prefix=()) -> list[tuple]:
    """Every path to a value in a JSON tree, as a tuple of keys and indices."""
    found = [prefix]
    children = tree.items() if isinstance(tree, dict) else enumerate(tree) if isinstance(tree, list) else []
    for key, child in children:
        found += paths_in(child, (*prefix, key))
    return found


def mutated(content: dict, rng: random.Random) -> bytes:
    """The run with one to three mutations applied, as the bytes of a file."""
    paths = paths_in(content)[1:]
    content = json.loads(json.dumps(content))
    for path in rng.sample(paths, min(len(paths), rng.randint(1, 3))):
        *parents, last = path
        try:
            parent = content
            for key in parents:
                parent = parent[key]
            operation = rng.random()
            if operation < 0.3:
                del parent[last]
            elif operation < 0.45:
                parent[last] = rng.choice(NOT_FINITE)
            else:
                parent[last] = copy.deepcopy(rng.choice(WRONG_VALUES))
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed or replaced what this path led to
    text = json.dumps(content).encode()
    ending = rng.random()
    if ending < 0.1:
        return text[: rng.randrange(len(text))]
    if ending < 0.13:
        return text.replace(b'"', b'"\xff', 1)
    return text


def outcome(main, argv: list[str]) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(argv)
    return status, err.getvalue()


@pytest.fixture
def storage(tmp_path) -> Path:
    folder = tmp_path / ".benchmarks" / "Linux-CPython-3.11-64bit"
    folder.mkdir(parents=True)
    (folder / "0001_base.json").write_text(json.dumps(valid_run()))
    return folder.parent


def judged(main, argv: list[str], case_file: Path, *, allowed_exits: tuple[int, ...]) -> tuple[str | None, bool]:
    """What is wrong with a tool's answer to a mutated run (None if nothing), and whether it was an error (exit 2).

    An error must be one line naming the file; any other exit must be one of `allowed_exits`.
    """
    try:
        status, err = outcome(main, argv)
    except BaseException as error:
        return f"{type(error).__name__}: {error}", False
    if status == 2:
        one_line_naming_the_file = err.count("\n") == 1 and str(case_file) in err
        return (None if one_line_naming_the_file else f"not one line naming the file: {err!r}"), True
    return (None if status in allowed_exits else f"exit {status}"), False


def test_malformed_runs_are_each_a_one_line_error_naming_the_file(storage, capsys):
    base = storage / "Linux-CPython-3.11-64bit" / "0001_base.json"
    case_file = storage / "Linux-CPython-3.11-64bit" / "0002_case.json"
    content = valid_run()
    problems, errors = [], 0
    for case in range(CASES):
        case_file.write_bytes(mutated(content, random.Random(case)))
        before = file_hashes(storage)
        runs = {
            "compare": (compare, ["runs", "--base", str(base), "--head", str(case_file)]),
            "history --measure instructions": (
                history,
                ["--storage", str(storage), "--run", str(case_file), "--measure", "instructions", "--benchmark", "*"],
            ),
            "schemes": (schemes, [str(case_file)]),
            "tune": (tune, ["from-run", str(case_file), "--budget-ms", "100"]),
        }
        for name, (main, argv) in runs.items():
            problem, error = judged(main, argv, case_file, allowed_exits=(0,) if name == "schemes" else (0, 1))
            errors += error
            if problem:
                problems.append(f"case {case}, {name}: {problem}")
        if file_hashes(storage) != before:
            problems.append(f"case {case}: storage changed")
    assert problems == []
    assert errors >= CASES  # the mutations bite: most cases are errors for most tools


def test_a_corrupt_file_in_storage_is_skipped_by_history_with_a_one_line_warning(storage, capsys):
    corrupt = storage / "Linux-CPython-3.11-64bit" / "0002_case.json"
    corrupt.write_bytes(mutated(valid_run(), random.Random(7))[:50])
    status, err = outcome(history, ["--storage", str(storage)])
    assert status == 0 and err.count("\n") == 1 and str(corrupt) in err and err.startswith("warning: skipped")


def test_malformed_e2e_runs_are_each_a_one_line_error_naming_the_file(tmp_path):
    content = json.loads(json.dumps(e2e_run_content()))
    case_file = tmp_path / "0001_case.json"
    problems, errors = [], 0
    for case in range(E2E_CASES):
        case_file.write_bytes(mutated(content, random.Random(case)))
        problem, error = judged(e2e, ["show", str(case_file)], case_file, allowed_exits=(0,))
        errors += error
        if problem:
            problems.append(f"case {case}: {problem}")
    assert problems == []
    assert errors >= E2E_CASES * 3 // 4  # the mutations bite: most cases are errors
