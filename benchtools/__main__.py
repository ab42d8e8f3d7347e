"""`python -m benchtools SUBCOMMAND [options]`: runs the subcommand's main(argv)."""

from __future__ import annotations

import importlib
import sys

# Subcommand -> module with main(argv) -> int.
SUBCOMMANDS = {
    "tune": "benchtools.tune",
}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] not in SUBCOMMANDS:
        print(f"usage: python -m benchtools {{{','.join(SUBCOMMANDS)}}} [options]", file=sys.stderr)
        return 2
    return importlib.import_module(SUBCOMMANDS[argv[0]]).main(argv[1:])


if __name__ == "__main__":
    sys.exit(main())
