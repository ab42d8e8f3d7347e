"""`python -m benchtools e2e`: what authentication does to a served API's throughput and latency.

Starts real servers (gunicorn sync and gthread workers, uvicorn) serving benchsite, with a
SQLite file and a Redis of the run's own shared by their workers, and drives each with wrk:
requests/s, p50 and p99 latency, errors and status codes per server, scheme and concurrency;
then the latency of requests without authentication while logins run beside them, and why.
Each run is saved (never overwriting) for --from-run. Every process it starts is stopped
however the run ends.
"""

from __future__ import annotations

import argparse
import datetime
import os
import shlex
import sys
from pathlib import Path

from benchlib import formatting
from benchtools import cli
from benchtools.cli import ToolError
from benchtools.e2e import processes
from benchtools.e2e.check import check
from benchtools.e2e.interference import interference
from benchtools.e2e.machine import commit, describe, load_average
from benchtools.e2e.measure import Driver, sweep
from benchtools.e2e.records import E2ERun, Row, Settings
from benchtools.e2e.report import as_json_text, as_text, interference_table, rows_table
from benchtools.e2e.saved import default_e2e_storage, save
from benchtools.e2e.schemes import SCHEMES, Scheme
from benchtools.e2e.servers import SERVERS, ServerKind, serving
from benchtools.e2e.stage import REDIS_URL_VARIABLE, ROOT, staged
from benchtools.runs import find_run, load_e2e_run

DEFAULT_HASHER = "pbkdf2_sha256"  # Django's default: the first of benchsite's PASSWORD_HASHERS
INTERFERENCE_SCHEMES = ("basic", "async-basic", "async-basic-thread")


def names_from(choices: dict):
    def parse(text: str) -> list[str]:
        names = [name.strip() for name in text.split(",") if name.strip()]
        unknown = [name for name in names if name not in choices]
        if unknown or not names:
            raise argparse.ArgumentTypeError(f"choose from {', '.join(choices)}; got {text!r}")
        return names

    return parse


