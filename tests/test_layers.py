"""The suite's layers point down: no module imports one of a layer above its own.

From the bottom: the saved files' formats (benchlib/formats), the rest of benchlib (what
benchmarks, tests and tools share), then in benchtools its errors, what reads and keeps
runs and processes, the command-line plumbing, each tool's package, and the dispatcher on
top. cached_auth, the app people copy, imports nothing of the suite; benchsite only itself
and cached_auth; benchmarks nothing of the tools or the tests. Within a tool, only the
dispatcher imports its `cli` module, and no tool imports another. Imports inside functions
count too: the walk reads every `import` in the source.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OURS = ("benchlib", "benchmarks", "benchsite", "benchtools", "cached_auth", "tests")

# Layers from the bottom; a module belongs to the first whose prefix it starts with.
LAYERS = [
    ("cached_auth",),
    ("benchsite",),
    ("benchlib.formats",),
    ("benchlib",),
    ("benchmarks",),
    ("benchtools.errors",),
    ("benchtools.storage", "benchtools.processes", "benchtools.plotting", "benchtools.postgres_cluster"),
    ("benchtools.runs",),
    ("benchtools.options",),
    ("benchtools.cli",),
    (
        "benchtools.compare",
        "benchtools.e2e",
        "benchtools.history",
        "benchtools.postgres",
        "benchtools.schemes",
        "benchtools.tune",
    ),
    ("benchtools.__main__",),
    ("tests",),
]
# What each of these may import of the suite, beyond itself.
ALLOWED = {
    "cached_auth": (),
    "benchsite": ("cached_auth",),
    "benchlib.formats": (),
    "benchlib": ("benchlib", "benchsite", "cached_auth"),
    "benchmarks": ("benchlib", "benchsite", "cached_auth"),
}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def rank(module: str) -> int:
    """The module's layer; a top-level package's own module is in its lowest layer."""
    for index, prefixes in enumerate(LAYERS):
        if "." not in module and any(prefix.split(".")[0] == module for prefix in prefixes):
            return index
        if any(module == prefix or module.startswith(prefix + ".") for prefix in prefixes):
            return index
    raise AssertionError(f"{module} is in no layer: add it to LAYERS")


def tool_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "benchtools" and rank(module) == rank("benchtools.compare") else None


def imported(path: Path) -> set[str]:
    """Every module of the suite the file imports, at the top or inside a function."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                names.add(submodule if is_module(submodule) else node.module)
    return {name for name in names if name.split(".")[0] in OURS}


def is_module(name: str) -> bool:
    path = ROOT / name.replace(".", "/")
    return (path / "__init__.py").exists() or path.with_suffix(".py").exists()


MODULES = sorted(path for package in OURS if package != "tests" for path in (ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda path: module_name(path))
def test_no_module_imports_a_layer_above_its_own(path):
    module = module_name(path)
    wrong = []
    for name in sorted(imported(path)):
        if rank(name) > rank(module):
            wrong.append(f"{name} (a higher layer)")
        allowed = next((kept for prefix, kept in ALLOWED.items() if module.startswith(prefix)), None)
        own = module.split(".")[0] if not module.startswith("benchlib.formats") else "benchlib.formats"
        if allowed is not None and not name.startswith(own) and not name.startswith(allowed):
            wrong.append(f"{name} (not one of {own}, {', '.join(allowed) or 'nothing else'})")
        if tool_of(module) and tool_of(name) and tool_of(name) != tool_of(module):
            wrong.append(f"{name} (another tool)")
        if tool_of(module) and name == f"benchtools.{tool_of(module)}.cli" and module != name:
            wrong.append(f"{name} (its tool's command line, the top of the tool)")
    assert wrong == [], f"{module} imports {'; '.join(wrong)}"


def test_the_walk_sees_imports_inside_functions_and_the_layers_cover_every_module(tmp_path):
    source = tmp_path / "probe.py"
    source.write_text("def f():\n    from benchtools.cli import main\n    import benchlib.formats.records\n")
    assert imported(source) >= {"benchtools.cli", "benchlib.formats.records"}
    assert all(rank(module_name(path)) >= 0 for path in MODULES)
    assert (
        rank("benchtools.e2e.cli") > rank("benchtools.runs") > rank("benchtools.errors") > rank("benchlib.scheme_table")
    )
