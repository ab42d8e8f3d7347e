"""benchtools/tune.py, called through main(argv) in this process (settings: benchsite.settings,
with PASSWORD_HASHERS narrowed to the cheap custom hasher so that measuring stays quick)."""

import json

import pytest
from django.contrib.auth.hashers import BCryptSHA256PasswordHasher, PBKDF2PasswordHasher

from benchlib.formats.benchmark_run import FORMAT_VERSION, FORMAT_VERSION_KEY
from benchlib.formats.records import SweepPoint, recorded
from benchtools.__main__ import main as benchtools_main
from benchtools.tune.cli import main

LIGHT = "tests.projects.customauth.hashers.LightPBKDF2PasswordHasher"
QUICK = ["--repeats", "1", "--threads", "0"]


@pytest.fixture
def light_hashers(settings, monkeypatch):
    """Only the cheap custom hasher to tune, and Django's PBKDF2 default made cheap too: tune times
    the default it reads from Django's class for comparison, and a million iterations is slow."""
    settings.PASSWORD_HASHERS = [LIGHT, "django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setattr(PBKDF2PasswordHasher, "iterations", 10_000)


def saved_run(tmp_path, benchmarks) -> str:
    path = tmp_path / "0001_sweep.json"
    machine_info = {FORMAT_VERSION_KEY: FORMAT_VERSION}
    path.write_text(json.dumps({"machine_info": machine_info, "commit_info": {}, "benchmarks": benchmarks}))
    return str(path)


def swept(rounds: int, median_s: float, hasher_class: str = "django.contrib.auth.hashers.BCryptSHA256PasswordHasher"):
    return {
        "fullname": f"benchmarks/test_hasher_sweeps.py::test_verify_at_work_factor[bcrypt_sha256-rounds={rounds}]",
        "extra_info": recorded(sweep=SweepPoint("bcrypt_sha256", hasher_class, "bcrypt", {"rounds": rounds})),
        "stats": {
            "min": median_s * 0.9,
            "q1": median_s * 0.95,
            "median": median_s,
            "q3": median_s * 1.1,
            "iqr": median_s * 0.15,
            "max": median_s * 1.2,
            "rounds": 5,
        },
    }


def one_error_line(capsys) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    return err


@pytest.mark.parametrize("budget", ["0", "-5", "abc", "nan", "inf"])
def test_a_budget_that_is_not_a_positive_number_is_a_one_line_error(capsys, budget):
    assert main(["measure", "--budget-ms", budget]) == 2
    assert "--budget-ms" in one_error_line(capsys)


def test_help_exits_zero(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "measure" in out and "from-run" in out
    assert main(["measure", "--help"]) == 0
    assert "--budget-ms" in capsys.readouterr().out


def test_the_dispatcher_runs_tune_and_refuses_an_unknown_subcommand(capsys):
    assert benchtools_main(["tune", "--help"]) == 0
    assert benchtools_main(["frobnicate"]) == 2


def test_an_unknown_hasher_is_a_one_line_error_naming_the_valid_ones(capsys, light_hashers):
    assert main(["measure", "--budget-ms", "10", "--hashers", "pbkdf2_light,nope"]) == 2
    line = one_error_line(capsys)
    assert "'nope'" in line and "pbkdf2_light" in line


def test_a_settings_module_that_does_not_import_is_a_one_line_error(capsys):
    assert main(["measure", "--budget-ms", "10", "--settings", "no_such_settings_module"]) == 2
    assert "no_such_settings_module" in one_error_line(capsys)


def test_a_second_settings_module_in_one_process_is_refused(capsys):
    assert main(["measure", "--budget-ms", "10", "--settings", "tests.projects.customauth.settings"]) == 2
    assert "run tune afresh" in one_error_line(capsys)


def test_an_impossible_budget_is_refused_with_the_smallest_measured_cost(capsys, light_hashers):
    assert main(["measure", "--budget-ms", "0.0000001", *QUICK]) == 2
    line = one_error_line(capsys)
    assert "smallest measured cost is" in line and "pbkdf2_light iterations=1" in line


def test_json_recommends_the_custom_hasher_within_the_budget(capsys, light_hashers):
    assert (
        main(["measure", "--budget-ms", "20", "--json", "--cores", "4", "--target-logins-per-second", "1000", *QUICK])
        == 0
    )
    report = json.loads(capsys.readouterr().out)
    (recommendation,) = report["recommendations"]
    assert recommendation["hasher"] == "pbkdf2_light" and recommendation["hasher_class"] == LIGHT
    assert recommendation["median_ms"] <= 20
    assert recommendation["logins_per_second_all_cores"] == pytest.approx(4 * recommendation["logins_per_second"])
    assert recommendation["cores_needed"] >= 1
    assert recommendation["meets_owasp"] is (recommendation["parameters"]["iterations"] >= 600_000)
    assert recommendation["django_defaults"] == {"iterations": 10_000}
    assert recommendation["django_defaults_median_ms"] > 0


def test_text_output_has_a_pasteable_subclass_and_password_hashers(capsys, light_hashers):
    assert main(["measure", "--budget-ms", "5", "--repeats", "1", "--threads", "2", "--thread-seconds", "0.05"]) == 0
    out = capsys.readouterr().out
    code = out[out.index("from tests.projects.customauth.hashers") : out.index("# settings.py")]
    namespace = {}
    exec(code, namespace)  # the snippet runs as printed
    tuned = namespace["TunedLightPBKDF2PasswordHasher"]
    assert tuned.algorithm == "pbkdf2_light" and tuned.iterations != 2_000
    assert '"myproject.hashers.TunedLightPBKDF2PasswordHasher",' in out
    assert "1 thread" in out and "2 threads" in out


def test_plot_writes_a_png(tmp_path, capsys):
    png = tmp_path / "tune.png"
    run = saved_run(tmp_path, [swept(9, 0.040), swept(10, 0.080), swept(11, 0.160)])
    assert main(["from-run", run, "--budget-ms", "100", "--plot", str(png)]) == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_saved_run_gives_the_strongest_swept_setting_within_the_budget(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(BCryptSHA256PasswordHasher, "rounds", 12)  # Django's default, swept below
    run = saved_run(tmp_path, [swept(9, 0.040), swept(10, 0.080), swept(11, 0.160), swept(12, 0.320)])
    assert main(["from-run", run, "--budget-ms", "100", "--json"]) == 0
    (recommendation,) = json.loads(capsys.readouterr().out)["recommendations"]
    assert recommendation["parameters"] == {"rounds": 10} and recommendation["meets_owasp"] is True
    assert recommendation["next_step"] == {"parameters": {"rounds": 11}, "median_ms": pytest.approx(160)}
    assert recommendation["django_defaults_median_ms"] == pytest.approx(320)


def test_a_saved_run_without_sweep_data_is_a_one_line_error(tmp_path, capsys):
    run = saved_run(tmp_path, [{"fullname": "test_check_password[md5-right]", "stats": {"median": 0.001}}])
    assert main(["from-run", run, "--budget-ms", "100"]) == 2
    assert run in one_error_line(capsys)


@pytest.mark.parametrize("content", [None, "{not json", '{"benchmarks": 3}', "[]"])
def test_a_missing_or_corrupt_saved_run_is_a_one_line_error_naming_the_file(tmp_path, capsys, content):
    path = tmp_path / "run.json"
    if content is not None:
        path.write_text(content)
    assert main(["from-run", str(path), "--budget-ms", "100"]) == 2
    assert str(path) in one_error_line(capsys)


@pytest.mark.parametrize(
    "hasher_class",
    ["elsewhere.hashers.TheirHasher", "this.s", "django.contrib.auth.hashers.make_password", "os.system"],
)
def test_a_saved_run_naming_anything_but_a_configured_or_django_hasher_is_refused_unimported(
    tmp_path, capsys, hasher_class
):
    run = saved_run(tmp_path, [swept(10, 0.08, hasher_class)])
    assert main(["from-run", run, "--budget-ms", "100"]) == 2
    captured = capsys.readouterr()
    assert hasher_class in captured.err and captured.err.count("\n") == 1
    assert captured.out == ""  # importing `this` would have printed the Zen of Python


def test_an_unwritable_plot_path_is_a_one_line_error(tmp_path, capsys):
    run = saved_run(tmp_path, [swept(10, 0.08)])
    assert main(["from-run", run, "--budget-ms", "100", "--plot", str(tmp_path / "missing" / "x.png")]) == 2
    assert "x.png" in one_error_line(capsys)
