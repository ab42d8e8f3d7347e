"""Django's tunable hasher families: which attributes set the work, and hashers built with chosen values.

A tuned hasher is a subclass of the configured class with only the work attributes
changed, so a custom project hasher keeps its own behaviour and its algorithm name
(existing hashes still verify, and are re-hashed on the next login where Django's
must_update says so).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import hashers as django_hashers

HasherClass = type[django_hashers.BasePasswordHasher]
# A hasher's work parameters by attribute name, e.g. {"rounds": 12}.
WorkParameters = dict[str, int]

# OpenSSL refuses scrypt above 32 MiB unless maxmem says otherwise, and Django's maxmem
# is 0 (OpenSSL's default): raising work_factor past 2^14 at r=8 needs maxmem too.
OPENSSL_SCRYPT_DEFAULT_MAXMEM = 32 * 1024 * 1024
# hashlib.scrypt takes maxmem as a C int.
SCRYPT_MAXMEM_LIMIT = 2**31 - 1


@dataclass(frozen=True)
class Family:
    """A hasher family: the attributes that set its work and the one that tune searches."""

    name: str
    base: HasherClass
    parameters: tuple[str, ...]
    factor: str
    doubling: bool  # the factor doubles the work per step (bcrypt rounds, scrypt N)
    minimum: int  # smallest valid factor (for Argon2 memory, per lane: 8 KiB x parallelism)

    def next_factor(self, value: int) -> int:
        return value * 2 if self.factor == "work_factor" else value + 1

    def minimum_for(self, parameters: WorkParameters) -> int:
        return self.minimum * parameters.get("parallelism", 1) if self.name == "argon2" else self.minimum

    def maximum_for(self, parameters: WorkParameters) -> int:
        if self.name == "bcrypt":
            return 31
        if self.name == "scrypt":  # the largest power of two whose memory hashlib can be allowed
            n = 2
            while scrypt_maxmem(n * 2, parameters["block_size"], parameters["parallelism"]) <= SCRYPT_MAXMEM_LIMIT:
                n *= 2
            return n
        return 2**32 - 1


# Order matters: a subclass is matched by the first family whose base it derives from.
FAMILIES = [
    Family(
        "argon2",
        django_hashers.Argon2PasswordHasher,
        ("time_cost", "memory_cost", "parallelism"),
        "memory_cost",
        doubling=False,
        minimum=8,
    ),
    Family("bcrypt", django_hashers.BCryptSHA256PasswordHasher, ("rounds",), "rounds", doubling=True, minimum=4),
    Family(
        "scrypt",
        # django-stubs 5.2 does not declare ScryptPasswordHasher (Django has it since 4.0; django-stubs 6 does).
        django_hashers.ScryptPasswordHasher,  # type: ignore[attr-defined,unused-ignore]
        ("work_factor", "block_size", "parallelism"),
        "work_factor",
        doubling=True,
        minimum=2,
    ),
    Family("pbkdf2", django_hashers.PBKDF2PasswordHasher, ("iterations",), "iterations", doubling=False, minimum=1),
]


def family_of(hasher_class: HasherClass) -> Family | None:
    """The tunable family a hasher class belongs to; None for hashers without a work factor (MD5)."""
    return next((family for family in FAMILIES if issubclass(hasher_class, family.base)), None)


def tunable_family(hasher_class: HasherClass) -> Family:
    """The family of a hasher class that has a work factor; ValueError for one without (MD5)."""
    family = family_of(hasher_class)
    if family is None:
        raise ValueError(f"{hasher_class.__name__} has no work factor")
    return family


def parameters_of(hasher_class: HasherClass) -> WorkParameters:
    """The work attributes of a hasher class, e.g. {'rounds': 12}."""
    return {name: getattr(hasher_class, name) for name in tunable_family(hasher_class).parameters}


def django_class_of(hasher_class: HasherClass) -> HasherClass:
    """The nearest Django hasher a (custom) class derives from: its defaults are Django's."""
    return next(cls for cls in hasher_class.__mro__ if cls.__module__ == django_hashers.__name__)


def pbkdf2_digest(hasher_class: type[django_hashers.PBKDF2PasswordHasher]) -> str:
    """'sha256' or 'sha1': OWASP's PBKDF2 minimum depends on the HMAC digest."""
    return hasher_class.digest().name


def scrypt_maxmem(n: int, r: int, p: int) -> int:
    """The memory OpenSSL checks scrypt against (V and B arrays), plus 1 MiB of headroom."""
    return 128 * r * (n + 2) + 128 * r * p + 1024 * 1024


def class_attributes(hasher_class: HasherClass, parameters: WorkParameters) -> WorkParameters:
    """The attributes a subclass needs for `parameters`: scrypt above 32 MiB also needs maxmem."""
    attributes = dict(parameters)
    if tunable_family(hasher_class).name == "scrypt":
        needed = scrypt_maxmem(parameters["work_factor"], parameters["block_size"], parameters["parallelism"])
        if needed > (getattr(hasher_class, "maxmem", 0) or OPENSSL_SCRYPT_DEFAULT_MAXMEM):
            attributes["maxmem"] = needed
    return attributes


def hasher_with(hasher_class: HasherClass, parameters: WorkParameters) -> django_hashers.BasePasswordHasher:
    """An instance of a subclass of `hasher_class` with exactly these work parameters."""
    subclass = type(f"Tuned{hasher_class.__name__}", (hasher_class,), class_attributes(hasher_class, parameters))
    return subclass()


def strength(family: Family, parameters: WorkParameters) -> tuple[int, ...]:
    """Sort key, weakest first: the work an attacker repeats per guess, then memory."""
    if family.name == "argon2":
        return (parameters["memory_cost"] * parameters["time_cost"], parameters["memory_cost"])
    if family.name == "scrypt":
        return (
            parameters["work_factor"] * parameters["block_size"] * parameters["parallelism"],
            parameters["work_factor"],
        )
    return (parameters[family.factor],)
