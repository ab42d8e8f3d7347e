"""What the fault drills do to users, from a process of its own configured as the servers are.

`python -m benchtools.e2e.user_admin` (benchsite.settings_served, the run's environment: its
database and its Redis) sets Django up, says it is ready, then reads commands on stdin, one a
line, and answers each with one JSON line on stdout:

- `create NAME`: a user NAME whose password is benchlib.credentials.PASSWORD;
- `password NAME`: NAME's password changed to NEW_PASSWORD and saved, as a team's code does;
- `deactivate NAME`: NAME's is_active set to False and saved.

A change answers when save() was called and when it returned, in CLOCK_MONOTONIC nanoseconds
(the clock of the servers' response log, benchsite.response_log). save() returns after the
row is committed (autocommit) and cached_auth has replaced the user's stamps, so a request
received after that moment must be refused. Setting Django up takes a second or more; the
drill starts the process before its load, so that a change happens when the drill asks for it.

`UserAdmin` is the drill's side: it starts the process in a process group of its own and
sends it commands.
"""

from __future__ import annotations

import json
import select
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from benchtools import processes
from benchtools.errors import ToolError

NEW_PASSWORD = "a new password after the old one leaked"
ANSWER_TIMEOUT_SECONDS = 60.0  # Django's set-up, or a password hashed by the slowest hasher, sharing the cores


@dataclass(frozen=True)
class Change:
    """When a change was saved: save() called, and save() returned (the change committed), in monotonic ns."""

    started_ns: int
    committed_ns: int


class UserAdmin:
    """The drill's handle on a running user_admin process."""

    def __init__(self, process: subprocess.Popen, log: Path) -> None:
        self.process = process
        self.log = log

    def create(self, name: str) -> None:
        self._ask(f"create {name}")

    def change_password(self, name: str) -> Change:
        return self._change(f"password {name}")

    def deactivate(self, name: str) -> Change:
        return self._change(f"deactivate {name}")

    def _change(self, command: str) -> Change:
        answer = self._ask(command)
        return Change(answer["started_ns"], answer["committed_ns"])

    def _ask(self, command: str) -> dict:
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(f"{command}\n".encode())
            self.process.stdin.flush()
        except BrokenPipeError:
            raise ToolError(f"the drill's user admin has exited: {processes.log_tail(self.log)}") from None
        answer = self.answer()
        if "error" in answer:
            raise ToolError(f"the drill's user admin could not {command.split()[0]}: {answer['error']}")
        return answer

    def answer(self) -> dict:
        """Its next JSON line, waiting at most ANSWER_TIMEOUT_SECONDS."""
        assert self.process.stdout is not None
        ready, _, _ = select.select([self.process.stdout], [], [], ANSWER_TIMEOUT_SECONDS)
        line = self.process.stdout.readline() if ready else b""
        if not line:
            said = processes.log_tail(self.log)
            raise ToolError(f"the drill's user admin gave no answer in {ANSWER_TIMEOUT_SECONDS:g} s: {said}")
        return json.loads(line)


@contextmanager
def user_admin(env: dict[str, str], logs: Path, root: Path) -> Iterator[UserAdmin]:
    """A user_admin process, ready, for the block; its process group is stopped after."""
    log = logs / "user-admin.log"
    command = [sys.executable, "-m", "benchtools.e2e.user_admin"]
    with processes.group(command, env=env, log=log, cwd=root, pipes=True) as process:
        admin = UserAdmin(process, log)
        admin.answer()  # ready
        yield admin


def serve() -> None:
    """The process's side: set Django up, then answer commands until stdin closes."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import close_old_connections

    from benchlib.credentials import PASSWORD

    manager = get_user_model()._default_manager
    reply({"ready": True})
    for line in sys.stdin:
        command, _, name = line.strip().partition(" ")
        close_old_connections()  # as a request starts: a connection the database dropped (restarted) is replaced
        try:
            if command == "create":
                manager.create_user(username=name, password=PASSWORD)
                reply({"created": name})
                continue
            user = manager.get(username=name)
            if command == "password":
                user.set_password(NEW_PASSWORD)  # hashed before the clock starts: the change is the save
            elif command == "deactivate":
                user.is_active = False
            else:
                reply({"error": f"unknown command {command!r}"})
                continue
            started = time.monotonic_ns()
            user.save()
            reply({"started_ns": started, "committed_ns": time.monotonic_ns()})
        except Exception as error:  # any failure is the drill's to report, in one line
            reply({"error": f"{type(error).__name__}: {error}"})


def reply(answer: dict) -> None:
    print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    serve()
