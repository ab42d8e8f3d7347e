"""The commands README.md and docs/ show, so that tests and CI can check every one of them.

A command is a line of a ```sh block (a `\\` at the end joins the next line); the leading
`.venv/bin/` and environment assignments (`NAME=value`) are taken off, so what remains starts
with the program. docs/results/ is left out: it records what was run on a given day.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

from tests.runs import ROOT

FENCE = re.compile(r"^```sh\n(.*?)^```", re.MULTILINE | re.DOTALL)
ASSIGNMENT = re.compile(r"^[A-Z_][A-Z0-9_]*=")
LEADING_ASSIGNMENTS = re.compile(r"^(?:[A-Z_][A-Z0-9_]*=\S*\s+)+")


@dataclass(frozen=True)
class Command:
    source: str  # the file and line it is shown at
    words: list[str]  # the program and its arguments, environment assignments taken off
    text: str  # as shown, without the environment assignments and the leading .venv/bin/


def documents() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def shown_commands() -> list[Command]:
    commands = []
    for path in documents():
        text = path.read_text(encoding="utf-8")
        for block in FENCE.finditer(text):
            first_line = text.count("\n", 0, block.start(1)) + 1
            for offset, line in enumerate(block.group(1).replace("\\\n", " ").splitlines()):
                commands += parsed(f"{path.relative_to(ROOT)}:{first_line + offset}", line)
    return commands


def parsed(source: str, line: str) -> list[Command]:
    """The commands of one shown line: `a && b` is two."""
    if not line.strip() or line.lstrip().startswith("#"):
        return []
    commands = []
    for part in line.split("&&"):
        words = shlex.split(part, comments=True)
        while words and ASSIGNMENT.match(words[0]):
            words.pop(0)
        if words:
            words[0] = words[0].removeprefix(".venv/bin/")
            text = LEADING_ASSIGNMENTS.sub("", part.strip()).removeprefix(".venv/bin/")
            commands.append(Command(source, words, text))
    return commands
