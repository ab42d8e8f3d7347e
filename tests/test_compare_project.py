"""`compare revisions --project`: a project outside this repository, gated as its CI would gate it.

A copy of the example project customauth in a git repository of its own, three commits: the
base, a loop in its own authentication class, and a new middleware. Each is found slower, and
"where" names the code: the class's method, the middleware's `__call__`. Under callgrind, so
marked `valgrind` (.ci/run runs them with `pytest -m valgrind`).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.runs import PROJECTS, ROOT, outside_this_session

pytestmark = [
    pytest.mark.valgrind,
    pytest.mark.skipif(shutil.which("valgrind") is None, reason="valgrind is not installed"),
]

DEVICE_KEY = "customauth.authentication.DeviceKeyAuthentication"
MIDDLEWARE = '''"""Notes the client's address: the first forwarded address a proxy set, else the peer's."""

CLIENT_ADDRESS_HEADERS = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_REAL_IP",
    "HTTP_CF_CONNECTING_IP",
    "HTTP_TRUE_CLIENT_IP",
    "HTTP_FORWARDED",
    "REMOTE_ADDR",
)


class ClientAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.client_address = None
        for name in CLIENT_ADDRESS_HEADERS:
            value = request.META.get(name)
            if value:
                request.client_address = value.split(",")[0].strip()
                break
        return self.get_response(request)
'''


def git(repo: Path, *args: str) -> str:
    command = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args]
    return subprocess.run(command, cwd=repo, check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """The project's repository: tags `base`, `loop` (on base) and `middleware` (on base)."""
    repo = tmp_path_factory.mktemp("project")
    shutil.copytree(PROJECTS / "customauth", repo / "customauth", ignore=shutil.ignore_patterns("__pycache__"))
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    git(repo, "tag", "base")
    authentication = repo / "customauth" / "authentication.py"
    source = authentication.read_text()
    looped = source.replace(
        "            return None\n        device = ",
        "            return None\n        for _ in range(400):\n            pass\n        device = ",
        1,
    )
    assert looped != source
    authentication.write_text(looped)
    git(repo, "commit", "-qam", "a loop")
    git(repo, "tag", "loop")
    git(repo, "checkout", "-q", "base")
    (repo / "customauth" / "network.py").write_text(MIDDLEWARE)
    settings = repo / "customauth" / "settings.py"
    common = '    "django.middleware.common.CommonMiddleware",\n'
    settings.write_text(
        settings.read_text().replace(common, common + '    "customauth.network.ClientAddressMiddleware",\n')
    )
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "a middleware")
    git(repo, "tag", "middleware")
    return repo


def compare(project: Path, base: str, head: str, *selection: str) -> tuple[int, dict]:
    """The gate's JSON, its runs saved beside the project's repository."""
    done = subprocess.run(
        [sys.executable, "-m", "benchtools", "compare", "revisions", base, head, "--project", str(project),
         "--ds", "customauth.settings", "--json", "--storage", str(project.parent / f"runs-{base}-{head}"),
         *selection],
        cwd=ROOT, capture_output=True, text=True, env=outside_this_session(), timeout=900,
    )  # fmt: skip
    assert done.returncode in (0, 1), done.stderr[-3000:]
    return done.returncode, json.loads(done.stdout)


def test_a_loop_in_the_projects_own_class_is_found_and_named(project):
    status, result = compare(project, "base", "loop", "-k", "DeviceKey")
    slower = {b["name"].split("::")[-1]: b for b in result["benchmarks"] if b["verdict"] == "slower"}
    assert status == 1 and f"test_project_authentication[{DEVICE_KEY}]" in slower
    where = slower[f"test_project_authentication[{DEVICE_KEY}]"]["where"]
    assert where["functions"][0]["function"] == "customauth/authentication.py:DeviceKeyAuthentication.authenticate"
    assert [run["commit"] for run in result["runs"]["base"]] == [git(ROOT, "rev-parse", "HEAD")]


def test_a_new_middleware_is_found_and_named_where_it_weighs_most(project):
    """The middleware's cost is the same in every request through the stack; it weighs most, and shows, in the
    request without authentication."""
    status, result = compare(project, "base", "middleware", "-k", "test_project_no_authentication")
    (bench,) = result["benchmarks"]
    assert status == 1 and bench["verdict"] == "slower"
    assert bench["where"]["functions"][0]["function"] == "customauth/network.py:ClientAddressMiddleware.__call__"
