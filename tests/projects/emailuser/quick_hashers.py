"""Django's Argon2 and bcrypt hashers at their smallest costs: what the test command measures this project with."""

from django.contrib.auth.hashers import Argon2PasswordHasher, BCryptSHA256PasswordHasher


class QuickArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 64
    parallelism = 1


class QuickBCryptSHA256PasswordHasher(BCryptSHA256PasswordHasher):
    rounds = 4
