"""The password hashers the suite measures, named by Django's algorithm names."""

from __future__ import annotations

from django.contrib.auth.hashers import BasePasswordHasher, get_hasher, get_hashers

from benchlib.formats.records import HasherParameters

# Django's algorithm name -> the hasher class, in the order tables list them.
MEASURED_HASHERS: dict[str, str] = {
    "pbkdf2_sha256": "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "pbkdf2_sha1": "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "argon2": "django.contrib.auth.hashers.Argon2PasswordHasher",
    "bcrypt_sha256": "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "bcrypt": "django.contrib.auth.hashers.BCryptPasswordHasher",
    "scrypt": "django.contrib.auth.hashers.ScryptPasswordHasher",
    "md5": "django.contrib.auth.hashers.MD5PasswordHasher",
}

# Parts of a decoded hash that are secret material or repeat the parameters.
_NOT_PARAMETERS = {"hash", "salt", "checksum", "params", "algostr"}


class UnknownHasher(ValueError):
    """A hasher selection naming no hasher, or one the suite does not measure."""


def parse_hasher_names(text: str, valid: list[str]) -> list[str]:
    """Turn a comma-separated list of hasher names into a list, rejecting unknown ones."""
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in valid]
    if unknown or not names:
        what = f"unknown hasher {unknown[0]!r}" if unknown else "no hasher named"
        raise UnknownHasher(f"{what}; valid hashers: {', '.join(valid)}")
    return names


def configured_hashers() -> dict[str, str]:
    """The active settings' PASSWORD_HASHERS as algorithm name -> class path, preferred first.

    The benchmarks measure these, so `pytest --ds myproject.settings` measures a
    project's own hashers, custom subclasses included.
    """
    from django.conf import settings

    configured = zip(get_hashers(), settings.PASSWORD_HASHERS, strict=True)
    # get_hashers() refuses a hasher without an algorithm name: none is left out.
    return {hasher.algorithm: path for hasher, path in configured if hasher.algorithm is not None}


def hasher_parameters(encoded: str, hasher: BasePasswordHasher | None = None) -> HasherParameters:
    """The work-factor parameters stored in an encoded password, e.g. {'iterations': 1000000}.

    `hasher` decodes it when given (a class not in PASSWORD_HASHERS); else the configured one.
    """
    decoded = (hasher or get_hasher(encoded.split("$", 1)[0])).decode(encoded)
    return {key: value for key, value in decoded.items() if key not in _NOT_PARAMETERS}


def preferring(algorithm: str, configured: list[str]) -> list[str]:
    """PASSWORD_HASHERS with `algorithm`'s hasher first, so it is the preferred one.

    A user whose hash is not made by the preferred hasher is re-hashed and saved
    on a successful login; benchmarks that must not measure that put theirs first.
    """
    path = configured_hashers().get(algorithm) or MEASURED_HASHERS[algorithm]
    return [path, *(other for other in configured if other != path)]
