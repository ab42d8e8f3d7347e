"""The one error every subcommand reports, and the exit codes every subcommand shares."""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    OK = 0
    FINDING = 1  # what a gate fails on: compare found a slower benchmark, e2e check a wrong answer
    ERROR = 2  # a usage or input error
    INTERRUPTED = 130  # Ctrl-C or SIGTERM


EXIT_CODES = """exit codes, the same for every subcommand:
  0    done (compare: no regression)
  1    the finding a gate fails on (compare: a benchmark is slower)
  2    a usage or input error: bad arguments, a missing or corrupt run file, a revision that does
       not exist, a run that failed; one line on stderr says what and where
  130  interrupted (Ctrl-C or SIGTERM)"""


class ToolError(Exception):
    """Anything a subcommand cannot do with what it was given; its message is one line naming the culprit."""


def one_line(text: str) -> str:
    return text.replace("\r", " ").replace("\n", " ")
