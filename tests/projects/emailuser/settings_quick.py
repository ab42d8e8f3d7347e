"""The emailuser project with cheap Argon2 and bcrypt hashers only, so that the test command that
measures it stays quick: what it tests is which benchmarks run and what they check, not timings."""

from emailuser.settings import *  # noqa: F403

PASSWORD_HASHERS = [
    "emailuser.quick_hashers.QuickArgon2PasswordHasher",
    "emailuser.quick_hashers.QuickBCryptSHA256PasswordHasher",
]
