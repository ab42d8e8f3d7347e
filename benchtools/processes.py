"""Processes the tools start (pytest and its valgrind, servers, Redis, wrk): each leads a process group, stopped whole.

A started program may be several processes (pytest --instructions and the valgrind it runs,
gunicorn's master and workers). Each is started in a session of its own, so a Ctrl-C at the
terminal reaches only the tool, which then stops every group it started: SIGTERM to the
group, SIGKILL to what is left after a grace period, and waiting until no process of the group
exists. The e2e tool is a child subreaper while it runs (Linux): a worker orphaned by a killed
master is reparented to the tool and reaped here, not left as a zombie under an init that may
not reap.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import pwd
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from benchtools.errors import ToolError

GRACE_SECONDS = 5.0
HELD = (signal.SIGINT, signal.SIGTERM)
_PR_SET_CHILD_SUBREAPER = 36  # linux/prctl.h


@contextlib.contextmanager
def adopting_orphans() -> Iterator[None]:
    """Make this process the subreaper of its descendants for the duration (a no-op where prctl is missing)."""
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        yield
        return
    prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    try:
        yield
    finally:
        prctl(_PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0)


def start_group(
    command: list[str],
    *,
    env: dict[str, str],
    log: Path,
    stdout: int | IO[bytes] | None = None,
    cwd: Path | None = None,
    user: str | None = None,
    stdin: int = subprocess.DEVNULL,
) -> subprocess.Popen:
    """Start `command` as the leader of a new session and process group; stderr (and stdout unless given) to `log`,
    nothing on stdin unless `stdin` is subprocess.PIPE.

    With `user`, the command runs as that user, with its groups only (this process must be root).
    """
    with log.open("ab") as log_file:
        try:
            return subprocess.Popen(
                command,
                env=env,
                cwd=cwd,
                stdin=stdin,
                stdout=log_file if stdout is None else stdout,
                stderr=log_file,
                start_new_session=True,
                **as_user(user),
            )
        except OSError as error:
            raise ToolError(f"cannot start {command[0]}: {error.strerror or error}") from None


def as_user(user: str | None) -> dict:
    """subprocess's arguments that run a command as `user` and its groups, not this process's; {} for None."""
    if user is None:
        return {}
    try:
        entry = pwd.getpwnam(user)
    except KeyError:
        raise ToolError(f"no user {user!r} on this machine") from None
    return {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": os.getgrouplist(user, entry.pw_gid)}


@contextlib.contextmanager
def group(
    command: list[str],
    *,
    env: dict[str, str],
    log: Path,
    cwd: Path | None = None,
    user: str | None = None,
    pipes: bool = False,
) -> Iterator[subprocess.Popen]:
    """`command` started as a group leader (see start_group) for the block; its group is stopped when the block
    ends, however it ends. An interrupt while it starts is held until the leader is known, so none escapes.
    With `pipes`, its stdin and stdout are pipes to this process."""
    leader = None
    streams = {"stdin": subprocess.PIPE, "stdout": subprocess.PIPE} if pipes else {}
    try:
        with interrupts_held():
            leader = start_group(command, env=env, log=log, cwd=cwd, user=user, **streams)
        yield leader
    finally:
        if leader is not None:
            stop_group(leader)


def stop_group(process: subprocess.Popen, *, grace: float = GRACE_SECONDS) -> None:
    """Stop every process of `process`'s group (see stop_groups)."""
    stop_groups([process], grace=grace)


def stop_groups(leaders: list[subprocess.Popen], *, grace: float = GRACE_SECONDS) -> None:
    """Stop every process of each leader's group: SIGTERM to all groups at once, SIGKILL to what is left
    after `grace` s; return once none is left. A Ctrl-C meanwhile is held until then, not lost."""
    with interrupts_held():
        _stop(leaders, grace)


def _stop(leaders: list[subprocess.Popen], grace: float) -> None:
    for leader in leaders:
        _signal_group(leader.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while _left(leaders) and time.monotonic() < deadline:
        time.sleep(0.02)
    for leader in leaders:
        if members(leader.pid):
            _signal_group(leader.pid, signal.SIGKILL)
    deadline = time.monotonic() + grace
    while left := _left(leaders):
        if time.monotonic() > deadline:
            raise ToolError(f"processes {left} did not exit after SIGKILL")
        time.sleep(0.02)


@contextlib.contextmanager
def interrupts_held() -> Iterator[None]:
    """SIGINT and SIGTERM received inside the block are raised as KeyboardInterrupt when it ends."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received = []
    previous = {signum: signal.signal(signum, lambda signum, frame: received.append(signum)) for signum in HELD}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    if received:
        raise KeyboardInterrupt(f"signal {received[0]}")


def _left(leaders: list[subprocess.Popen]) -> list[int]:
    """The processes still in the leaders' groups, after reaping those that are this process's children."""
    for leader in leaders:
        _reap(leader.pid, leader)
    return [pid for leader in leaders for pid in members(leader.pid)]


def members(group: int) -> list[int]:
    """The processes (zombies included) whose process group is `group`, read from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = stat_fields(entry / "stat")
            if fields and int(fields[2]) == group:
                found.append(int(entry.name))
    return found


def stat_fields(path: Path) -> list[str] | None:
    """/proc/<pid>/stat's fields after the command name: state, ppid, pgrp, ...; None if the process is gone."""
    try:
        text = path.read_text()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    return text.rpartition(")")[2].split()


def _signal_group(group: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(group, signum)


def _reap(group: int, leader: subprocess.Popen) -> None:
    """Collect the exit status of the leader and of any member that is now this process's child."""
    leader.poll()
    for pid in members(group):
        if pid != leader.pid:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)


def free_port() -> int:
    """A loopback port no one listens on now (the kernel's choice) for a server to bind."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def log_tail(log: Path, lines: int = 3) -> str:
    """The last lines of a process's log, on one line, for an error message."""
    try:
        text = log.read_text(errors="replace").strip().splitlines()
    except OSError:
        return "(no log)"
    return " | ".join(text[-lines:]) or "(empty log)"
