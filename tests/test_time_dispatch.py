"""time_dispatch checks what it timed: a fast 401 or the wrong user fails the benchmark."""

import pytest

from tests.runs import run_pytest

CASES = "tests/time_dispatch_cases.py"


@pytest.mark.parametrize("mode", [["--benchmark-only", "--benchmark-max-time=0.01"], []], ids=["timed", "test-run"])
def test_wrong_outcomes_fail_and_right_ones_pass(mode, tmp_path):
    result = run_pytest(CASES, "--hashers=md5", f"--benchmark-storage={tmp_path}", "-q", *mode)
    summary = result.stdout.strip().splitlines()[-1]
    assert summary.startswith("2 failed, 2 passed"), result.stdout
    assert "FAILED tests/time_dispatch_cases.py::test_a_401_is_not_a_success[md5]" in result.stdout
    assert "FAILED tests/time_dispatch_cases.py::test_an_anonymous_200_is_not_the_expected_user[md5]" in result.stdout