def build_parser() -> argparse.ArgumentParser:
    from benchlib.hashers import MEASURED_HASHERS

    cores = os.cpu_count() or 1
    parser = cli.parser("e2e", description=__doc__.split("\n\n", 1)[1])
    parser.add_argument(
        "--servers",
        type=names_from(SERVERS),
        default=list(SERVERS),
        help="comma-separated (default: all): " + "; ".join(f"{k.name}: {k.description}" for k in SERVERS.values()),
    )
    parser.add_argument(
        "--schemes",
        type=names_from(SCHEMES),
        default=list(SCHEMES),
        help="comma-separated (default: all; the async ones under uvicorn only): "
        + "; ".join(f"{s.name}: {s.description}" for s in SCHEMES.values()),
    )
    parser.add_argument(
        "--concurrency",
        type=cli.whole_numbers(1),
        default=[1, 4, 16, 64],
        help="connections wrk keeps busy, comma-separated (default 1,4,16,64)",
    )
    parser.add_argument(
        "--duration", type=cli.whole_number(1), default=2, help="whole seconds per point (wrk's unit; default 2)"
    )
    parser.add_argument(
        "--timeout",
        type=cli.positive_number,
        default=10.0,
        help="seconds wrk waits for an answer before counting an error (default 10)",
    )
    parser.add_argument(
        "--workers",
        type=cli.whole_number(1),
        default=cores,
        help=f"worker processes per server (default: one per core, {cores})",
    )
    parser.add_argument("--threads", type=cli.whole_number(1), default=4, help="threads per gthread worker (default 4)")
    parser.add_argument(
        "--hasher",
        choices=list(MEASURED_HASHERS),
        default=DEFAULT_HASHER,
        help=f"the users' password hasher, preferred by the servers (default {DEFAULT_HASHER})",
    )
    parser.add_argument(
        "--redis-url",
        default=None,
        help="a Redis for the cached scheme (keys under a prefix of the run's own, deleted after); "
        "default: $DRF_AUTH_BENCH_REDIS_URL, else a redis-server of the run's own",
    )
    parser.add_argument(
        "--interference-concurrency",
        type=cli.whole_number(1),
        default=4,
        help="connections sending requests without authentication beside logins (default 4)",
    )
    parser.add_argument(
        "--logins",
        type=cli.whole_number(1),
        default=cores,
        help=f"connections sending logins beside them (default: one per core, {cores})",
    )
    parser.add_argument(
        "--keep-alive",
        action="store_true",
        help="keep connections alive (default: `Connection: close`, a connection per request, as gunicorn's sync "
        "workers force; uvicorn 0.54 with --workers > 1 leaves Nagle's algorithm on and waits ~40 ms for the "
        "client's delayed ACK on every request after a connection's first, uvicorn issue #3149)",
    )
    parser.add_argument("--no-interference", action="store_true", help="measure the rows only")
    parser.add_argument(
        "--check",
        action="store_true",
        help="only check that each server answers each scheme's good and bad credential rightly "
        "(exit 1 if not); no load",
    )
    parser.add_argument("--json", action="store_true", help="print the run as JSON instead of tables")
    parser.add_argument("--plot", type=Path, metavar="PNG", help="write requests/s and p99 against concurrency")
    parser.add_argument("--storage", type=Path, help="where runs are saved (default: .e2e-runs of this checkout)")
    parser.add_argument("--no-save", action="store_true", help="do not save the run")
    parser.add_argument(
        "--from-run", metavar="RUN", help="show a saved run (its id, 0001, or its file) instead of measuring"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    return cli.main(build_parser(), argv, lambda args: e2e(args, sys.argv[1:] if argv is None else argv), problem)


def problem(args: argparse.Namespace) -> str | None:
    if args.from_run and args.check:
        return "--from-run shows a saved run; --check measures nothing: give one"
    return None


def e2e(args: argparse.Namespace, argv: list[str]) -> int:
    if args.from_run:
        show(load_e2e_run(saved_run_path(args.from_run, args.storage)), args)
        return cli.EXIT_OK
    with cli.interrupt_on_sigterm(), processes.adopting_orphans():
        if args.check:
            return check_servers(args)
        run = measure(args, argv)
    if not args.no_save:
        print(f"saved {save(run, args.storage or default_e2e_storage())}", file=sys.stderr)
    show(run, args)
    return cli.EXIT_OK


def saved_run_path(reference: str, storage: Path | None) -> Path:
    """A run file given by path, or by number in the storage (looked up only then: it asks git where it is)."""
    as_path = Path(reference)
    if as_path.suffix == ".json" or as_path.exists():
        return as_path
    return find_run(reference, storage or default_e2e_storage())


def show(run: E2ERun, args: argparse.Namespace) -> None:
    print(as_json_text(run) if args.json else as_text(run), end="" if not args.json else "\n")
    if args.plot:
        from benchtools.e2e.chart import plot_rows

        if not run.rows:
            raise ToolError("--plot: the run has no rows to plot")
        plot_rows(run.rows, args.plot, title=f"e2e run {run.date[:19]}, {run.machine.node}, {run.machine.cores} cores")


def serves(kind: ServerKind, scheme: Scheme) -> bool:
    return kind.name == "uvicorn" or not scheme.asgi_only


def staging(args: argparse.Namespace):
    from benchlib.hashers import MEASURED_HASHERS

    return staged(
        hasher_class=MEASURED_HASHERS[args.hasher], redis_url=args.redis_url or os.environ.get(REDIS_URL_VARIABLE)
    )


def check_servers(args: argparse.Namespace) -> int:
    kinds = [SERVERS[name] for name in args.servers]
    schemes = [SCHEMES[name] for name in args.schemes]
    with staging(args) as stage:
        with serving(kinds, workers=args.workers, threads=args.threads, env=stage.env, logs=stage.logs) as servers:
            answers = [
                answer
                for server in servers
                for scheme in schemes
                if serves(server.kind, scheme)
                for answer in check(server, scheme, stage.credentials[scheme.name])
            ]
    table = [("server", "scheme", "credential", "expected", "status", "")]
    table += [(a.server, a.scheme, a.credential, a.expected, a.status, "ok" if a.right else "WRONG") for a in answers]
    print("\n".join(formatting.aligned(table, rule=True)))
    return cli.EXIT_OK if all(answer.right for answer in answers) else cli.EXIT_FINDING


def measure(args: argparse.Namespace, argv: list[str]) -> E2ERun:
    load_before, measured_commit = load_average(), commit(ROOT)
    started = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    rows, interference_rows = [], []
    with staging(args) as stage:
        driver = Driver(args.duration, args.timeout, args.keep_alive, stage.logs / "wrk.log")
        for kind in (SERVERS[name] for name in args.servers):
            with serving(
                [kind], workers=args.workers, threads=args.threads, env=stage.env, logs=stage.logs
            ) as started_servers:
                server = started_servers[0]
                print(f"{kind.name}: {kind.shape(args.workers, args.threads)}, port {server.port}", file=sys.stderr)
                schemes = [SCHEMES[name] for name in args.schemes if serves(kind, SCHEMES[name])]
                rows += sweep(server, schemes, args.concurrency, stage.credentials, driver, progress)
                if not args.no_interference:
                    logins = [SCHEMES[name] for name in INTERFERENCE_SCHEMES if serves(kind, SCHEMES[name])]
                    interference_rows += interference(
                        server,
                        logins,
                        stage.credentials,
                        driver,
                        concurrency=args.interference_concurrency,
                        logins=args.logins,
                        progress=progress,
                    )
    return E2ERun(
        date=started,
        commit=measured_commit,
        command=shlex.join(["e2e", *argv]),
        machine=describe(load_before),
        settings=Settings(args.duration, args.timeout, args.keep_alive, args.hasher, args.workers, args.threads),
        rows=tuple(rows),
        interference=tuple(interference_rows),
    )


def progress(row) -> None:
    """One line on stderr per point measured, so a long run shows where it is."""
    table = rows_table([row]) if isinstance(row, Row) else interference_table([row])
    print("  " + table[-1], file=sys.stderr)
