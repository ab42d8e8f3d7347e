"""Options several subcommands share, each registered by one function here and read back as one typed value."""

from __future__ import annotations

import argparse
import enum
from dataclasses import dataclass
from pathlib import Path

from benchtools.storage import BENCHMARK_RUNS, Storage


class Format(enum.StrEnum):
    TEXT = "text"
    JSON = "json"
    MARKDOWN = "markdown"


@dataclass(frozen=True)
class Output:
    """How a subcommand prints what it found, and the chart it draws, if asked for."""

    format: Format = Format.TEXT
    plot: Path | None = None


def add_storage(parser: argparse.ArgumentParser, folder: str = BENCHMARK_RUNS) -> None:
    parser.add_argument("--storage", type=Path, help=f"the folder of saved runs (default: {folder} of this checkout)")


def storage_of(arguments: argparse.Namespace, folder: str = BENCHMARK_RUNS) -> Storage:
    """The --storage given, or the checkout's default."""
    return Storage(arguments.storage, folder)


def add_output(parser: argparse.ArgumentParser, *, markdown: bool = False, plot: str | None = None) -> None:
    """--json (and --markdown, for tools whose output goes to a pull request), and --plot PNG if `plot` says what."""
    formats = parser.add_mutually_exclusive_group()
    formats.add_argument("--json", action="store_true", help="print JSON for machines instead of text")
    if markdown:
        formats.add_argument("--markdown", action="store_true", help="print Markdown, e.g. for a pull-request comment")
    if plot:
        parser.add_argument("--plot", type=Path, metavar="PNG", help=plot)


def output_of(arguments: argparse.Namespace) -> Output:
    if getattr(arguments, "markdown", False):
        chosen = Format.MARKDOWN
    else:
        chosen = Format.JSON if arguments.json else Format.TEXT
    return Output(chosen, getattr(arguments, "plot", None))


class Measure(enum.StrEnum):
    """What a benchmark's figure is: wall time, or the instructions counted under callgrind."""

    TIME = "time"
    INSTRUCTIONS = "instructions"
