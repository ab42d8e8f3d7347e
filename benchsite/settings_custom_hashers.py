"""The benchsite project with its own PASSWORD_HASHERS: a custom subclass preferred, MD5 for old hashes.

`pytest --ds benchsite.settings_custom_hashers` and `python -m benchtools tune --settings
benchsite.settings_custom_hashers` measure exactly these, as they would a real project's.
"""

from benchsite.settings import *  # noqa: F403

PASSWORD_HASHERS = [
    "benchsite.custom_hashers.LightPBKDF2PasswordHasher",
    "django.contrib.auth.hashers.MD5PasswordHasher",
]
