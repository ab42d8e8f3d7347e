from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from benchtools.compare import checkouts
from benchtools.compare import cli as compare
from benchtools.compare.checkouts import Checkout
from benchtools.compare.cli import main
from tests.saved_runs import file_hashes, noisy_times, run_content

SLOW = "benchmarks/test_x.py::test_slow"
STEADY = "benchmarks/test_x.py::test_steady"


def save_side(save_run, first_number: int, *, slow_median: float, commit: str) -> list[str]:
    """Three runs of one side; returns their file paths."""
    return [
        str(
            save_run(
                first_number + i,
                {SLOW: noisy_times(slow_median, seed=i), STEADY: noisy_times(2e-3, seed=9 + i)},
                commit=commit,
            )
        )
        for i in range(3)
    ]


@pytest.fixture
def slowed_down(save_run):
    """Base and head runs where test_slow got 20% slower and test_steady did not change."""
    return save_side(save_run, 1, slow_median=1e-3, commit="b" * 40), save_side(
        save_run, 4, slow_median=1.2e-3, commit="c" * 40
    )


def test_a_significant_slowdown_fails_the_gate_and_leads_the_table(slowed_down, capsys):
    base, head = slowed_down
    assert main(["runs", "--base", *base, "--head", *head]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("head cccccccccccc (3 runs) vs base bbbbbbbbbbbb (3 runs)")
    assert "test_x.py::test_slow" in lines[4] and lines[4].endswith("slower")
    assert "test_x.py::test_steady" in lines[5] and lines[5].endswith("unchanged")


def test_the_same_runs_on_both_sides_pass_the_gate(slowed_down, capsys):
    base, _ = slowed_down
    assert main(["runs", "--base", *base, "--head", *base]) == 0
    assert "no significant slowdown" in capsys.readouterr().out


def test_runs_are_named_by_pytest_benchmark_ids(slowed_down, run_storage, capsys):
    assert (
        main(
            [
                "runs",
                "--storage",
                str(run_storage),
                "--base",
                "0001",
                "0002",
                "0003",
                "--head",
                "0004",
                "0005",
                "0006",
            ]
        )
        == 1
    )


def test_json_output_has_every_benchmark_and_the_runs(slowed_down, capsys):
    base, head = slowed_down
    main(["runs", "--base", *base, "--head", *head, "--json"])
    result = json.loads(capsys.readouterr().out)
    assert result["regression"] is True
    assert [b["verdict"] for b in result["benchmarks"]] == ["slower", "unchanged"]
    assert [run["file"] for run in result["runs"]["head"]] == head
    slow = result["benchmarks"][0]
    assert slow["low"] < slow["ratio"] < slow["high"] and slow["ratio"] == pytest.approx(1.2, rel=0.01)


def test_markdown_output_is_a_table_for_a_pull_request(slowed_down, capsys):
    base, head = slowed_down
    main(["runs", "--base", *base, "--head", *head, "--markdown"])
    out = capsys.readouterr().out
    assert "| benchmark | base median |" in out and "| `test_x.py::test_slow` |" in out and "🔴 slower" in out


def test_plot_writes_a_png(slowed_down, tmp_path):
    base, head = slowed_down
    main(["runs", "--base", *base, "--head", *head, "--plot", str(tmp_path / "ratios.png")])
    assert (tmp_path / "ratios.png").read_bytes().startswith(b"\x89PNG")


def test_comparing_saved_runs_modifies_and_deletes_nothing(slowed_down, run_storage):
    base, head = slowed_down
    before = file_hashes(run_storage)
    main(["runs", "--base", *base, "--head", *head, "--json"])
    assert file_hashes(run_storage) == before


def test_runs_with_no_benchmark_in_common_are_a_one_line_error(save_run, capsys):
    base = save_run(1, {SLOW: [1.0, 2.0]})
    head = save_run(2, {STEADY: [1.0, 2.0]})
    assert main(["runs", "--base", str(base), "--head", str(head)]) == 2
    err = capsys.readouterr().err.strip()
    assert "no benchmark in common" in err and str(base) in err and str(head) in err and "\n" not in err


def test_a_missing_run_is_a_one_line_error_naming_it(slowed_down, tmp_path, capsys):
    base, _ = slowed_down
    missing = str(tmp_path / "0099_missing.json")
    assert main(["runs", "--base", *base, "--head", missing]) == 2
    err = capsys.readouterr().err.strip()
    assert missing in err and "\n" not in err


def test_runs_from_different_machines_are_compared_with_a_warning(save_run, capsys):
    base = save_run(1, {SLOW: [1.0, 1.1, 1.2]}, node="vm")
    head = save_run(2, {SLOW: [1.0, 1.1, 1.2]}, node="laptop")
    assert main(["runs", "--base", str(base), "--head", str(head)]) == 0
    captured = capsys.readouterr()
    assert "warning: runs differ in machine" in captured.err and "laptop" in captured.err
    assert "one run per side" in captured.err and "test_slow" in captured.out


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["runs", "--base", "0001"],
        ["revisions"],
        ["runs", "--base", "1", "--head", "2", "--measure", "cycles"],
        ["revisions", "main", "--repeats", "0"],
        ["revisions", "main", "--json", "--markdown"],
        ["revisions", "main", "--confidence", "1"],
        ["frobnicate", "main"],
    ],
)
def test_usage_errors_are_one_line_and_exit_2(argv, capsys):
    assert main(argv) == 2
    assert capsys.readouterr().err.count("\n") == 1


