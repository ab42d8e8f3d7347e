"""`python -m benchtools postgres -- COMMAND`: run COMMAND against a throwaway PostgreSQL cluster of its own.

Makes a cluster in a temporary folder (benchtools.postgres_cluster: PostgreSQL's initdb and
server, run as the `postgres` user when run as root, on a free loopback port, fsync off),
creates a database in it, runs COMMAND with DRF_AUTH_BENCH_DATABASE_URL naming that
database (which benchsite's settings and `e2e` read), then stops the server and removes
the folder, however COMMAND ends. Exits with COMMAND's exit code.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys

from benchsite.database_settings import DATABASE_URL_VARIABLE
from benchtools import cli, processes
from benchtools.errors import ToolError
from benchtools.postgres_cluster import create_database, throwaway_cluster

DEFAULT_DATABASE = "bench"


def build_parser() -> argparse.ArgumentParser:
    parser = cli.parser("postgres", description=(__doc__ or "").split("\n\n", 1)[1])
    parser.usage = "python -m benchtools postgres [--database NAME] -- COMMAND [ARGUMENT ...]"
    parser.add_argument(
        "--database",
        default=DEFAULT_DATABASE,
        help=f"the database created for COMMAND (default {DEFAULT_DATABASE}; pytest-django's test databases are "
        "made beside it)",
    )
    parser.add_argument("command", nargs="*", metavar="-- COMMAND", help="the command to run, after --")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser()
    options, command = (argv[: argv.index("--")], argv[argv.index("--") + 1 :]) if "--" in argv else (argv, [])
    return cli.main(parser, options, lambda arguments: with_cluster(arguments.database, command, parser))


def with_cluster(database: str, command: list[str], parser: argparse.ArgumentParser) -> int:
    if not command:
        parser.error("give the command to run after --")
    with cli.interrupt_on_sigterm(), throwaway_cluster() as cluster:
        create_database(cluster.url(), database)
        url = cluster.url(database)
        print(f"PostgreSQL {cluster.version}: {DATABASE_URL_VARIABLE}={url}", file=sys.stderr)
        return run(command, {**os.environ, DATABASE_URL_VARIABLE: url})


def run(command: list[str], env: dict[str, str]) -> int:
    """COMMAND in this process's group, so that a Ctrl-C at the terminal reaches it too; if this process is
    stopped first (SIGTERM), COMMAND is sent SIGTERM and waited for, then killed."""
    child = None
    try:
        with processes.interrupts_held():  # so that an interrupt never finds COMMAND started but not yet known
            child = start(command, env)
        return child.wait()
    finally:
        if child is not None and child.poll() is None:
            child.terminate()
            try:
                child.wait(timeout=processes.GRACE_SECONDS)
            except subprocess.TimeoutExpired:
                child.kill()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    child.wait(timeout=processes.GRACE_SECONDS)


def start(command: list[str], env: dict[str, str]) -> subprocess.Popen:
    try:
        return subprocess.Popen(command, env=env)
    except OSError as error:
        raise ToolError(f"cannot run {command[0]}: {error.strerror or error}") from None
