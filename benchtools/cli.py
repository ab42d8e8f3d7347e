"""What every subcommand shares on the command line: the exit codes, the one error type, the parser."""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
from collections.abc import Callable, Iterator

EXIT_OK = 0
EXIT_FINDING = 1
EXIT_ERROR = 2
EXIT_INTERRUPTED = 130

EXIT_CODES = """exit codes, the same for every subcommand:
  0    done (compare: no regression)
  1    the finding a gate fails on (compare: a benchmark is slower)
  2    a usage or input error: bad arguments, a missing or corrupt run file, a revision that does
       not exist, a run that failed; one line on stderr says what and where
  130  interrupted (Ctrl-C or SIGTERM)"""


class ToolError(Exception):
    """Anything a subcommand cannot do with what it was given; its message is one line naming the culprit."""


class Parser(argparse.ArgumentParser):
    """argparse whose usage error is one line, exit 2 (--help still prints the whole help, exit 0)."""

    def error(self, message):
        self.exit(EXIT_ERROR, f"{self.prog}: error: {message}\n")


def positive_number(text: str) -> float:
    """An argument type: a finite number above 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number, got {text!r}")
    return value


def whole_number(lowest: int) -> Callable[[str], int]:
    """An argument type: a whole number of at least `lowest`."""

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
    """An argument type: comma-separated whole numbers, each at least `lowest`."""
    one = whole_number(lowest)
    return lambda text: [one(part) for part in text.split(",")]


def parser(subcommand: str, description: str) -> Parser:
    return Parser(
        prog=f"python -m benchtools {subcommand}",
        description=description,
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def main(
    parser: argparse.ArgumentParser,
    argv: list[str] | None,
    body: Callable[[argparse.Namespace], int],
    problem: Callable[[argparse.Namespace], str | None] = lambda args: None,
) -> int:
    """A subcommand's main: parse `argv`, report what `problem` finds as a usage error, run `body`."""
    args = parse(parser, argv)
    if isinstance(args, int):
        return args
    found = problem(args)
    if found:
        return usage_error(parser, found)
    return run(parser.prog, lambda: body(args))


def run(prog: str, body: Callable[[], int]) -> int:
    """Call `body`; a ToolError becomes one `prog: error: ...` line and exit 2, an interrupt exit 130."""
    try:
        return body()
    except ToolError as error:
        print(f"{prog}: error: {one_line(str(error))}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def parse(parser: argparse.ArgumentParser, argv: list[str] | None) -> argparse.Namespace | int:
    """Parse `argv`; an exit code instead of raising SystemExit, so that main(argv) always returns."""
    try:
        return parser.parse_args(argv)
    except SystemExit as exited:
        return int(exited.code or 0)


def usage_error(parser: argparse.ArgumentParser, message: str) -> int:
    """A usage problem found after parsing, reported as argparse reports its own: one line, exit 2."""
    print(f"{parser.prog}: error: {message}", file=sys.stderr)
    return EXIT_ERROR


def one_line(text: str) -> str:
    return text.replace("\r", " ").replace("\n", " ")


@contextlib.contextmanager
def interrupt_on_sigterm() -> Iterator[None]:
    """Turn SIGTERM (a CI job cancelled) into KeyboardInterrupt, so `finally` blocks clean up."""

    def interrupt(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
