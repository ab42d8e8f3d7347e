"""One call of a benchmark's target as pytest-benchmark's pedantic mode makes it, for the modes that replace timing.

`setup()` may return the (args, kwargs) of a call; `teardown(*args, **kwargs)` runs after each call
and checks what it did. Neither is part of what is measured.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

Measured = TypeVar("Measured")
# What a measuring mode does with one call: call the target with its arguments and say what it measured.
Measure = Callable[[Callable[..., Any], tuple, dict], tuple[Measured, Any]]


@dataclass(frozen=True)
class PedanticCall:
    target: Callable[..., Any]
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    setup: Callable[[], Any] | None = None
    teardown: Callable[..., Any] | None = None

    def __call__(self) -> Any:
        """An unmeasured call (a warm-up); its result."""
        return self.measured(lambda target, args, kwargs: (None, target(*args, **kwargs)))[1]

    def measured(self, measure: Measure[Measured]) -> tuple[Measured, Any]:
        """A call made by `measure`, with fresh arguments from setup and checked by teardown; what it measured."""
        args, kwargs = self.args, self.kwargs
        if self.setup is not None:
            made = self.setup()
            if made:
                args, kwargs = made
        measurement, result = measure(self.target, args, kwargs)
        if self.teardown is not None:
            self.teardown(*args, **kwargs)
        return measurement, result