# Real git revisions, in a tiny repository with one trivial benchmark, so each run takes about a second.

# Without the django and hypothesis plugins a run of the tiny repository starts 4x faster.
FAST = "--benchmark-max-time=0.001 --benchmark-min-rounds=3 -q -p no:django -p no:hypothesispytest"
BENCHMARK = "def test_sum(benchmark):\n    assert benchmark(sum, range({n})) == {total}\n"


def git(repo: Path, *args: str) -> str:
    command = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args]
    return subprocess.run(command, cwd=repo, check=True, capture_output=True, text=True).stdout.strip()


def commit_benchmark(repo: Path, source: str) -> str:
    (repo / "test_tiny.py").write_text(source)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "benchmark")
    return git(repo, "rev-parse", "HEAD")


@pytest.fixture
def tiny_repo(tmp_path, monkeypatch) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "pytest.ini").write_text("[pytest]\n")
    (repo / ".gitignore").write_text(".benchmarks/\n")
    git(repo, "init", "-q")
    commit_benchmark(repo, BENCHMARK.format(n=10, total=45))
    monkeypatch.chdir(repo)
    # This test session's Django settings and xdist worker must not leak into the tiny repository's pytest.
    for name in ("DJANGO_SETTINGS_MODULE", *(name for name in os.environ if name.startswith("PYTEST_XDIST"))):
        monkeypatch.delenv(name, raising=False)
    return repo


def worktrees(repo: Path) -> list[str]:
    return [line for line in git(repo, "worktree", "list", "--porcelain").splitlines() if line.startswith("worktree ")]


def test_two_revisions_are_run_and_saved_with_their_commits_and_nothing_else_changes(tiny_repo, save_run, capsys):
    storage = tiny_repo / ".benchmarks"
    earlier = save_run(1, {SLOW: [1.0, 2.0]})  # an older run, copied in below, must survive too
    (storage / "Linux-CPython-3.11-64bit").mkdir(parents=True)
    kept = storage / "Linux-CPython-3.11-64bit" / "0001_old.json"
    kept.write_text(earlier.read_text())
    before = file_hashes(storage)
    first = git(tiny_repo, "rev-parse", "HEAD")
    second = commit_benchmark(tiny_repo, BENCHMARK.format(n=20, total=190))
    status = main(
        ["revisions", "HEAD~1", "HEAD", "--measure", "time", "--repeats", "1", "--pytest-args", FAST, "--json"]
    )
    captured = capsys.readouterr()
    assert status in (0, 1), captured.err
    result = json.loads(captured.out)
    assert [run["commit"] for run in result["runs"]["base"]] == [first]
    assert [run["commit"] for run in result["runs"]["head"]] == [second]
    assert [b["name"] for b in result["benchmarks"]] == ["test_tiny.py::test_sum"]
    saved = {Path(run["file"]) for side in result["runs"].values() for run in side}
    for side, commit in (("base", first), ("head", second)):
        path = Path(result["runs"][side][0]["file"])
        assert path.parent.parent == storage and path.name.startswith("00") and f"_{commit}_" in path.name
    after = file_hashes(storage)
    assert {path: after[path] for path in before} == before and set(after) - set(before) == saved
    assert len(worktrees(tiny_repo)) == 1 and git(tiny_repo, "status", "--porcelain") == ""


def test_a_revision_that_does_not_exist_is_a_one_line_error(tiny_repo, capsys):
    assert main(["revisions", "no-such-branch"]) == 2
    err = capsys.readouterr().err.strip()
    assert "no-such-branch" in err and "\n" not in err
    assert not (tiny_repo / ".benchmarks").exists()


