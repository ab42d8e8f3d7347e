"""The fault drills without servers: the figures read from the servers' response log, the saved format, the
report, and the drill's usage errors. (tests/test_e2e_drills_served.py runs them under load.)"""

from __future__ import annotations

import json

import msgspec
import pytest

from benchlib.formats.e2e_run import OutageDrill, RevocationDrill, decode_run, encode_run
from benchtools.e2e import responses
from benchtools.e2e.cli import main
from benchtools.e2e.report import as_text
from benchtools.e2e.responses import Response
from benchtools.runs import load_e2e_run
from tests.saved_runs import e2e_run_content

MS = 1_000_000  # nanoseconds
SAVE_CALLED, COMMITTED = 1000 * MS, 1010 * MS


def test_the_log_is_read_line_by_line_and_a_line_cut_short_is_left_out(tmp_path):
    log = tmp_path / "responses.log"
    log.write_text("1 2 200 good-1\n3 4 401 revoked-2\n5 6 20")
    assert responses.read(log) == [Response(1, 2, 200, "good-1"), Response(3, 4, 401, "revoked-2")]
    assert responses.read(log, since=len("1 2 200 good-1\n")) == [Response(3, 4, 401, "revoked-2")]
    assert responses.read(tmp_path / "none.log") == [] and responses.size(tmp_path / "none.log") == 0


def test_a_revocations_200s_are_before_the_commit_in_flight_across_it_or_after_it():
    log = [
        Response(900 * MS, 950 * MS, 200, "r"),  # before
        Response(1005 * MS, 1015 * MS, 200, "r"),  # received during save(), answered after the commit: in flight
        Response(1010 * MS, 1012 * MS, 200, "r"),  # received at the very moment save() returned: in flight
        Response(1011 * MS, 1020 * MS, 200, "r"),  # received after: accepted wrongly
        Response(1008 * MS, 1009 * MS, 401, "r"),  # refused before save() returned: the commit comes first
        Response(1012 * MS, 1030 * MS, 401, "r"),
        Response(1013 * MS, 1040 * MS, 500, "r"),
    ]
    found = responses.revocation(log, SAVE_CALLED, COMMITTED)
    assert (found.accepted_before, found.in_flight, found.accepted_after_commit) == (1, 2, 1)
    assert (found.refused, found.other) == (2, {"500": 1})
    assert found.first_refusal_ms == 9.0


def test_a_revocation_never_refused_has_no_first_refusal():
    found = responses.revocation([Response(900 * MS, 950 * MS, 200, "r")], SAVE_CALLED, COMMITTED)
    assert found.first_refusal_ms is None and found.refused == 0


def answered_every(step_ms: int, start_ms: int, end_ms: int, status: int = 200) -> list[Response]:
    return [Response((t - 1) * MS, t * MS, status, "good") for t in range(start_ms, end_ms, step_ms)]


def test_the_rate_counts_200s_answered_in_the_interval():
    log = answered_every(10, 0, 1000) + answered_every(10, 0, 1000, status=500)
    assert responses.rate(log, 0, 1000 * MS) == pytest.approx(100.0)
    assert responses.rate(log, 500 * MS, 500 * MS) == 0.0


def test_recovery_is_when_a_window_after_the_service_is_back_holds_half_the_rate_before():
    # 100/s before; nothing for 300 ms after the service is back at 2 s; then 100/s again.
    log = answered_every(10, 0, 1000) + answered_every(10, 2300, 4000)
    assert responses.recovery_seconds(log, 2000 * MS, 4000 * MS, 100.0) == pytest.approx(0.05, abs=0.011)
    assert responses.recovery_seconds(answered_every(10, 0, 1000), 2000 * MS, 4000 * MS, 100.0) is None


REVOCATION = RevocationDrill("gunicorn-sync", "per-request", "cached-basic", "password", 4, 6.0, 2.0, 12.5, 300, 2, 0,
                             150, {}, 0, 14.0)  # fmt: skip
