"""A virtual environment per dependency set: the suite's requirements with a side's pins in their place.

A side's requirements file names what it wants to measure (`Django==6.1.3`, or a project's whole
lock file); the suite's own pins are kept for every package the file does not name, so the
harness runs as everywhere else. A venv is built once per Python and requirements and reused
while they are unchanged: it is built in a folder of its own and renamed into place only once
pip has finished, so an interrupted build leaves nothing a later run could mistake for a venv.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from benchtools import processes
from benchtools.errors import ToolError

SUITE_REQUIREMENTS = Path(__file__).resolve().parents[2] / "requirements.txt"
BUILT = "drf-auth-bench-venv"  # written into a venv once pip has installed everything


def default_folder() -> Path:
    """Where venvs are kept: `$XDG_CACHE_HOME/drf-auth-bench/venvs`, or `~/.cache/...`."""
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "drf-auth-bench" / "venvs"


def named_packages(requirements: Path) -> set[str]:
    """The packages a requirements file pins or names, by normalized name; its options lines are left aside."""
    try:
        lines = requirements.read_text().splitlines()
    except OSError as error:
        raise ToolError(f"{requirements}: cannot read the requirements file ({error.strerror or error})") from None
    names: set[str] = set()
    for number, line in enumerate(lines, 1):
        text = line.split(" #", 1)[0].strip()
        if not text or text.startswith(("#", "-")):
            continue
        try:
            names.add(canonicalize_name(Requirement(text).name))
        except InvalidRequirement as error:
            raise ToolError(f"{requirements}:{number}: not a requirement pip reads ({error})") from None
    return names


def suite_requirements_without(names: set[str]) -> str:
    """The suite's requirements.txt without the lines of the packages a side names."""
    kept = []
    for line in SUITE_REQUIREMENTS.read_text().splitlines():
        text = line.split(" #", 1)[0].strip()
        if text and not text.startswith(("#", "-")) and canonicalize_name(Requirement(text).name) in names:
            continue
        kept.append(line)
    return "\n".join(kept) + "\n"


def python_version(python: str) -> str:
    try:
        done = subprocess.run([python, "-VV"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise ToolError(f"{python}: cannot run this Python ({error})") from None
    if done.returncode != 0:
        raise ToolError(f"{python}: cannot run this Python (exit code {done.returncode})")
    return done.stdout.strip()


def venv_python(requirements: Path, python: str = sys.executable, folder: Path | None = None) -> Path:
    """The Python of a venv with the suite's requirements and `requirements` in their place, built if need be."""
    folder = folder or default_folder()
    suite_part = suite_requirements_without(named_packages(requirements))
    side_part = requirements.read_text()
    key = hashlib.sha256("\n".join([python_version(python), suite_part, side_part]).encode()).hexdigest()[:16]
    venv = folder / key
    if (venv / BUILT).exists():
        print(f"venv for {requirements}: {venv}, built before", file=sys.stderr)
        return venv / "bin" / "python"
    folder.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f"{key}.building-", dir=folder))
    print(f"building a venv for {requirements} in {building}", file=sys.stderr)
    try:
        build(building, python, suite_part, requirements)
        shutil.rmtree(venv, ignore_errors=True)  # a venv left without its mark is not one
        building.rename(venv)
    except BaseException:
        with processes.interrupts_held():  # a second interrupt waits until the half-built venv is gone
            shutil.rmtree(building, ignore_errors=True)
        raise
    return venv / "bin" / "python"


def build(venv: Path, python: str, suite_part: str, requirements: Path) -> None:
    """Make the venv and install into it, each step a process group of its own, stopped if interrupted."""
    log = venv / "pip.log"
    run_logged([python, "-m", "venv", str(venv)], log)
    suite_file = venv / "suite-requirements.txt"
    suite_file.write_text(suite_part)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    run_logged([*pip, "-r", str(suite_file), "-r", str(requirements.resolve())], log)
    (venv / BUILT).write_text(f"{requirements}\n")


def run_logged(command: list[str], log: Path) -> None:
    with processes.group(command, env=dict(os.environ), log=log) as leader:
        returncode = leader.wait()
    if returncode != 0:
        raise ToolError(f"{' '.join(command[:5])} failed (exit code {returncode}): {processes.log_tail(log)}")
