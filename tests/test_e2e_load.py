"""benchtools.e2e.load: what wrk's report line means; a fast 401 is an error, never a request served."""

from __future__ import annotations

import json

import pytest

from benchtools.e2e.load import RESULT_MARK, parse
from benchtools.errors import ToolError


def wrk_output(statuses: list[dict], **errors) -> str:
    result = {"duration_us": 2_000_000, "responses": 0, "statuses": statuses, "connect": 0, "read": 0, "write": 0,
              "timeout": 0, "p50_us": 1500, "p99_us": 9000, **errors}  # fmt: skip
    return "Running 2s test\n" + RESULT_MARK + json.dumps(result) + "\n"


def test_statuses_of_every_thread_are_added_and_only_200s_are_served(tmp_path):
    load = parse(wrk_output([{"200": 10, "401": 5}, {"200": 4}], timeout=2, read=1), 0, tmp_path / "log")
    assert load.statuses == {200: 14, 401: 5}
    assert load.served(200) == 14 and load.requests_per_second(200) == 7.0
    assert load.errors(200) == 5 + 3  # the 401s, a timeout twice, a failed read
    assert (load.p50_ms, load.p99_ms) == (1.5, 9.0)


def test_all_401_is_no_request_served():
    load = parse(wrk_output([{"401": 900}]), 0, None)
    assert load.requests_per_second(200) == 0 and load.errors(200) == 900


def test_no_response_at_all_has_no_latency():
    load = parse(wrk_output([{}], timeout=4), 0, None)
    assert (load.p50_ms, load.p99_ms, load.errors(200)) == (None, None, 4)


@pytest.mark.parametrize("output, returncode", [("", 0), ("Running 2s test\n", 0), (wrk_output([{"200": 1}]), 1)])
def test_wrk_without_a_result_is_a_tool_error_quoting_its_log(output, returncode, tmp_path):
    log = tmp_path / "wrk.log"
    log.write_text("unable to connect to 127.0.0.1:1 Connection refused\n")
    with pytest.raises(ToolError, match="no result: unable to connect"):
        parse(output, returncode, log)