OUTAGE = OutageDrill("gunicorn-sync", "pool", "token", "cached-basic", "postgresql", 4, 6.0, 2.0, 2.4, 300.0, 0.0,
                     280.0, {"200": 1100, "500": 6}, 6, 0, 0, 0.28)  # fmt: skip


def drill_run(*drills) -> dict:
    content = e2e_run_content()
    content.update(rows=[], interference=[], drills=[msgspec.to_builtins(drill) for drill in drills])
    return content


def test_drills_are_saved_tagged_by_kind_and_read_back_as_written():
    content = drill_run(REVOCATION, OUTAGE)
    assert [drill["type"] for drill in content["drills"]] == ["revocation", "outage"]
    assert decode_run(json.dumps(content).encode()).drills == (REVOCATION, OUTAGE)


def test_a_run_saved_before_drills_has_none():
    content = e2e_run_content()
    assert "drills" not in content or content.pop("drills") == []
    assert decode_run(json.dumps(content).encode()).drills == ()


def test_a_malformed_drill_is_a_one_line_error_naming_its_field(tmp_path, capsys):
    content = drill_run(OUTAGE)
    content["drills"][0]["wrongly_accepted"] = -1
    path = tmp_path / "0001_run.json"
    path.write_text(json.dumps(content))
    assert main(["show", str(path)]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "$.drills[0].wrongly_accepted" in error


def test_the_report_shows_each_kind_of_drill_and_the_verdict():
    text = as_text(decode_run(encode_run(decode_run(json.dumps(drill_run(REVOCATION, OUTAGE)).encode()))))
    assert "gunicorn-sync  per-request  cached-basic  redis  password  4            2 s  12.5 ms  300" in text
    assert "gunicorn-sync  pool         postgresql  token   4            2.4 s  300 → 0.0 → 280" in text
    assert "200×1100 500×6  6    0                 0           280 ms" in text
    assert text.rstrip().endswith("requests accepted with a revoked credential, in 2 drills: none")
    recovered_at_once = msgspec.structs.replace(OUTAGE, recovery_seconds=0.0)
    assert "0           0 s" in as_text(decode_run(json.dumps(drill_run(recovered_at_once)).encode()))


def test_a_revoked_credential_accepted_is_named_wrong():
    wrong = msgspec.structs.replace(REVOCATION, accepted_after_commit=3)
    text = as_text(decode_run(json.dumps(drill_run(wrong, OUTAGE)).encode()))
    assert text.rstrip().endswith("in 2 drills: 3 (WRONG: a revocation did not hold)")


def test_show_prints_a_saved_drill_run_by_its_file(tmp_path, capsys):
    path = tmp_path / "0001_run.json"
    path.write_text(json.dumps(drill_run(OUTAGE)))
    assert main(["show", str(path)]) == 0
    assert "wrongly accepted" in capsys.readouterr().out
    assert load_e2e_run(path).drills == (OUTAGE,)


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (["drill", "fire"], "invalid choice"),
        (["drill", "postgres", "--database", "sqlite"], "--database"),
        (["drill", "revocation", "--schemes", "token"], "--schemes token"),
        (["drill", "revocation", "--at", "10"], "--at 10"),
        (["drill", "redis", "--at", "5", "--down", "5"], "--at and --down"),
        (["drill", "redis", "--schemes", "async-basic"], "--schemes async-basic"),
        (["drill", "redis", "--redis-url", "redis://127.0.0.1:6379/0"], "--redis-url"),
        (["drill", "revocation", "--connections", "pool"], "--connections pool"),
        (["drill", "redis", "--auth-cache", "locmem"], "--auth-cache locmem"),
    ],
)
def test_what_a_drill_cannot_do_is_a_one_line_error_before_anything_starts(argv, named, capsys):
    assert main(argv) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and error.startswith("python -m benchtools e2e") and named in error
