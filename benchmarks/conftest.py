"""Prints the "auth schemes" table under pytest-benchmark's tables when the schemes were timed."""

from __future__ import annotations

import pytest

from benchmarks.scheme_table import scheme_table


@pytest.hookimpl(trylast=True)  # after pytest-benchmark's own tables
def pytest_terminal_summary(terminalreporter, config):
    session = getattr(config, "_benchmarksession", None)
    if session is None or session.disabled:
        return
    table = scheme_table([bench.as_dict(include_data=False) for bench in session.benchmarks if bench])
    if table:
        terminalreporter.write_sep("-", "auth schemes, cheapest first (python -m benchmarks.scheme_table RUN.json)")
        terminalreporter.write_line(table)
