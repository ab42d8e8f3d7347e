"""benchlib.hashers: the parameters a saved run records, and the preferred-hasher switch."""

from django.contrib.auth.hashers import (
    Argon2PasswordHasher,
    BCryptSHA256PasswordHasher,
    PBKDF2PasswordHasher,
    ScryptPasswordHasher,
    make_password,
)

from benchlib.hashers import MEASURED_HASHERS, hasher_parameters, preferring


def test_parameters_are_the_work_factors_and_never_the_hash_or_salt():
    assert hasher_parameters(make_password("pw", salt="s" * 22, hasher="pbkdf2_sha256")) == {
        "algorithm": "pbkdf2_sha256",
        "iterations": PBKDF2PasswordHasher.iterations,
    }


def test_argon2_bcrypt_and_scrypt_parameters(settings):
    settings.PASSWORD_HASHERS = list(MEASURED_HASHERS.values())
    argon2 = hasher_parameters(make_password("pw", hasher="argon2"))
    assert (argon2["time_cost"], argon2["memory_cost"], argon2["parallelism"]) == (
        Argon2PasswordHasher.time_cost,
        Argon2PasswordHasher.memory_cost,
        Argon2PasswordHasher.parallelism,
    )
    assert hasher_parameters(make_password("pw", hasher="bcrypt_sha256"))["work_factor"] == (
        BCryptSHA256PasswordHasher.rounds
    )
    scrypt = hasher_parameters(make_password("pw", hasher="scrypt"))
    assert scrypt["work_factor"] == ScryptPasswordHasher.work_factor
    assert {"hash", "salt", "checksum"}.isdisjoint(argon2) and {"hash", "salt"}.isdisjoint(scrypt)


def test_preferring_moves_one_hasher_first_and_keeps_the_rest():
    configured = list(MEASURED_HASHERS.values())
    reordered = preferring("md5", configured)
    assert reordered[0] == MEASURED_HASHERS["md5"]
    assert sorted(reordered) == sorted(configured)
