"""`python -m benchtools SUBCOMMAND ...`: dispatch to the subcommand's module, nothing else."""

from __future__ import annotations

import importlib
import sys

from benchtools.errors import EXIT_CODES, ExitCode

# Subcommand -> module with a `main(argv) -> int`; each module parses its own arguments.
SUBCOMMANDS = {
    "compare": "benchtools.compare.cli",
    "e2e": "benchtools.e2e.cli",
    "history": "benchtools.history.cli",
    "postgres": "benchtools.postgres.cli",
    "schemes": "benchtools.schemes.cli",
    "tune": "benchtools.tune.cli",
}

USAGE = "usage: python -m benchtools {" + ",".join(SUBCOMMANDS) + "} [--help] ..."


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        print(USAGE, file=sys.stderr)
        return ExitCode.ERROR
    if argv[0] in ("-h", "--help"):
        print(USAGE)
        print("subcommands: " + ", ".join(SUBCOMMANDS) + "; `python -m benchtools SUBCOMMAND --help` for each")
        print(EXIT_CODES)
        return 0
    name, rest = argv[0], argv[1:]
    if name not in SUBCOMMANDS:
        print(f"{USAGE}\nbenchtools: unknown subcommand {name!r}", file=sys.stderr)
        return ExitCode.ERROR
    return importlib.import_module(SUBCOMMANDS[name]).main(rest)


if __name__ == "__main__":
    sys.exit(main())
