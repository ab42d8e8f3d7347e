"""The command line every subcommand shares: its parser, argument types, and how it runs and fails.

Each tool's `main(argv) -> int` builds its parser (its modes are subcommands of it), turns
the parsed arguments into a typed options object at the edge, and runs through `run`, which
turns a ToolError into one `prog: error: ...` line and exit 2 and an interrupt into exit 130.
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NoReturn

from benchtools.errors import EXIT_CODES, ExitCode, ToolError, one_line


class Parser(argparse.ArgumentParser):
    """argparse whose usage error is one line, exit 2 (--help still prints the whole help, exit 0)."""

    def error(self, message: str) -> NoReturn:
        self.exit(ExitCode.ERROR, f"{self.prog}: error: {message}\n")


def parser(subcommand: str, description: str) -> Parser:
    return Parser(
        prog=f"python -m benchtools {subcommand}",
        description=description,
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def modes(parent: Parser) -> argparse._SubParsersAction:
    """The subcommands of a tool (`compare revisions`, `compare runs`, ...); one must be given."""
    return parent.add_subparsers(dest="mode", required=True, metavar="MODE", parser_class=Parser)


def mode(modes: argparse._SubParsersAction, name: str, description: str) -> Parser:
    """One subcommand of a tool, its help and description from `description`'s first sentence and all of it."""
    return modes.add_parser(
        name,
        help=description.split(". ")[0].rstrip("."),
        description=description,
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def main(parser: argparse.ArgumentParser, argv: list[str] | None, body: Callable[[argparse.Namespace], int]) -> int:
    """A tool's main: parse `argv` (exit 2 on a usage error, 0 after --help) and run `body` with the result."""
    try:
        arguments = parser.parse_args(argv)
    except SystemExit as exited:
        return int(exited.code or 0)
    return run(parser.prog, lambda: body(arguments))


def run(prog: str, body: Callable[[], int]) -> int:
    """Call `body`; a ToolError becomes one `prog: error: ...` line and exit 2, an interrupt exit 130."""
    try:
        return body()
    except ToolError as error:
        print(f"{prog}: error: {one_line(str(error))}", file=sys.stderr)
        return ExitCode.ERROR
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr)
        return ExitCode.INTERRUPTED


@contextlib.contextmanager
def interrupt_on_sigterm() -> Iterator[None]:
    """Turn SIGTERM (a CI job cancelled) into KeyboardInterrupt, so `finally` blocks clean up."""

    def interrupt(signum: int, frame: Any) -> NoReturn:
        raise KeyboardInterrupt(f"signal {signum}")

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


# Argument types.


def positive_number(text: str) -> float:
    """A finite number above 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number, got {text!r}")
    return value


def whole_number(lowest: int) -> Callable[[str], int]:
    """A whole number of at least `lowest`."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if value < lowest:
            raise argparse.ArgumentTypeError(f"must be at least {lowest}, got {text!r}")
        return value

    return parse


def whole_numbers(lowest: int) -> Callable[[str], list[int]]:
    """Comma-separated whole numbers, each at least `lowest`."""
    one = whole_number(lowest)
    return lambda text: [one(part) for part in text.split(",")]


def names_from(choices: Iterable[str]) -> Callable[[str], list[str]]:
    """Comma-separated names, each one of `choices`."""
    known = list(choices)

    def parse(text: str) -> list[str]:
        names = [name.strip() for name in text.split(",") if name.strip()]
        if not names or any(name not in known for name in names):
            raise argparse.ArgumentTypeError(f"choose from {', '.join(known)}; got {text!r}")
        return names

    return parse


def fraction_between(low: float, high: float) -> Callable[[str], float]:
    """A number in [low, high)."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if not low <= value < high:
            raise argparse.ArgumentTypeError(f"must be in [{low:g}, {high:g}), got {text!r}")
        return value

    return parse
