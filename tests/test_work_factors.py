import pytest
from django.contrib.auth.hashers import (
    Argon2PasswordHasher,
    BCryptPasswordHasher,
    MD5PasswordHasher,
    PBKDF2SHA1PasswordHasher,
    ScryptPasswordHasher,
)

from benchlib.credentials import PASSWORD
from benchlib.hashing import hash_with
from benchlib.work_factors import django_class_of, family_of, hasher_with, parameters_of
from tests.projects.customauth.hashers import LightPBKDF2PasswordHasher


def test_subclasses_belong_to_their_parents_family():
    assert family_of(BCryptPasswordHasher).name == "bcrypt"
    assert family_of(PBKDF2SHA1PasswordHasher).name == "pbkdf2"
    assert family_of(LightPBKDF2PasswordHasher).name == "pbkdf2"
    assert family_of(MD5PasswordHasher) is None


def test_a_custom_hasher_compares_with_the_django_class_it_derives_from():
    assert django_class_of(LightPBKDF2PasswordHasher).__name__ == "PBKDF2PasswordHasher"
    assert parameters_of(LightPBKDF2PasswordHasher) == {"iterations": 2_000}


def test_hasher_with_keeps_the_algorithm_and_sets_exactly_the_parameters():
    hasher = hasher_with(Argon2PasswordHasher, {"time_cost": 1, "memory_cost": 64, "parallelism": 1})
    assert isinstance(hasher, Argon2PasswordHasher) and hasher.algorithm == "argon2"
    encoded = hasher.encode(PASSWORD, hasher.salt())
    assert "m=64,t=1,p=1" in encoded
    assert hasher.verify(PASSWORD, encoded)


def test_scrypt_above_32_mib_needs_maxmem_which_hasher_with_sets():
    parameters = {"work_factor": 2**15, "block_size": 8, "parallelism": 1}
    plain = ScryptPasswordHasher()
    with pytest.raises(ValueError):  # Django's maxmem=0 leaves OpenSSL's 32 MiB limit
        plain.encode(PASSWORD, plain.salt(), n=2**15, r=8, p=1)
    hasher, encoded = hash_with(ScryptPasswordHasher, parameters)
    assert hasher.maxmem > 32 * 1024 * 1024
    assert encoded.startswith("scrypt$32768$")
