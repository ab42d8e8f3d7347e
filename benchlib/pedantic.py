"""One call of a benchmark's target as pytest-benchmark's pedantic mode makes it, for the modes that replace timing,
and the fixture of those modes.

`setup()` may return the (args, kwargs) of a call; `teardown(*args, **kwargs)` runs after each call
and checks what it did. Neither is part of what is measured.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Self, TypeVar

from pytest_benchmark.fixture import BenchmarkFixture

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


class MeasuringBenchmark(BenchmarkFixture):
    """pytest-benchmark's fixture, made to measure its calls another way than by timing them.

    `benchmark(f, *args)` and `benchmark.pedantic(...)` hand the call to `measure`; the rounds,
    warm-up rounds and iterations a benchmark gives are for timing only. pytest-benchmark times
    the whole as one round: saved, but no timing to compare. The fixture must stay the object
    pytest-benchmark made (its session holds it), so its class is replaced, not wrapped.
    """

    @classmethod
    def replacing(cls, fixture: BenchmarkFixture) -> Self:
        fixture.__class__ = cls
        return fixture  # type: ignore[return-value]

    def __call__(self, function_to_benchmark: Any, *args: Any, **kwargs: Any) -> Any:
        return self.pedantic(function_to_benchmark, args, kwargs)

    def pedantic(
        self, target: Any, args: tuple = (), kwargs: dict | None = None, setup: Any = None, teardown: Any = None,
        rounds: int = 1, warmup_rounds: int = 0, iterations: int = 1,
    ) -> Any:  # fmt: skip
        call = PedanticCall(target, args, kwargs or {}, setup, teardown)
        return super().pedantic(lambda: self.measure(call))

    def measure(self, call: PedanticCall) -> Any:
        """Make the call (and the warm-up calls before it) as the mode measures, record what it measured in
        extra_info, and return the call's result."""
        raise NotImplementedError
