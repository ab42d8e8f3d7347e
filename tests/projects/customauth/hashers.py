"""The project's own hasher: a PBKDF2 subclass under its own name."""

from __future__ import annotations

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class LightPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    """PBKDF2-SHA256 under its own algorithm name with few iterations, as a project might subclass
    Django's hasher; cheap, so the test that runs the suite against it stays fast."""

    algorithm = "pbkdf2_light"
    iterations = 2_000
