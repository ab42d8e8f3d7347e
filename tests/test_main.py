from __future__ import annotations

import subprocess
import sys

import pytest

from benchtools.__main__ import SUBCOMMANDS, main
from benchtools.errors import EXIT_CODES


@pytest.mark.parametrize("subcommand", sorted(SUBCOMMANDS))
def test_every_subcommand_has_help_with_the_one_exit_code_table(subcommand, capsys):
    assert main([subcommand, "--help"]) == 0
    out = capsys.readouterr().out
    assert f"usage: python -m benchtools {subcommand}" in out and EXIT_CODES in out


@pytest.mark.parametrize("subcommand", sorted(SUBCOMMANDS))
def test_every_subcommand_reports_a_usage_error_in_one_line_with_exit_2(subcommand, capsys):
    assert main([subcommand, "--no-such-option"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"python -m benchtools {subcommand}: error:")


def test_an_unknown_subcommand_is_a_usage_error(capsys):
    assert main(["bisect"]) == 2
    assert "unknown subcommand 'bisect'" in capsys.readouterr().err


def test_no_subcommand_is_a_usage_error_and_help_lists_them(capsys):
    assert main([]) == 2
    assert "usage: python -m benchtools" in capsys.readouterr().err
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in SUBCOMMANDS)


def test_python_dash_m_benchtools_dispatches():
    done = subprocess.run([sys.executable, "-m", "benchtools", "history", "--help"], capture_output=True, text=True)
    assert done.returncode == 0 and "python -m benchtools history" in done.stdout