def test_uncommitted_changes_are_refused_naming_the_files(tiny_repo, capsys):
    (tiny_repo / "test_tiny.py").write_text(BENCHMARK.format(n=30, total=435))
    assert main(["revisions", "HEAD"]) == 2
    err = capsys.readouterr().err.strip()
    assert "uncommitted changes to test_tiny.py" in err and "--allow-dirty" in err and "\n" not in err
    assert len(worktrees(tiny_repo)) == 1 and not (tiny_repo / ".benchmarks").exists()


def fake_runner(calls: list, *, fail_on: int | None = None, raising=KeyboardInterrupt):
    """Stands in for pytest: saves a synthetic run for the checkout's commit, or raises on call `fail_on`."""

    def run(checkout: Checkout, storage: Path, save_name: str, pytest_args: list[str]) -> Path:
        calls.append((checkout.folder, save_name, pytest_args, (checkout.folder / "test_tiny.py").read_text()))
        if len(calls) == fail_on:
            raise raising("stopped")
        path = storage / "machine" / f"{len(calls):04d}_{save_name}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        content = run_content({SLOW: [1.0, 1.1, 1.2]}, commit=git(checkout.folder, "rev-parse", "HEAD"))
        path.write_text(json.dumps(content))
        return path

    return run


def test_timed_sides_alternate_four_times_and_head_defaults_to_the_work_tree_as_it_is(tiny_repo, monkeypatch, capsys):
    changed = BENCHMARK.format(n=30, total=435)
    (tiny_repo / "test_tiny.py").write_text(changed)
    calls: list = []
    monkeypatch.setattr(checkouts, "measure_checkout", fake_runner(calls))
    assert main(["revisions", "HEAD", "--measure", "time", "--allow-dirty", "-k", "sum", "-m", "not slow"]) == 0
    # Four repeats by default, each side first in two of the four pairs.
    order = ["base1", "head1", "head2", "base2", "base3", "head3", "head4", "base4"]
    assert [name.rsplit("_", 1)[1] for _, name, _, _ in calls] == order
    # Both sides are worktrees in folders whose paths have one length; HEAD's holds the uncommitted change.
    assert len({len(str(checkout)) for checkout, _, _, _ in calls}) == 1 and tiny_repo not in {c[0] for c in calls}
    assert [source == changed for _, _, _, source in calls] == [name.startswith("head") for name in order]
    assert (tiny_repo / "test_tiny.py").read_text() == changed and git(tiny_repo, "stash", "list") == ""
    assert calls[0][2][-4:] == ["-k", "sum", "-m", "not slow"] and compare.DEFAULT_TIME_ARGS.split()[0] in calls[0][2]
    assert "warning: measuring uncommitted changes to test_tiny.py" in capsys.readouterr().err


@pytest.mark.parametrize("interruption", [KeyboardInterrupt, RuntimeError])
def test_temporary_worktrees_are_removed_when_a_run_is_interrupted(tiny_repo, monkeypatch, interruption):
    calls: list = []
    monkeypatch.setattr(checkouts, "measure_checkout", fake_runner(calls, fail_on=2, raising=interruption))
    if interruption is KeyboardInterrupt:
        assert main(["revisions", "HEAD", "HEAD"]) == 130
    else:
        with pytest.raises(RuntimeError):
            main(["revisions", "HEAD", "HEAD"])
    assert len(calls) == 2 and all(not checkout.exists() for checkout, _, _, _ in calls)
    assert len(worktrees(tiny_repo)) == 1


def test_temporary_worktrees_are_removed_when_pytest_fails(tiny_repo, capsys):
    commit_benchmark(tiny_repo, "def test_sum(benchmark):\n    assert benchmark(sum, range(3)) == 4\n")
    assert (
        main(["revisions", "HEAD", "HEAD~1", "--measure", "time", "--repeats", "1", "--pytest-args", FAST]) == 2
    )  # BASE first
    assert "pytest failed with exit code 1" in capsys.readouterr().err
    assert len(worktrees(tiny_repo)) == 1 and not list(
        Path(git(tiny_repo, "rev-parse", "--git-common-dir")).glob("worktrees/*")
    )


def test_runs_without_raw_timings_are_compared_and_said_to_be(save_run, capsys):
    base = [str(save_run(n, {SLOW: noisy_times(1e-3, seed=n)}, raw=False)) for n in (1, 2, 3)]
    head = [str(save_run(n, {SLOW: noisy_times(1e-3, seed=n)}, raw=False)) for n in (4, 5, 6)]
    assert main(["runs", "--base", *base, "--head", *head]) == 0
    captured = capsys.readouterr()
    assert "no raw timings (saved without --benchmark-save-data)" in captured.err
    assert "unchanged" in captured.out
