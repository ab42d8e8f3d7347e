"""The e2e smoke test: real servers (gunicorn sync, gunicorn gthread, uvicorn) serving benchsite answer each
scheme's good credential with 200 and a wrong one with the scheme's refusal, and no process is left after.

One worker per server and the MD5 hasher, so that the whole check takes seconds; `e2e --check`
is what a user runs to see a setup works before measuring it.
"""

from __future__ import annotations

import os
import shutil
import socket
import sys
import urllib.request

import pytest

from benchlib.auth_schemes import SERVED_SCHEMES
from benchtools import processes
from benchtools.e2e import servers
from benchtools.e2e.cli import main
from benchtools.e2e.servers import SERVERS, ServerKind, free_port, serving
from benchtools.e2e.stage import REDIS_URL_VARIABLE


@pytest.fixture
def started_groups(monkeypatch) -> list:
    """Every process group the tool starts, recorded as it starts it."""
    started = []
    start_group = processes.start_group

    def recording(*args, **kwargs):
        process = start_group(*args, **kwargs)
        started.append(process)
        return process

    monkeypatch.setattr(processes, "start_group", recording)
    return started


def test_each_server_answers_each_scheme_rightly_and_leaves_no_process(started_groups, capsys):
    if not os.environ.get(REDIS_URL_VARIABLE) and shutil.which("redis-server") is None:
        pytest.skip(f"the cached scheme needs Redis: install redis-server or set {REDIS_URL_VARIABLE}")

    status = main(["check", "--hasher", "md5", "--workers", "1", "--threads", "2"])

    out = capsys.readouterr().out
    answers = [line.split() for line in out.splitlines()[2:]]
    assert status == 0 and "WRONG" not in out
    expected = {
        (server, scheme.name, credential)
        for server in SERVERS
        for scheme in SERVED_SCHEMES.values()
        if server == "uvicorn" or not scheme.asgi_only
        for credential in (["good", "bad"] if scheme.bad_status else ["good"])
    }
    assert {(server, scheme, credential) for server, connections, scheme, credential, *_ in answers} == expected
    assert {line[1] for line in answers} == {"per-request"}
    assert all(line[-1] == "ok" for line in answers)
    assert len(started_groups) >= len(SERVERS)
    assert [process.pid for process in started_groups if processes.members(process.pid)] == []
    assert all(process.returncode is not None for process in started_groups)


# A stand-in server: answers 200 on its port, or exits saying so when the port is taken.
TINY_SERVER = """
import http.server, sys
class Ready(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200); self.end_headers()
    def log_message(self, *args):
        pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Ready).serve_forever()
"""


class TinyServer(ServerKind):
    def command(self, port: int, workers: int, threads: int) -> list[str]:
        return [sys.executable, "-c", TINY_SERVER, str(port)]


def test_a_server_whose_port_was_taken_meanwhile_is_started_on_another(monkeypatch, tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))  # bound, not listening: a connection to it is refused at once
        ports = iter([taken.getsockname()[1]])
        monkeypatch.setattr(servers, "free_port", lambda: next(ports, None) or free_port())
        with serving([TinyServer("tiny", "a stand-in")], workers=1, threads=1, env=dict(os.environ), logs=tmp_path) as (
            server,
        ):
            assert server.port != taken.getsockname()[1]
            with urllib.request.urlopen(server.url("/"), timeout=5) as response:
                assert response.status == 200
    assert processes.members(server.process.pid) == []
