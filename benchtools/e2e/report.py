"""An e2e run as text (tables through benchlib.formatting) and as JSON."""

from __future__ import annotations

from collections.abc import Iterable

from benchlib import formatting
from benchlib.formats.e2e_run import Drill, E2ERun, Interference, OutageDrill, RevocationDrill, Row, encode_run
from benchlib.formats.records import DatabaseRecord

CACHED, SLOW = "cached-basic", "basic"


def as_text(run: E2ERun) -> str:
    machine, settings = run.machine, run.settings
    lines = [
        f"e2e run {run.date[:19]} of {run.commit_info.short}: {machine.node}, {machine.cores} cores "
        f"({machine.cpu}), Python {machine.python}, load average {_load(machine.load_average_before)} before, "
        f"{_load(machine.load_average_after)} after",
        "versions: " + ", ".join(f"{name} {version}" for name, version in machine.versions.items()),
        f"{settings.workers} worker processes per server ({settings.threads} threads each under gthread), "
        f"hasher {settings.hasher}, {settings.duration_seconds:g} s per point, "
        f"wrk timeout {settings.timeout_seconds:g} s, "
        + ("connections kept alive" if settings.keep_alive else "a connection per request (Connection: close)"),
        f"database: {database(settings.database)}",
        "",
    ]
    if run.rows:
        lines += [*rows_table(run.rows), "", *cached_against_basic(run.rows)]
    if run.interference:
        lines += ["", "Requests without authentication, alone and beside logins (or idle waits as long as a login):"]
        lines += interference_table(run.interference)
    if run.drills:
        lines += [*drills_table(run.drills), "", *drills_verdict(run.drills)]
    return "\n".join(lines).rstrip() + "\n"


def drills_table(drills: tuple[Drill, ...] | list[Drill]) -> list[str]:
    """The revocation drills' table, then the outage drills', whichever there are."""
    lines = []
    revocations = [drill for drill in drills if isinstance(drill, RevocationDrill)]
    outages = [drill for drill in drills if isinstance(drill, OutageDrill)]
    if revocations:
        lines += [
            "",
            "A credential revoked under load (times from the load's start; 'after commit': requests the servers "
            "received after save() returned):",
            *revocation_table(revocations),
        ]
    if outages:
        lines += [
            "",
            "A service stopped under load and started again (req/s of the good credential; 'wrongly accepted': 200s "
            "to a revoked credential):",
            *outage_table(outages),
        ]
    return lines


def revocation_table(drills: list[RevocationDrill]) -> list[str]:
    table: list[tuple] = [
        (
            "server", "connections", "scheme", "cache", "change", "concurrency", "at", "save", "accepted before",
            "in flight", "after commit", "refused", "other", "unanswered", "first refusal",
        )
    ]  # fmt: skip
    for drill in drills:
        table.append(
            (
                drill.server,
                drill.connections,
                drill.scheme,
                drill.cache,
                drill.change,
                drill.concurrency,
                _seconds(drill.changed_at_seconds),
                _ms(drill.save_ms),
                drill.accepted_before,
                drill.in_flight,
                drill.accepted_after_commit,
                drill.refused,
                _statuses(drill.other),
                drill.unanswered,
                _ms(drill.first_refusal_ms),
            )
        )
    return formatting.aligned(table, rule=True)


def outage_table(drills: list[OutageDrill]) -> list[str]:
    table: list[tuple] = [
        (
            "server", "connections", "service", "scheme", "concurrency", "down", "req/s before → down → after",
            "statuses", "5xx", "wrongly accepted", "unanswered", "recovery",
        )
    ]  # fmt: skip
    for drill in drills:
        rates = (drill.requests_per_second_before, drill.requests_per_second_down, drill.requests_per_second_after)
        table.append(
            (
                drill.server,
                drill.connections,
                drill.service,
                drill.scheme,
                drill.concurrency,
                _seconds(drill.down_seconds),
                " → ".join(formatting.rate(rate) for rate in rates),
                _statuses(drill.statuses),
                drill.server_errors,
                drill.wrongly_accepted,
                drill.unanswered,
                "not back" if drill.recovery_seconds is None else _seconds(drill.recovery_seconds),
            )
        )
    return formatting.aligned(table, rule=True)


