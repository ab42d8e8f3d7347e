"""The authentication tables (benchlib/scheme_table.py), and `benchtools schemes` printing them from a saved run."""

from __future__ import annotations

import json

import pytest

from benchlib.formats.json_files import as_builtins
from benchlib.formats.records import (
    BAD_CREDENTIALS_GROUP,
    PROJECT_BAD_CREDENTIALS_GROUP,
    PROJECT_GROUP,
    SCHEMES_GROUP,
    ConnectionSettings,
    DatabaseRecord,
    ExtraInfo,
    ProjectRecord,
    SchemeRow,
)
from benchlib.scheme_table import Measured, project_table, scheme_table, side_by_side
from benchtools.schemes.cli import main
from tests.saved_runs import run_content


def measured(group, scheme, median, queries=1, hashes="no", status=None):
    return Measured(group, median, ExtraInfo(scheme=SchemeRow(scheme, hashes, queries, status)))


RUN = [
    measured(SCHEMES_GROUP, "BasicAuthentication", 0.25, hashes="PBKDF2"),
    measured(SCHEMES_GROUP, "no authentication", 50e-6, queries=0),
    measured(SCHEMES_GROUP, "TokenAuthentication", 200e-6),
    measured(BAD_CREDENTIALS_GROUP, "TokenAuthentication", 180e-6, status=401),
    Measured("view dispatch", 1e-6, ExtraInfo()),
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


BASIC = "rest_framework.authentication.BasicAuthentication"
CERTIFICATE = "myproject.auth.ClientCertificateAuthentication"
PROJECT_RUN = [
    measured(PROJECT_GROUP, "no authentication", 200e-6, queries=0),
    measured(PROJECT_GROUP, BASIC, 0.2, hashes="argon2 verify"),
    measured(PROJECT_BAD_CREDENTIALS_GROUP, BASIC, 0.21, hashes="argon2 verify", status=401),
]
NOT_MEASURED = {CERTIFICATE: "the suite has no credential for it"}


def test_the_project_table_lists_the_classes_not_measured_with_why_after_the_measured_ones():
    lines = project_table(RUN + PROJECT_RUN, "myproject.settings", NOT_MEASURED).splitlines()
    assert lines[0] == "myproject.settings: its authentication classes through its MIDDLEWARE, cheapest first"
    assert lines[1].startswith("| authentication class | median |")
    assert lines[3:] == [
        "| no authentication | 200 µs | 1.0 | no | 0 | – |",
        f"| {BASIC} | 200 ms | 1,000 | argon2 verify | 1 | 401 in 210 ms |",
        f"| {CERTIFICATE} | not measured: the suite has no credential for it | – | – | – | – |",
    ]


def test_a_project_whose_classes_were_all_not_measured_still_gets_its_table():
    assert CERTIFICATE in project_table([], "myproject.settings", NOT_MEASURED)
    assert project_table(RUN, "myproject.settings", {}) == ""


def saved(
    tmp_path,
    rows: list[Measured],
    project: dict | None = None,
    extra_infos: list[dict] | None = None,
    database: dict | None = None,
) -> str:
    tmp_path.mkdir(exist_ok=True)
    content = run_content({f"benchmarks/test_schemes.py::test_{i}": [row.median] for i, row in enumerate(rows)})
    for index, (bench, row) in enumerate(zip(content["benchmarks"], rows, strict=True)):
        extra_info = as_builtins(row.extra_info) if extra_infos is None else extra_infos[index]
        bench.update(group=row.group, extra_info=extra_info)
    if project is not None:
        content["machine_info"]["project"] = project
    if database is not None:
        content["machine_info"]["database"] = database
    path = tmp_path / "0001_run.json"
    path.write_text(json.dumps(content))
    return str(path)


def test_a_saved_run_prints_the_table(tmp_path, capsys):
    assert main([saved(tmp_path, RUN)]) == 0
    assert capsys.readouterr().out.strip() == scheme_table(RUN)


def test_a_saved_run_prints_both_tables(tmp_path, capsys):
    path = saved(tmp_path, RUN + PROJECT_RUN, as_builtins(ProjectRecord("myproject.settings", NOT_MEASURED)))
    assert main([path]) == 0
    tables = [scheme_table(RUN + PROJECT_RUN), project_table(PROJECT_RUN, "myproject.settings", NOT_MEASURED)]
    assert capsys.readouterr().out.strip() == "\n\n".join(tables)


def test_a_malformed_project_record_is_a_one_line_error_naming_the_file_and_field(tmp_path, capsys):
    path = saved(tmp_path, PROJECT_RUN, {"settings": "myproject.settings", "authentication_not_measured": {"a": 1}})
    assert main([path]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and path in error and "authentication_not_measured" in error


def test_a_scheme_benchmark_without_its_record_is_a_one_line_error_naming_the_file(tmp_path, capsys):
    path = saved(tmp_path, [Measured(SCHEMES_GROUP, 1e-4, ExtraInfo())], extra_infos=[{"scheme": {"name": "token"}}])
    assert main([path]) == 2
    error = capsys.readouterr().err
    assert (
        error.count("\n") == 1 and path in error and "hashes" in error and "$.benchmarks[0].extra_info.scheme" in error
    )


def test_a_scheme_benchmark_with_no_record_at_all_is_a_one_line_error_naming_the_file(tmp_path, capsys):
    path = saved(tmp_path, [Measured(SCHEMES_GROUP, 1e-4, ExtraInfo())])
    assert main([path]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and path in error and "no extra_info.scheme" in error


def test_a_saved_run_without_scheme_benchmarks_is_an_error(tmp_path, capsys):
    path = saved(tmp_path, RUN[-1:])
    assert main([path]) == 2
    assert path in capsys.readouterr().err


@pytest.mark.parametrize("content", [None, "{not json", "[]"], ids=["missing", "corrupt", "not a run"])
def test_an_unreadable_saved_run_is_a_one_line_error_naming_the_file(tmp_path, capsys, content):
    path = tmp_path / "0002_run.json"
    if content is not None:
        path.write_text(content)
    assert main([str(path)]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and str(path) in error


SQLITE_RUN = [
    measured(SCHEMES_GROUP, "no authentication", 50e-6, queries=0),
    measured(SCHEMES_GROUP, "TokenAuthentication", 250e-6),
    measured(SCHEMES_GROUP, "session (db)", 500e-6, queries=2),
]
POSTGRESQL_RUN = [
    measured(SCHEMES_GROUP, "no authentication", 40e-6, queries=0),
    measured(SCHEMES_GROUP, "TokenAuthentication", 800e-6),
    measured(SCHEMES_GROUP, "session (db)", 1.2e-3, queries=3),
    measured(SCHEMES_GROUP, "OAuth2 bearer (django-oauth-toolkit)", 2e-3),
]


def test_runs_side_by_side_give_each_its_median_and_ratio_to_its_own_request_without_authentication():
    lines = side_by_side([("0001 sqlite", SQLITE_RUN), ("0002 postgresql", POSTGRESQL_RUN)]).splitlines()
    assert lines[0] == (
        "| scheme | hashed per request | queries | 0001 sqlite: median | 0001 sqlite: x no auth "
        "| 0002 postgresql: median | 0002 postgresql: x no auth |"
    )
    assert lines[2:] == [
        "| no authentication | no | 0 | 50 µs | 1.0 | 40 µs | 1.0 |",
        "| TokenAuthentication | no | 1 | 250 µs | 5.0 | 800 µs | 20.0 |",
        "| session (db) | no | 2 / 3 | 500 µs | 10.0 | 1.2 ms | 30.0 |",
        "| OAuth2 bearer (django-oauth-toolkit) | no | 1 | – | – | 2 ms | 50.0 |",
    ]


def test_runs_without_scheme_benchmarks_give_no_side_by_side_table():
    assert side_by_side([("0001", RUN[-1:]), ("0002", RUN[-1:])]) == ""


SQLITE_RECORD = DatabaseRecord("sqlite", "3.40.1", "in memory", {}, ConnectionSettings(0, False, False))
POSTGRESQL_RECORD = DatabaseRecord(
    "postgresql",
    "15.18 (Debian 15.18-0+deb12u1)",
    "TCP to 127.0.0.1",
    {"fsync": "off"},
    ConnectionSettings(0, False, False),
)


def test_two_saved_runs_print_one_table_labelled_by_the_database_each_measured(tmp_path, capsys):
    first = saved(tmp_path / "a", SQLITE_RUN, database=as_builtins(SQLITE_RECORD))
    second = saved(tmp_path / "b", POSTGRESQL_RUN, database=as_builtins(POSTGRESQL_RECORD))
    assert main([first, second]) == 0
    out = capsys.readouterr().out
    assert out.startswith(side_by_side([("0001 sqlite 3.40.1", SQLITE_RUN), ("0001 postgresql 15.18", POSTGRESQL_RUN)]))
    assert "0001: sqlite 3.40.1, in memory, CONN_MAX_AGE 0;" in out
    assert "0001: postgresql 15.18 (Debian 15.18-0+deb12u1), TCP to 127.0.0.1, CONN_MAX_AGE 0, fsync off;" in out
    assert "warning: runs differ in database: sqlite 3.40.1 (in memory) in 0001_run.json; postgresql 15.18" in out


def test_a_run_saved_before_databases_were_recorded_is_labelled_by_its_id_and_says_so(tmp_path, capsys):
    first = saved(tmp_path / "a", SQLITE_RUN)
    second = saved(tmp_path / "b", POSTGRESQL_RUN, database=as_builtins(POSTGRESQL_RECORD))
    assert main([first, second]) == 0
    out = capsys.readouterr().out
    assert "| 0001: median | 0001: x no auth | 0001 postgresql 15.18: median |" in out
    assert "0001: database not recorded;" in out


def test_a_malformed_database_record_is_a_one_line_error_naming_the_file_and_field(tmp_path, capsys):
    first = saved(tmp_path / "a", SQLITE_RUN)
    second = saved(tmp_path / "b", POSTGRESQL_RUN, database={"vendor": "postgresql", "version": ""})
    assert main([first, second]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and second in error and "machine_info.database" in error
