"""The GitHub workflows docs/ci/ ships for a project's repository: least privilege, nothing untrusted in a
shell line, and the compare command they run is the one .ci/run runs (with this repository's example project
and HEAD for both sides standing in for the pull request's commits)."""

from __future__ import annotations

import re
import shlex

import pytest
import yaml

from benchtools.compare.cli import build_parser
from tests.runs import ROOT

GATE = ROOT / "docs" / "ci" / "drf-auth-bench.yml"
COMMENT = ROOT / "docs" / "ci" / "drf-auth-bench-comment.yml"
# The pull request's values as the gate hands them to its shell, and what .ci/run runs in their place.
STAND_INS = {
    "$BASE_SHA": "HEAD",
    "$HEAD_SHA": "HEAD",
    "$GITHUB_WORKSPACE/project/$PROJECT_FOLDER": "tests/projects",
    "$SETTINGS_MODULE": "customauth.settings",
}


def workflow(path) -> dict:
    return yaml.safe_load(path.read_text())


def run_scripts(flow: dict) -> list[str]:
    return [step["run"] for job in flow["jobs"].values() for step in job["steps"] if "run" in step]


def test_each_workflow_asks_for_the_least_it_needs():
    gate, comment = workflow(GATE), workflow(COMMENT)
    # PyYAML reads the `on:` key as True.
    assert set(gate[True]) == {"pull_request"} and gate["permissions"] == {"contents": "read"}
    assert set(comment[True]) == {"workflow_run"} and comment["permissions"] == {
        "actions": "read",
        "pull-requests": "write",
    }
    assert all("permissions" not in job for flow in (gate, comment) for job in flow["jobs"].values())
    # The workflow that may write runs nothing of the pull request: it checks nothing out.
    assert not any("checkout" in step.get("uses", "") for step in comment["jobs"]["comment"]["steps"])
    checkouts = [step for step in gate["jobs"]["gate"]["steps"] if "checkout" in step.get("uses", "")]
    assert checkouts and all(step["with"]["persist-credentials"] is False for step in checkouts)


@pytest.mark.parametrize("path", [GATE, COMMENT], ids=lambda path: path.name)
def test_no_expression_is_written_into_a_shell_line(path):
    """`${{ ... }}` in a run script is pasted into the shell before it runs: a branch name could be a command."""
    for script in run_scripts(workflow(path)):
        assert "${{" not in script, script


def test_the_pull_request_number_is_checked_before_it_is_used():
    (script,) = run_scripts(workflow(COMMENT))
    assert script.index("*[!0-9]*") < script.index("gh pr view") < script.index("gh pr comment")
    assert '"$head" != "$MEASURED_SHA"' in script


def gate_command() -> str:
    script = next(s for s in run_scripts(workflow(GATE)) if "benchtools compare" in s)
    joined = script.replace("\\\n", " ")
    (line,) = [line for line in joined.splitlines() if "benchtools compare" in line]
    command = line.strip().removeprefix("../venv/bin/").split(" > ")[0]
    for variable, stand_in in STAND_INS.items():
        command = command.replace(f'"{variable}"', stand_in)
    return re.sub(r"\s+", " ", command)


def test_the_gate_runs_the_project_compare_that_ci_runs():
    command = gate_command()
    assert command.startswith("python -m benchtools compare revisions HEAD HEAD --project tests/projects")
    assert command in (ROOT / ".ci" / "run").read_text()
    arguments = build_parser().parse_args(shlex.split(command)[4:])
    assert (arguments.mode, arguments.ds, arguments.markdown) == ("revisions", "customauth.settings", True)
