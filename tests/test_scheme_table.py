"""benchmarks/scheme_table.py: the auth-schemes table from a run, and its command line on saved runs."""

from __future__ import annotations

import json

import pytest

from benchmarks.scheme_table import BAD_GROUP, GROUP, main, scheme_table


def bench(group, scheme, median, queries=1, hashes="no", **extra):
    return {
        "group": group,
        "name": f"test_scheme[{scheme}]",
        "extra_info": {"scheme": scheme, "hashes": hashes, "queries_per_request": queries, **extra},
        "stats": {"median": median},
    }


RUN = [
    bench(GROUP, "BasicAuthentication", 0.25, hashes="PBKDF2"),
    bench(GROUP, "no authentication", 50e-6, queries=0),
    bench(GROUP, "TokenAuthentication", 200e-6),
    bench(BAD_GROUP, "TokenAuthentication", 180e-6, status=401),
    bench("view dispatch", "unrelated", 1e-6),
]


def test_rows_are_ordered_by_median_with_ratio_to_no_authentication():
    lines = scheme_table(RUN).splitlines()
    assert [line.split(" | ")[0] for line in lines[2:]] == [
        "| no authentication",
        "| TokenAuthentication",
        "| BasicAuthentication",
    ]
    assert lines[3] == "| TokenAuthentication | 200 µs | 4.0 | no | 1 | 401 in 180 µs |"
    assert lines[4] == "| BasicAuthentication | 250 ms | 5,000 | PBKDF2 | 1 | – |"


def test_ratio_is_a_dash_without_the_baseline_in_the_run():
    assert "| TokenAuthentication | 200 µs | – |" in scheme_table(RUN[2:])


def test_run_without_scheme_benchmarks_gives_no_table():
    assert scheme_table(RUN[-1:]) == ""


def test_saved_run_prints_the_table(tmp_path, capsys):
    saved = tmp_path / "0001_run.json"
    saved.write_text(json.dumps({"benchmarks": RUN}))
    assert main([str(saved)]) == 0
    assert capsys.readouterr().out.strip() == scheme_table(RUN)


@pytest.mark.parametrize(
    "content",
    [None, "{not json", json.dumps({"machine_info": {}}), json.dumps({"benchmarks": [{"group": GROUP}]})],
    ids=["missing", "corrupt", "no benchmarks", "scheme without extra_info"],
)
def test_unreadable_saved_run_is_a_one_line_error_naming_the_file(tmp_path, capsys, content):
    saved = tmp_path / "0002_run.json"
    if content is not None:
        saved.write_text(content)
    assert main([str(saved)]) == 1
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and str(saved) in error


def test_saved_run_without_scheme_benchmarks_is_an_error(tmp_path, capsys):
    saved = tmp_path / "0003_run.json"
    saved.write_text(json.dumps({"benchmarks": RUN[-1:]}))
    assert main([str(saved)]) == 1
    assert str(saved) in capsys.readouterr().err
