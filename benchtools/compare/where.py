"""Where a benchmark's work changed: its two sides' profiles (benchlib.attribution) set against each other.

For every Python function either side ran, the bytecode instructions it executed itself in one
measured call, on each side, and its calls; the rows whose counts changed, largest change first,
name the code that made a benchmark slower or faster. C functions called from Python are listed
by how their calls changed: their own work is not counted in bytecode instructions.
"""

from __future__ import annotations

from dataclasses import dataclass

from benchlib.formats.records import WhereProfile


@dataclass(frozen=True)
class FunctionChange:
    function: str  # `django/core/handlers/base.py:BaseHandler._get_response`, or a C function's name
    base_instructions: int | None  # bytecode instructions it executed itself per call; None for a C function
    head_instructions: int | None
    base_calls: int
    head_calls: int

    @property
    def change(self) -> int:
        """Bytecode instructions per measured call, head less base (0 for a C function)."""
        return (self.head_instructions or 0) - (self.base_instructions or 0)


@dataclass(frozen=True)
class Where:
    """One benchmark's changes, Python functions by instructions, C functions by calls."""

    base_total: int  # bytecode instructions of one measured call
    head_total: int
    functions: list[FunctionChange]
    c_functions: list[FunctionChange]

    @property
    def change(self) -> int:
        return self.head_total - self.base_total

    @property
    def same_work(self) -> bool:
        """Both sides ran the same bytecode in every function and called every function as often."""
        return not self.functions and not self.c_functions


def where(base: WhereProfile, head: WhereProfile) -> Where:
    """Every function whose counts changed between the sides, the largest change first."""
    functions = [
        FunctionChange(
            name,
            base.instructions.get(name, 0),
            head.instructions.get(name, 0),
            base.calls.get(name, 0),
            head.calls.get(name, 0),
        )
        for name in set(base.instructions) | set(head.instructions) | set(base.calls) | set(head.calls)
    ]
    changed = [f for f in functions if f.change or f.base_calls != f.head_calls]
    changed.sort(key=lambda f: (-abs(f.change), -abs(f.head_calls - f.base_calls), f.function))
    c_functions = [
        FunctionChange(name, None, None, base.c_calls.get(name, 0), head.c_calls.get(name, 0))
        for name in set(base.c_calls) | set(head.c_calls)
    ]
    c_changed = [f for f in c_functions if f.base_calls != f.head_calls]
    c_changed.sort(key=lambda f: (-abs(f.head_calls - f.base_calls), f.function))
    return Where(base.total, head.total, changed, c_changed)
