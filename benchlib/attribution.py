"""Where a call's work goes, per Python function: bytecode instructions executed and calls, counted exactly.

Instruction counts under callgrind say how much a call costs; stock valgrind names C frames only
(the interpreter's loop), not the Python functions they run. This counts, for one call, every
bytecode instruction each Python function executes itself (its own, not its callees'), how
often each function is called, and how often each C function (hashlib's, the interpreter's
builtins) is called from Python. Counts do not depend on timing: with the same hash seed and
random bytes (benchlib/instructions.py), the same code gives the same counts in every process,
so two sides' profiles of one benchmark tell which functions' work changed.

Python 3.12 and newer count with sys.monitoring (INSTRUCTION, PY_START and CALL events); 3.11
with sys.settrace's opcode events and sys.setprofile's call events. The two give different
numbers for the same code (3.12's CALL events also see calls of types, `range(n)`): compare
profiles made by one Python. A function is named by its
file relative to the sys.path entry holding it (`django/core/handlers/base.py`), so that the
same code in two checkouts or two venvs has one name, and its qualified name.
"""

from __future__ import annotations

import gc
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from types import CodeType, FrameType
from typing import Any

from benchlib.formats.records import WhereProfile

TOOL_NAME = "drf-auth-bench"
# sys.monitoring's tool id: 0-2 and 5 are named for debuggers, coverage, profilers (cProfile takes 2)
# and optimizers; 3 is no one's, so counting can run beside any of them.
MONITORING_TOOL = 3


class Counts:
    """What one traced call executed, by function name."""

    def __init__(self) -> None:
        self.instructions: Counter[CodeType] = Counter()
        self.calls: Counter[CodeType] = Counter()
        self.c_calls: Counter[str] = Counter()

    def profile(self, names: Callable[[CodeType], str]) -> WhereProfile:
        instructions: Counter[str] = Counter()
        calls: Counter[str] = Counter()
        for code, count in self.instructions.items():
            instructions[names(code)] += count
        for code, count in self.calls.items():
            calls[names(code)] += count
        return WhereProfile(
            instructions=dict(sorted(instructions.items())),
            calls=dict(sorted(calls.items())),
            c_calls=dict(sorted(self.c_calls.items())),
        )


def c_function_name(function: Any) -> str:
    """A C function or method called from Python: `hashlib.pbkdf2_hmac`, `dict.get`."""
    defined_on = getattr(function, "__objclass__", None)  # a method looked up on its class: `HASH.hexdigest`
    if defined_on is not None:
        return f"{defined_on.__qualname__}.{getattr(function, '__name__', '?')}"
    owner = getattr(function, "__self__", None)
    if owner is not None and not isinstance(owner, type(sys)):
        owner_name = type(owner).__qualname__ if not isinstance(owner, type) else owner.__qualname__
        return f"{owner_name}.{getattr(function, '__name__', '?')}"
    module = getattr(function, "__module__", None) or getattr(owner, "__name__", None) or "builtins"
    return f"{module}.{getattr(function, '__qualname__', None) or type(function).__qualname__}"


def is_python_function(function: Any) -> bool:
    target = getattr(function, "__func__", function)
    return hasattr(target, "__code__")


def start_monitoring(counts: Counts) -> Callable[[], None]:
    """sys.monitoring (Python 3.12+): an event per instruction, per Python function start, per call."""
    monitoring = sys.monitoring  # type: ignore[attr-defined,unused-ignore]
    events = monitoring.events
    tool = MONITORING_TOOL
    monitoring.use_tool_id(tool, TOOL_NAME)
    instructions, calls, c_calls = counts.instructions, counts.calls, counts.c_calls

    def on_instruction(code: CodeType, offset: int) -> None:
        instructions[code] += 1

    def on_start(code: CodeType, offset: int) -> None:
        calls[code] += 1

    def on_call(code: CodeType, offset: int, function: Any, argument: Any) -> None:
        if not is_python_function(function):
            c_calls[c_function_name(function)] += 1

    def stop() -> None:
        monitoring.set_events(tool, 0)
        for event in (events.INSTRUCTION, events.PY_START, events.CALL):
            monitoring.register_callback(tool, event, None)
        monitoring.free_tool_id(tool)

    monitoring.register_callback(tool, events.INSTRUCTION, on_instruction)
    monitoring.register_callback(tool, events.PY_START, on_start)
    monitoring.register_callback(tool, events.CALL, on_call)
    monitoring.set_events(tool, events.INSTRUCTION | events.PY_START | events.CALL)
    return stop


def start_tracing(counts: Counts) -> Callable[[], None]:
    """sys.settrace and sys.setprofile (Python 3.11): opcode events per frame, call events per function."""
    instructions, calls, c_calls = counts.instructions, counts.calls, counts.c_calls

    def trace(frame: FrameType, event: str, argument: Any) -> Any:
        if event == "opcode":
            instructions[frame.f_code] += 1
        elif event == "call":
            frame.f_trace_opcodes = True
        return trace

    def profile(frame: FrameType, event: str, argument: Any) -> None:
        if event == "call":
            calls[frame.f_code] += 1
        elif event == "c_call":
            c_calls[c_function_name(argument)] += 1

    def stop() -> None:
        sys.settrace(None)
        sys.setprofile(None)

    sys.setprofile(profile)
    sys.settrace(trace)
    return stop


# What stopping the count itself calls, counted before the count stops.
STOPPING = ("sys.settrace", "sys.setprofile", "monitoring.set_events", "sys.monitoring.set_events")


def profile_call(function: Callable, args: tuple, kwargs: dict) -> tuple[Any, WhereProfile]:
    """Call `function` once with its work counted per function, the cyclic garbage collector off meanwhile.

    A collection during the call would run finalizers of garbage other calls left: work that is not
    this call's. The collector is not run before: counts are of bytecode the call runs, which a full
    collection of the heap before it would not change, and it would cost far more than the call.
    """
    counts = Counts()
    was_enabled = gc.isenabled()
    gc.disable()
    start = start_monitoring if sys.version_info >= (3, 12) else start_tracing
    stop = start(counts)
    try:
        result = function(*args, **kwargs)
    finally:
        stop()
        if was_enabled:
            gc.enable()
    for name in STOPPING:
        counts.c_calls.pop(name, None)
    return result, counts.profile(FunctionNames(sys.path))


class FunctionNames:
    """`file:qualified name` of a code object, the file relative to the sys.path entry holding it."""

    def __init__(self, search_path: list[str]) -> None:
        roots = {str(Path(entry).resolve()) for entry in search_path if entry}
        self.roots = sorted(roots, key=len, reverse=True)
        self.files: dict[str, str] = {}

    def __call__(self, code: CodeType) -> str:
        return f"{self.file(code.co_filename)}:{code.co_qualname}"

    def file(self, filename: str) -> str:
        if filename not in self.files:
            self.files[filename] = self.relative(filename)
        return self.files[filename]

    def relative(self, filename: str) -> str:
        if filename.startswith("<"):
            return filename  # <frozen importlib._bootstrap>, <string>
        resolved = str(Path(filename).resolve())
        for root in self.roots:
            if resolved.startswith(root + "/"):
                return resolved[len(root) + 1 :]
        return resolved
