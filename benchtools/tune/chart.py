"""A PNG of login latency against work factor per hasher, with the budget as a line."""

from __future__ import annotations

from pathlib import Path

from benchlib.work_factors import strength
from benchtools import plotting
from benchtools.tune.recommend import Recommendation


def plot_latency(recommendations: list[Recommendation], budget_ms: float, path: Path) -> None:
    """One panel per hasher: measured median per parameter set, the budget, the recommendation circled."""
    plt = plotting.pyplot()
    columns = min(3, len(recommendations))
    rows = -(-len(recommendations) // columns)
    figure, axes = plt.subplots(rows, columns, figsize=(4.6 * columns, 3.8 * rows), squeeze=False)
    for ax in axes.flat[len(recommendations) :]:
        ax.set_visible(False)
    for ax, r in zip(axes.flat, recommendations, strict=False):
        factor = r.family.factor
        series: dict[tuple[tuple[str, int], ...], list[tuple[int, float]]] = {}
        for m in sorted(r.measurements, key=lambda m: strength(r.family, m.parameters)):
            # Parameters other than the factor (Argon2's time cost and lanes) make separate lines.
            others = tuple((k, v) for k, v in m.parameters.items() if k != factor)
            series.setdefault(others, []).append((m.parameters[factor], m.median_ms))
        for others, points in series.items():
            xs, ys = zip(*sorted(points), strict=True)
            label = " ".join(f"{k}={v}" for k, v in others) or None
            ax.plot(xs, ys, marker="o", label=label)
        ax.axhline(budget_ms, color="red", linestyle="--", label=f"budget {budget_ms:g} ms")
        if r.best is not None:
            ax.plot(
                [r.best.parameters[factor]],
                [r.best.median_ms],
                marker="o",
                markersize=14,
                markerfacecolor="none",
                color="black",
                label="recommended",
            )
        if r.family.factor == "work_factor":  # scrypt's N doubles per step; bcrypt's rounds are already a log
            ax.set_xscale("log", base=2)
        ax.set_title(r.algorithm)
        ax.set_xlabel(factor)
        ax.set_ylabel("median login (ms)")
        ax.legend(fontsize=7)
    plotting.save(figure, path, dpi=100)
