"""A throwaway PostgreSQL cluster: made in a temporary folder, served on a free loopback port, removed after.

What the suite runs on PostgreSQL with (`python -m benchtools postgres -- COMMAND`, .ci/run),
and what e2e runs and drills serve from (and restart). `initdb` and the server are
PostgreSQL's own (the newest under /usr/lib/postgresql, as Debian installs them, else the
ones on PATH); when this process is root they run as the `postgres` user, as the server
refuses to run as root. The server leads a process group of its own (benchtools.processes)
and is stopped however the block ends; the folder is removed after.

The cluster trusts every local connection (`initdb -A trust`) as the superuser `postgres`,
over TCP on 127.0.0.1 and a Unix socket in its folder. fsync is off: the cluster is thrown
away, so nothing is lost, but a commit does not wait for the disk, which makes a write
cheaper than on a production server (reads are not affected). Every other setting is the
server's default.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from benchtools import processes
from benchtools.errors import ToolError

if TYPE_CHECKING:
    import psycopg

SUPERUSER = "postgres"
SERVER_USER = "postgres"  # the OS user the server runs as when this process is root
INSTALLED = Path("/usr/lib/postgresql")  # Debian's: /usr/lib/postgresql/<major>/bin
# Settings given to the server besides the port and where it listens.
SERVER_SETTINGS = {"fsync": "off"}
START_TIMEOUT_SECONDS = 30.0
START_ATTEMPTS = 3  # a port taken between choosing and binding it: started again on another
PORT_TAKEN = "could not bind"


def binaries() -> Path:
    """The folder of initdb and postgres: the newest major version installed, else the one on PATH."""
    versions = sorted(
        (path for path in INSTALLED.glob("*/bin") if (path / "initdb").exists()),
        key=lambda path: int(path.parent.name) if path.parent.name.isdigit() else 0,
    )
    if versions:
        return versions[-1]
    initdb = shutil.which("initdb")
    if initdb is None:
        raise ToolError(f"PostgreSQL not found: no initdb under {INSTALLED} or on PATH (apt-get install postgresql)")
    return Path(initdb).parent


def server_user() -> str | None:
    """The OS user the server runs as: `postgres` when this process is root, else this process's own (None)."""
    return SERVER_USER if os.geteuid() == 0 else None


@dataclass
class Cluster:
    """A data folder and the server serving it on `port`; started, stopped and started again on the same port."""

    folder: Path
    bin: Path
    user: str | None
    port: int = 0
    version: str = ""  # the server's, as `SHOW server_version` says
    process: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def log(self) -> Path:
        return self.folder / "server.log"

    def url(self, database: str = "postgres") -> str:
        """A libpq URL of `database`, over TCP as the superuser (no password: the cluster trusts local connections)."""
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def command(self) -> list[str]:
        settings = {"listen_addresses": "127.0.0.1", **SERVER_SETTINGS}
        return [
            str(self.bin / "postgres"), "-D", str(self.data), "-p", str(self.port), "-k", str(self.folder),
            *(word for name, value in settings.items() for word in ("-c", f"{name}={value}")),
        ]  # fmt: skip

    def start(self) -> None:
        """Start the server on a free port (or its port, if it had one) and return once it takes connections."""
        fixed = bool(self.port)
        for attempt in range(1, START_ATTEMPTS + 1):
            if not fixed:
                self.port = processes.free_port()
            with processes.interrupts_held():  # so that an interrupt never finds the server started but not known
                self.process = processes.start_group(
                    self.command(), env=server_environment(), log=self.log, user=self.user
                )
            try:
                self.version = wait_until_ready(self)
                return
            except PortTaken:
                self.stop()
                if fixed or attempt == START_ATTEMPTS:
                    raise ToolError(
                        f"PostgreSQL could not bind port {self.port}: {processes.log_tail(self.log)}"
                    ) from None
            except BaseException:
                self.stop()
                raise

    def stop(self) -> None:
        """A fast shutdown (SIGINT: open transactions are rolled back, clients disconnected); what is left after
        the grace period is killed with its process group."""
        if self.process is None:
            return
        with processes.interrupts_held():
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.process.pid, signal.SIGINT)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=processes.GRACE_SECONDS)
        processes.stop_group(self.process)


class PortTaken(Exception):
    """The server exited because its port was taken between choosing it and binding it."""


@contextlib.contextmanager
def throwaway_cluster() -> Iterator[Cluster]:
    """A new cluster, started, for the block; stopped and its folder removed after, however the block ends."""
    folder = Path(tempfile.mkdtemp(prefix="drf-auth-bench-postgres-"))
    user = server_user()
    try:
        if user is not None:
            entry = pwd.getpwnam(user)
            os.chown(folder, entry.pw_uid, entry.pw_gid)
        cluster = Cluster(folder, binaries(), user)
        initdb(cluster)
        try:
            cluster.start()
            yield cluster
        finally:
            cluster.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def initdb(cluster: Cluster) -> None:
    """Make the cluster's data folder: UTF-8, the C locale (the same collation on every machine), trust."""
    command = [
        str(cluster.bin / "initdb"), "-D", str(cluster.data), "-U", SUPERUSER, "-A", "trust",
        "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions",
    ]  # fmt: skip
    with processes.group(command, env=server_environment(), log=cluster.log, user=cluster.user) as process:
        process.wait()
    if process.returncode != 0:
        raise ToolError(f"initdb exited with {process.returncode}: {processes.log_tail(cluster.log)}")


def server_environment() -> dict[str, str]:
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C"}


def wait_until_ready(cluster: Cluster, timeout: float = START_TIMEOUT_SECONDS) -> str:
    """Wait until the server takes connections; return its version. A server that exited raises a ToolError
    quoting its log (PortTaken if its port was taken)."""
    import psycopg

    deadline = time.monotonic() + timeout
    while True:
        if cluster.process is not None and cluster.process.poll() is not None:
            said = processes.log_tail(cluster.log)
            if PORT_TAKEN in said:
                raise PortTaken(said)
            raise ToolError(f"PostgreSQL exited with {cluster.process.returncode}: {said}")
        try:
            with psycopg.connect(cluster.url(), connect_timeout=2, autocommit=True) as connection:
                return setting(connection, "server_version")
        except psycopg.OperationalError:
            pass
        if time.monotonic() > deadline:
            raise ToolError(
                f"PostgreSQL did not take connections on port {cluster.port} in {timeout:g} s: "
                f"{processes.log_tail(cluster.log)}"
            )
        time.sleep(0.05)


def setting(connection: psycopg.Connection, name: str) -> str:
    """A setting of the server `connection` is connected to, as `SHOW name` gives it."""
    row = connection.execute(f"SHOW {name}").fetchone()
    if row is None:
        raise ToolError(f"PostgreSQL gave no value for SHOW {name}")
    return str(row[0])


def create_database(server_url: str, name: str) -> None:
    """CREATE DATABASE `name` on the server `server_url` connects to (its role must be allowed to)."""
    _execute(server_url, "CREATE DATABASE {}", name)


def drop_database(server_url: str, name: str) -> None:
    """DROP DATABASE `name`, disconnecting whoever is still connected to it (PostgreSQL 13 and newer)."""
    _execute(server_url, "DROP DATABASE IF EXISTS {} WITH (FORCE)", name)


def _execute(server_url: str, statement: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    try:
        with psycopg.connect(server_url, connect_timeout=10, autocommit=True) as connection:
            connection.execute(sql.SQL(statement).format(sql.Identifier(name)))
    except psycopg.Error as error:
        raise ToolError(f"{statement.split(' {')[0]} {name}: {str(error).strip()}") from None
