"""A run of fault drills (`python -m benchtools e2e drill KIND`): the stage, each server in turn, the drills.

The stage is the e2e one (benchtools.e2e.stage), always with a Redis of the run's own (the
Redis drill stops it) and with the servers recording every response (benchsite.response_log);
the PostgreSQL drill also needs a cluster of the run's own, which it restarts. Per server and
way of handling database connections, a server is started; per scheme it is warmed up, then
each drill is run `runs` times (a revocation drill once per change: the password, then
deactivation), the server left to settle between drills.
"""

from __future__ import annotations

import datetime
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from benchlib.auth_schemes import ServedScheme
from benchlib.formats.e2e_run import Drill, E2ERun, Settings
from benchlib.formats.records import DatabaseRecord
from benchtools.e2e import drills
from benchtools.e2e.database import POSTGRESQL, DatabaseChoice
from benchtools.e2e.drills import CHANGES, Drilling, Service, Timing
from benchtools.e2e.machine import commit, describe, load_average
from benchtools.e2e.servers import Server, ServerKind, serving
from benchtools.e2e.stage import ROOT, Stage, staged
from benchtools.e2e.sweep import Driver, settle, warm_up
from benchtools.e2e.user_admin import user_admin
from benchtools.errors import ToolError

AUTH_CACHE_VARIABLE = "DRF_AUTH_BENCH_AUTH_CACHE"  # benchsite.settings_served reads the same
REDIS_CACHE, LOCMEM = "redis", "locmem"
# The drills, by the name `e2e drill` takes, with the service each stops (None: none) and its default schemes.
KINDS = {
    drills.REVOCATION: (None, ["cached-basic"]),
    "redis": (drills.REDIS, ["cached-basic"]),
    "postgres": (drills.POSTGRESQL, ["token"]),
}


@dataclass(frozen=True)
class DrillPlan:
    """What a drill run does: which drill, on which servers, connections and schemes, how often, and its timing."""

    kind: str  # a key of KINDS
    servers: list[ServerKind]
    connections: list[str]
    schemes: list[ServedScheme]
    runs: int
    timing: Timing
    timeout: float
    workers: int
    threads: int
    hasher_class: str
    database: DatabaseChoice
    auth_cache: str = "redis"  # or "locmem": each process's own (the revocation drill only)


def check_plan(plan: DrillPlan) -> None:
    """What a drill cannot do, as a ToolError naming the option."""
    service = KINDS[plan.kind][0]
    if service == drills.POSTGRESQL and plan.database != DatabaseChoice(POSTGRESQL):
        raise ToolError("--database: the postgres drill restarts the server, so it serves from a cluster of its own")
    if service is None:
        wrong = [scheme.name for scheme in plan.schemes if scheme.name not in drills.BASIC_SCHEMES]
        if wrong:
            raise ToolError(f"--schemes {','.join(wrong)}: a revocation drill revokes a password: use Basic schemes")
        if plan.timing.at >= plan.timing.seconds:
            raise ToolError(f"--at {plan.timing.at:g}: the change must come before the load's end (--duration)")
    elif plan.timing.at + plan.timing.down >= plan.timing.seconds:
        raise ToolError("--at and --down: the service must be back before the load's end (--duration)")
    if plan.auth_cache != REDIS_CACHE and service is not None:
        raise ToolError(f"--auth-cache {plan.auth_cache}: only a revocation drill runs without the shared Redis")
    asynchronous = [scheme.name for scheme in plan.schemes if scheme.asgi_only]
    if asynchronous:
        raise ToolError(f"--schemes {','.join(asynchronous)}: the drills send DRF views' requests only")


def drill_run(plan: DrillPlan, hasher: str, command: str, progress: Callable[[Drill], None]) -> E2ERun:
    """Every drill of the plan (check_plan's), in turn, as a run to save: what was measured, where, and how."""
    load_before, measured_commit = load_average(), commit(ROOT)
    started = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    found, record = run_drills(plan, progress)
    timing = plan.timing
    return E2ERun(
        date=started,
        commit_info=measured_commit,
        command=command,
        machine=describe(load_before),
        settings=Settings(timing.seconds, plan.timeout, False, hasher, plan.workers, plan.threads, record),
        rows=(),
        interference=(),
        drills=tuple(found),
    )


def run_drills(plan: DrillPlan, progress: Callable[[Drill], None]) -> tuple[list[Drill], DatabaseRecord]:
    """Every drill of the plan, in turn, and the record of the database they served from."""
    found: list[Drill] = []
    with staged(hasher_class=plan.hasher_class, redis_url=None, database=plan.database, response_log=True) as stage:
        driver = Driver(plan.timing.seconds, plan.timeout, keep_alive=False, log=stage.logs / "wrk.log")
        with user_admin(auth_cache_env(stage.env, plan), stage.logs, ROOT) as admin:
            drilling = Drilling(driver, admin, stage.logs / "responses.log")
            for kind in plan.servers:
                for connections in plan.connections:
                    found += drill_server(plan, kind, connections, stage, drilling, progress)
    return found, stage.database.record


def drill_server(
    plan: DrillPlan,
    kind: ServerKind,
    connections: str,
    stage: Stage,
    drilling: Drilling,
    progress: Callable[[Drill], None],
) -> list[Drill]:
    env = auth_cache_env(stage.env_for(connections), plan)
    found: list[Drill] = []
    with serving([kind], workers=plan.workers, threads=plan.threads, env=env, logs=stage.logs) as (server,):
        print(f"{kind.name}: {kind.shape(plan.workers, plan.threads)}, connections {connections}", file=sys.stderr)
        for scheme in plan.schemes:
            good = stage.credentials[scheme.name]["good"]
            warm_up(server, scheme.path, good, drilling.driver)
            for _ in range(plan.runs):
                for drill in one_round(plan, server, scheme, good, stage, drilling):
                    progress(drill)
                    found.append(drill)
                    if settle(server):
                        warm_up(server, scheme.path, good, drilling.driver)
    return found


def one_round(
    plan: DrillPlan, server: Server, scheme: ServedScheme, good: dict[str, str], stage: Stage, drilling: Drilling
) -> Iterator[Drill]:
    """The drill once (a revocation drill: once per change)."""
    service_name = KINDS[plan.kind][0]
    if service_name is None:
        for change in CHANGES:
            yield drills.revocation(server, scheme, change, plan.timing, drilling, plan.auth_cache)
        return
    yield drills.outage(server, scheme, good, service_name, service_of(service_name, stage), plan.timing, drilling)


def auth_cache_env(env: dict[str, str], plan: DrillPlan) -> dict[str, str]:
    """The environment of the servers and the user admin: cached_auth on the shared Redis, or each its own."""
    return env if plan.auth_cache == REDIS_CACHE else {**env, AUTH_CACHE_VARIABLE: plan.auth_cache}


def service_of(name: str, stage: Stage) -> Service:
    service = stage.redis if name == drills.REDIS else stage.database.cluster
    if service is None:
        raise ToolError(f"the {name} drill needs a {name} of the run's own")
    return service
