"""`python -m benchtools e2e`: what authentication does to a served API's throughput and latency.

`e2e measure` starts real servers (gunicorn sync and gthread workers, uvicorn) serving
benchsite, with a database (a SQLite file, or PostgreSQL) and a Redis of the run's own shared
by their workers, and drives each with wrk: requests/s, p50 and p99 latency, errors and status
codes per server, way of handling database connections, scheme and concurrency; then the
latency of requests without authentication while logins run beside them, and why. Each run
is saved (never overwriting) for `e2e show`. `e2e check` only checks that each server answers
each scheme rightly. Every process started is stopped however the run ends.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import os
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

import msgspec

from benchlib import formatting
from benchlib.auth_schemes import SERVED_SCHEMES, ServedScheme
from benchlib.formats.e2e_run import Drill, E2ERun, Interference, Row, Settings, encode_run
from benchsite.database_settings import CONNECTIONS, DATABASE_URL_VARIABLE, PER_REQUEST
from benchtools import cli, options, processes
from benchtools.e2e.check import check
from benchtools.e2e.database import (
    POSTGRESQL,
    SQLITE,
    DatabaseChoice,
    check_connections,
    database_choice,
    without_passwords,
)
from benchtools.e2e.drill_runs import KINDS, LOCMEM, REDIS_CACHE, DrillPlan, check_plan, drill_run
from benchtools.e2e.drills import POSTGRESQL as POSTGRESQL_DRILL
from benchtools.e2e.drills import Timing
from benchtools.e2e.interference import interference
from benchtools.e2e.machine import commit, describe, load_average
from benchtools.e2e.report import as_json_text, as_text, drills_table, interference_table, rows_table
from benchtools.e2e.servers import SERVERS, ServerKind, serving
from benchtools.e2e.stage import REDIS_URL_VARIABLE, ROOT, Stage, staged
from benchtools.e2e.sweep import Driver, sweep
from benchtools.errors import ExitCode, ToolError
from benchtools.options import Format, Output
from benchtools.runs import load_e2e_run
from benchtools.storage import E2E_RUNS, save_new

DEFAULT_HASHER = "pbkdf2_sha256"  # Django's default: the first of benchsite's PASSWORD_HASHERS
INTERFERENCE_SCHEMES = ("basic", "async-basic", "async-basic-thread")


@dataclass(frozen=True)
class Serving:
    """The servers and schemes a run starts and asks, and how the servers are set up."""

    servers: list[ServerKind]
    schemes: list[ServedScheme]
    workers: int
    threads: int
    hasher: str
    redis_url: str | None
    database: DatabaseChoice
    connections: list[str]  # ways of handling database connections (benchsite.database_settings.CONNECTIONS)


@dataclass(frozen=True)
class Load:
    """How wrk drives each point, and the interference measurement beside it."""

    concurrency: list[int]
    duration: int
    timeout: float
    keep_alive: bool
    interference: bool
    interference_concurrency: int
    logins: int


def build_parser() -> argparse.ArgumentParser:
    parser = cli.parser("e2e", description=(__doc__ or "").split("\n\n", 1)[1])
    modes = cli.modes(parser)
    measure = cli.mode(modes, "measure", "Measure each server and scheme under load, save the run and print it.")
    check_mode = cli.mode(
        modes,
        "check",
        "Check that each server answers each scheme's good credential with 200 and a bad one with its refusal "
        "(exit 1 if not); no load.",
    )
    drill = cli.mode(
        modes,
        "drill",
        "Fault drills under load, saved as a run: a credential revoked (its password changed, then the user "
        "deactivated) by another process, Redis stopped and started again, PostgreSQL restarted. Exit 1 if any "
        "request was accepted with a revoked credential.",
    )
    show = cli.mode(modes, "show", "Print a saved run again, or draw it.")
    show.add_argument("run", metavar="RUN", help="a saved run: its id (0001) or its JSON file")
    for mode in (measure, check_mode):
        add_serving(mode)
    add_load(measure)
    add_drill(drill)
    for mode in (measure, drill):
        mode.add_argument("--no-save", action="store_true", help="do not save the run")
    options.add_output(drill)
    options.add_storage(drill, E2E_RUNS)
    for mode in (measure, show):
        options.add_output(mode, plot="write requests/s and p99 latency against concurrency, a panel per server")
        options.add_storage(mode, E2E_RUNS)
    return parser


def add_serving(parser: argparse.ArgumentParser, *, redis: bool = True) -> None:
    """The servers, schemes and what they serve from; `redis`: --redis-url too (a drill's Redis is its own)."""
    from benchlib.hashers import MEASURED_HASHERS

    cores = os.cpu_count() or 1
    parser.add_argument(
        "--servers",
        type=cli.names_from(SERVERS),
        default=list(SERVERS),
        help="comma-separated (default: all): " + "; ".join(f"{k.name}: {k.description}" for k in SERVERS.values()),
    )
    parser.add_argument(
        "--schemes",
        type=cli.names_from(SERVED_SCHEMES),
        default=list(SERVED_SCHEMES),
        help="comma-separated (default: all; the async ones under uvicorn only): "
        + "; ".join(f"{s.name}: {s.description}" for s in SERVED_SCHEMES.values()),
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
    if redis:
        parser.add_argument(
            "--redis-url",
            default=None,
            help="a Redis for the cached scheme (keys under a prefix of the run's own, deleted after); "
            f"default: ${REDIS_URL_VARIABLE}, else a redis-server of the run's own",
        )
    parser.add_argument(
        "--database",
        type=database_choice,
        default=os.environ.get(DATABASE_URL_VARIABLE) or SQLITE,
        help="the served database, made fresh for the run and removed after: sqlite (a file), postgresql (a cluster "
        "of the run's own), or a postgresql:// URL of a server on which the run creates a database and drops it "
        f"after; default: the server of ${DATABASE_URL_VARIABLE}, else sqlite",
    )
    parser.add_argument(
        "--connections",
        type=cli.names_from(CONNECTIONS),
        default=[PER_REQUEST],
        help=f"comma-separated ways the workers handle database connections, each measured with servers of its own "
        f"(default {PER_REQUEST}): " + "; ".join(f"{name}: {words}" for name, (words, _) in CONNECTIONS.items()),
    )


def add_drill(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "drill",
        choices=list(KINDS),
        help="revocation: a fresh user's credential under load, revoked by another process; redis: the run's Redis "
        "stopped and started again; postgres: the run's PostgreSQL cluster restarted",
    )
    add_serving(parser, redis=False)
    defaults = ", ".join(f"{kind}: {','.join(schemes)}" for kind, (_, schemes) in KINDS.items())
    # At least two worker processes: a revocation saved elsewhere must hold in every one of them.
    workers = max(2, os.cpu_count() or 1)
    parser.set_defaults(servers=["gunicorn-sync"], schemes=None, database=None, workers=workers)
    parser.add_argument(
        "--concurrency", type=cli.whole_number(1), default=4, help="connections sending the credential (default 4)"
    )
    parser.add_argument(
        "--duration", type=cli.whole_number(1), default=10, help="whole seconds of load per drill (default 10)"
    )
    parser.add_argument(
        "--at", type=cli.positive_number, default=2.0, help="seconds into the load of the change or stop (default 2)"
    )
    parser.add_argument(
        "--down", type=cli.positive_number, default=2.0, help="seconds a stopped service stays down (default 2)"
    )
    parser.add_argument("--runs", type=cli.whole_number(1), default=1, help="times each drill is run (default 1)")
    parser.add_argument(
        "--auth-cache",
        choices=[REDIS_CACHE, LOCMEM],
        default=REDIS_CACHE,
        help="cached_auth's cache: the Redis the workers share (default), or locmem, each process's own: the "
        "mistake docs/e2e.md warns of, which a revocation drill shows (a change saved in one process is not seen "
        "by the others)",
    )
    parser.add_argument(
        "--timeout",
        type=cli.positive_number,
        default=10.0,
        help="seconds wrk waits for an answer before counting a request unanswered (default 10)",
    )
    parser.epilog = (
        f"Defaults: --servers gunicorn-sync; --workers {workers}; --schemes per drill ({defaults}); --database: "
        f"postgres drills serve from a cluster of their own, the others as measure does.\n\n{parser.epilog}"
    )


def add_load(parser: argparse.ArgumentParser) -> None:
    cores = os.cpu_count() or 1
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
        "workers force; see docs/e2e.md for what uvicorn does with kept-alive connections)",
    )
    parser.add_argument("--no-interference", action="store_true", help="measure the rows only")


def main(argv: list[str] | None = None) -> int:
    return cli.main(build_parser(), argv, lambda arguments: dispatch(arguments, sys.argv[1:] if argv is None else argv))


def dispatch(arguments: argparse.Namespace, argv: list[str]) -> int:
    if arguments.mode == "show":
        run = load_e2e_run(options.storage_of(arguments, E2E_RUNS).find(arguments.run))
        show(run, options.output_of(arguments))
        return ExitCode.OK
    if arguments.mode == "drill":
        return drill(arguments, argv)
    serving_options = Serving(
        servers=[SERVERS[name] for name in arguments.servers],
        schemes=[SERVED_SCHEMES[name] for name in arguments.schemes],
        workers=arguments.workers,
        threads=arguments.threads,
        hasher=arguments.hasher,
        redis_url=arguments.redis_url or os.environ.get(REDIS_URL_VARIABLE),
        database=arguments.database,
        connections=arguments.connections,
    )
    check_connections(serving_options.database, serving_options.connections)
    with cli.interrupt_on_sigterm(), processes.adopting_orphans():
        if arguments.mode == "check":
            return check_servers(serving_options)
        load = Load(
            concurrency=arguments.concurrency,
            duration=arguments.duration,
            timeout=arguments.timeout,
            keep_alive=arguments.keep_alive,
            interference=not arguments.no_interference,
            interference_concurrency=arguments.interference_concurrency,
            logins=arguments.logins,
        )
        run = measure(serving_options, load, shlex.join(["e2e", *without_passwords(argv)]))
    if not arguments.no_save:
        print(f"saved {save_run(run, options.storage_of(arguments, E2E_RUNS).path)}", file=sys.stderr)
    show(run, options.output_of(arguments))
    return ExitCode.OK


def drill(arguments: argparse.Namespace, argv: list[str]) -> int:
    from benchlib.hashers import MEASURED_HASHERS

    service, schemes = KINDS[arguments.drill]
    database = arguments.database
    if database is None:
        # Parsed as --database's default is: a wrong URL in the environment is a usage error.
        default = POSTGRESQL if service == POSTGRESQL_DRILL else os.environ.get(DATABASE_URL_VARIABLE) or SQLITE
        try:
            database = database_choice(default)
        except argparse.ArgumentTypeError as error:
            raise ToolError(f"${DATABASE_URL_VARIABLE}: {error}") from None
    plan = DrillPlan(
        kind=arguments.drill,
        servers=[SERVERS[name] for name in arguments.servers],
        connections=arguments.connections,
        schemes=[SERVED_SCHEMES[name] for name in arguments.schemes or schemes],
        runs=arguments.runs,
        timing=Timing(arguments.duration, arguments.at, arguments.down, arguments.concurrency),
        timeout=arguments.timeout,
        workers=arguments.workers,
        threads=arguments.threads,
        hasher_class=MEASURED_HASHERS[arguments.hasher],
        database=database,
        auth_cache=arguments.auth_cache,
    )
    check_connections(plan.database, plan.connections)
    check_plan(plan)
    with cli.interrupt_on_sigterm(), processes.adopting_orphans():
        run = drill_run(plan, arguments.hasher, shlex.join(["e2e", *without_passwords(argv)]), progress)
    if not arguments.no_save:
        print(f"saved {save_run(run, options.storage_of(arguments, E2E_RUNS).path)}", file=sys.stderr)
    show(run, options.output_of(arguments))
    return ExitCode.FINDING if any(drill.revoked_accepted for drill in run.drills) else ExitCode.OK


def save_run(run: E2ERun, storage: Path) -> Path:
    """Save under the next free number as `NNNN_<commit>_<date>_<time>.json`; nothing is overwritten."""
    date = run.date[:19].replace("-", "").replace(":", "").replace("T", "_")
    return save_new(storage, f"{(run.commit_info.id or 'unknown')[:12]}_{date}", encode_run(run))


def show(run: E2ERun, output: Output) -> None:
    print(as_json_text(run) if output.format == Format.JSON else as_text(run), end="")
    if output.format == Format.JSON:
        print()
    if output.plot:
        from benchtools.e2e.chart import plot_rows

        if not run.rows:
            raise ToolError("--plot: the run has no rows to plot")
        title = f"e2e run {run.date[:19]}, {run.machine.node}, {run.machine.cores} cores"
        plot_rows(rows_to_plot(run.rows), output.plot, title=title)


def rows_to_plot(rows: tuple[Row, ...]) -> list[Row]:
    """The rows, each scheme named with its way of handling connections when the run measured several."""
    if len({row.connections for row in rows}) == 1:
        return list(rows)
    return [msgspec.structs.replace(row, scheme=f"{row.scheme} ({row.connections})") for row in rows]


def serves(kind: ServerKind, scheme: ServedScheme) -> bool:
    return kind.name == "uvicorn" or not scheme.asgi_only


def staging(serving_options: Serving) -> contextlib.AbstractContextManager[Stage]:
    from benchlib.hashers import MEASURED_HASHERS

    return staged(
        hasher_class=MEASURED_HASHERS[serving_options.hasher],
        redis_url=serving_options.redis_url,
        database=serving_options.database,
    )


def check_servers(serving_options: Serving) -> int:
    answers = []
    with staging(serving_options) as stage:
        for connections in serving_options.connections:
            with serving(
                serving_options.servers,
                workers=serving_options.workers,
                threads=serving_options.threads,
                env=stage.env_for(connections),
                logs=stage.logs,
            ) as servers:
                answers += [
                    (connections, answer)
                    for server in servers
                    for scheme in serving_options.schemes
                    if serves(server.kind, scheme)
                    for answer in check(server, scheme, stage.credentials[scheme.name])
                ]
    table: list[tuple] = [("server", "connections", "scheme", "credential", "expected", "status", "")]
    table += [
        (a.server, connections, a.scheme, a.credential, a.expected, a.status, "ok" if a.right else "WRONG")
        for connections, a in answers
    ]
    print("\n".join(formatting.aligned(table, rule=True)))
    return ExitCode.OK if all(answer.right for _, answer in answers) else ExitCode.FINDING


def measure(serving_options: Serving, load: Load, command: str) -> E2ERun:
    load_before, measured_commit = load_average(), commit(ROOT)
    started = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    rows: list[Row] = []
    interference_rows: list[Interference] = []
    with staging(serving_options) as stage:
        driver = Driver(load.duration, load.timeout, load.keep_alive, stage.logs / "wrk.log")
        for kind in serving_options.servers:
            for connections in serving_options.connections:
                rows_of_kind, interference_of_kind = measure_server(
                    kind, connections, serving_options, load, stage, driver
                )
                rows += rows_of_kind
                interference_rows += interference_of_kind
        settings = Settings(
            load.duration, load.timeout, load.keep_alive, serving_options.hasher, serving_options.workers,
            serving_options.threads, stage.database.record,
        )  # fmt: skip
    return E2ERun(
        date=started,
        commit_info=measured_commit,
        command=command,
        machine=describe(load_before),
        settings=settings,
        rows=tuple(rows),
        interference=tuple(interference_rows),
    )


def measure_server(
    kind: ServerKind, connections: str, serving_options: Serving, load: Load, stage: Stage, driver: Driver
) -> tuple[list[Row], list[Interference]]:
    """One server's rows, then its interference rows, with the server started for them and stopped after."""
    workers, threads = serving_options.workers, serving_options.threads
    env = stage.env_for(connections)
    with serving([kind], workers=workers, threads=threads, env=env, logs=stage.logs) as started:
        server = started[0]
        shape = f"{kind.shape(workers, threads)}, connections {connections}"
        print(f"{kind.name}: {shape}, port {server.port}", file=sys.stderr)
        schemes = [scheme for scheme in serving_options.schemes if serves(kind, scheme)]
        rows = sweep(server, schemes, load.concurrency, stage.credentials, driver, progress)
        if not load.interference:
            return rows, []
        logins = [SERVED_SCHEMES[name] for name in INTERFERENCE_SCHEMES if serves(kind, SERVED_SCHEMES[name])]
        beside = interference(
            server,
            logins,
            stage.credentials,
            driver,
            concurrency=load.interference_concurrency,
            logins=load.logins,
            progress=progress,
        )
        return rows, beside


def progress(row: Row | Interference | Drill) -> None:
    """One line on stderr per point measured, so a long run shows where it is."""
    if isinstance(row, Row):
        table = rows_table([row])
    elif isinstance(row, Interference):
        table = interference_table([row])
    else:
        table = drills_table([row])
    print("  " + table[-1], file=sys.stderr)
