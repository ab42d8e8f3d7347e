"""A recommendation per hasher: the strongest measured parameters within a budget, and how to use them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from benchlib.work_factors import Family, HasherClass, class_attributes
from benchtools.tune.owasp import meets_owasp, owasp_minimum
from benchtools.tune.search import LOWEST_FRACTION, Measurement


@dataclass
class Recommendation:
    """What tune found for one configured hasher."""

    algorithm: str
    hasher_class: HasherClass
    hasher_path: str
    family: Family
    digest: str  # PBKDF2's HMAC digest ('' for other families)
    budget_ms: float
    measurements: list[Measurement]  # every parameter set timed, for the plot
    best: Measurement | None  # None: nothing fits the budget
    next_step: Measurement | None  # the next stronger parameter set timed, when there is one
    django_default: Measurement | None  # the installed Django's defaults for this family, timed the same way

    @property
    def recommended(self) -> Measurement:
        """`best`, where a parameter set fits the budget: what the rate, checks and subclass describe."""
        if self.best is None:
            raise ValueError(f"{self.algorithm}: no parameter set fits the budget")
        return self.best

    @property
    def django_default_timed(self) -> Measurement:
        """`django_default`, once timed; ValueError before."""
        if self.django_default is None:
            raise ValueError(f"{self.algorithm}: Django's defaults are not timed yet")
        return self.django_default

    @property
    def cheapest(self) -> Measurement:
        return min(self.measurements, key=lambda m: m.median_ms)

    @property
    def meets_owasp(self) -> bool:
        return self.best is not None and meets_owasp(self.family.name, self.best.parameters, self.digest)

    @property
    def owasp_minimum(self) -> str:
        return owasp_minimum(self.family.name, self.digest or "sha256")

    @property
    def logins_per_second_per_core(self) -> float:
        return 1000 / self.recommended.median_ms

    @property
    def budget_check(self) -> str:
        """Whether the search did its job, in words: a continuous factor lands within 25% of the
        budget; for a doubling factor, the next step up exceeds it."""
        fraction = self.recommended.median_ms / self.budget_ms
        if not self.family.doubling:
            verdict = "within 25% of the budget" if fraction >= LOWEST_FRACTION else "NOT within 25% of the budget"
            return f"{fraction:.0%} of the budget, {verdict}"
        if self.next_step is None:
            return f"{fraction:.0%} of the budget; no stronger step was timed"
        step = format_parameters({self.family.factor: self.next_step.parameters[self.family.factor]})
        relation = "exceeds" if self.next_step.median_ms > self.budget_ms else "does NOT exceed"
        return f"{fraction:.0%} of the budget; next step {step}: {self.next_step.median_ms:.1f} ms {relation} it"

    def subclass_name(self) -> str:
        return f"Tuned{self.hasher_class.__name__}"

    def import_line(self) -> str:
        module, name = self.hasher_path.rsplit(".", 1)
        return f"from {module} import {name}"

    def subclass_code(self) -> str:
        """A ready-to-paste subclass of the configured hasher with the recommended parameters."""
        name = self.hasher_path.rsplit(".", 1)[1]
        lines = [
            f"class {self.subclass_name()}({name}):",
            f'    """{self.algorithm} for a {self.budget_ms:g} ms login: {self.recommended.median_ms:.1f} ms median '
            f'measured by drf-auth-bench tune."""',
            "",
        ]
        attributes = class_attributes(self.hasher_class, self.recommended.parameters)
        for attribute, value in attributes.items():
            if attribute == "maxmem":
                lines.append(
                    "    # OpenSSL refuses scrypt above 32 MiB unless maxmem allows it (Django's default is 0)."
                )
            lines.append(f"    {attribute} = {value:_}")
        return "\n".join(lines)


def format_parameters(parameters: Mapping[str, object]) -> str:
    return " ".join(
        f"{name}={value:,}" if isinstance(value, int) else f"{name}={value}" for name, value in parameters.items()
    )


def password_hashers_line(configured: dict[str, str], recommendations: list[Recommendation], module: str) -> str:
    """PASSWORD_HASHERS with each tuned hasher in place of the class it subclasses, order kept.

    A tuned class keeps its algorithm name, so it verifies the hashes its parent made and
    Django re-hashes them with the new parameters on each user's next login.
    """
    tuned = {r.hasher_path: f"{module}.{r.subclass_name()}" for r in recommendations if r.best is not None}
    paths = [tuned.get(path, path) for path in configured.values()]
    return "PASSWORD_HASHERS = [\n" + "".join(f'    "{path}",\n' for path in paths) + "]"