def drills_verdict(drills: tuple[Drill, ...] | list[Drill]) -> list[str]:
    """The line a drill run is judged by: requests accepted with a revoked credential (0, or exit 1)."""
    wrong = sum(drill.revoked_accepted for drill in drills)
    verdict = "none" if wrong == 0 else f"{wrong} (WRONG: a revocation did not hold)"
    return [f"requests accepted with a revoked credential, in {len(drills)} drills: {verdict}"]


def database(record: DatabaseRecord | None) -> str:
    """The served database in words; runs saved before it was recorded served a SQLite file."""
    if record is None:
        return "a SQLite file"
    settings = "".join(f", {name} {value}" for name, value in record.settings.items())
    return f"{record.vendor} {record.version}, {record.where}{settings}"


def rows_table(rows: tuple[Row, ...] | list[Row]) -> list[str]:
    table: list[tuple[object, ...]] = [
        ("server", "connections", "scheme", "concurrency", "req/s", "p50", "p99", "errors", "statuses", "wrk cores")
    ]
    for row in rows:
        statuses = " ".join(f"{code}×{count}" for code, count in row.statuses.items()) or "none"
        table.append(
            (
                row.server,
                row.connections,
                row.scheme,
                row.concurrency,
                formatting.rate(row.requests_per_second),
                _ms(row.p50_ms),
                _ms(row.p99_ms),
                row.errors,
                statuses,
                f"{row.load_generator_cores:.2f}",
            )
        )
    return formatting.aligned(table, rule=True)


def cached_against_basic(rows: tuple[Row, ...] | list[Row]) -> list[str]:
    """Cached Basic's requests/s over Basic's, per server and concurrency measured with both."""
    by_point = {(row.server, row.connections, row.scheme, row.concurrency): row for row in rows}
    several = len({row.connections for row in rows}) > 1
    found = []
    for (server, connections, scheme, concurrency), cached in by_point.items():
        basic = by_point.get((server, connections, SLOW, concurrency))
        if scheme == CACHED and basic is not None:
            server = f"{server} ({connections})" if several else server
            times = (
                f"{formatting.ratio(cached.requests_per_second / basic.requests_per_second)}×"
                if basic.requests_per_second > 0
                else "∞ (Basic served none)"
            )
            found.append(f"  {server}, concurrency {concurrency}: {times}")
    return ["cached Basic's requests/s over Basic's (same server, same concurrency):", *found] if found else []


def interference_table(rows: tuple[Interference, ...] | list[Interference]) -> list[str]:
    table = [
        (
            "server",
            "connections",
            "beside",
            "req/s alone → beside",
            "p50 alone → beside",
            "p99 alone → beside",
            "beside/s",
            "server cores",
            "in main threads",
            "machine",
            "cause",
        )
    ]
    for row in rows:
        table.append(
            (
                row.server,
                row.connections,
                f"{row.beside} ×{row.beside_concurrency}",
                f"{formatting.rate(row.alone_requests_per_second)} → {formatting.rate(row.requests_per_second)}",
                f"{_ms(row.alone_p50_ms)} → {_ms(row.p50_ms)}",
                f"{_ms(row.alone_p99_ms)} → {_ms(row.p99_ms)}",
                formatting.rate(row.beside_per_second),
                f"{row.server_cores:.2f}",
                f"{row.main_threads_share:.0%}",
                f"{row.machine_busy:.0%}",
                row.cause,
            )
        )
    return formatting.aligned(table, rule=True)


def as_json_text(run: E2ERun) -> str:
    return encode_run(run).decode()


def _seconds(seconds: float) -> str:
    return formatting.duration(seconds) if seconds > 0 else "0 s"


def _statuses(statuses: dict[str, int]) -> str:
    return " ".join(f"{code}×{count}" for code, count in statuses.items()) or "none"


def _ms(milliseconds: float | None) -> str:
    return "-" if milliseconds is None else formatting.duration(milliseconds / 1000)


def _load(values: Iterable[float]) -> str:
    return " ".join(f"{value:.2f}" for value in values)
