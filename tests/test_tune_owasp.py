from benchtools.tune.owasp import meets_owasp


def test_argon2_meets_the_minimum_on_any_equal_row():
    assert meets_owasp("argon2", {"memory_cost": 19456, "time_cost": 2, "parallelism": 1})
    assert meets_owasp("argon2", {"memory_cost": 47104, "time_cost": 1, "parallelism": 1})
    assert meets_owasp("argon2", {"memory_cost": 102400, "time_cost": 2, "parallelism": 8})  # Django's default


def test_argon2_below_every_row_misses_the_minimum():
    assert not meets_owasp("argon2", {"memory_cost": 19455, "time_cost": 2, "parallelism": 1})
    assert not meets_owasp("argon2", {"memory_cost": 47103, "time_cost": 1, "parallelism": 1})


def test_scrypt_rows_trade_n_for_parallelism():
    assert meets_owasp("scrypt", {"work_factor": 2**17, "block_size": 8, "parallelism": 1})
    assert meets_owasp("scrypt", {"work_factor": 2**14, "block_size": 8, "parallelism": 5})  # Django's default
    assert not meets_owasp("scrypt", {"work_factor": 2**14, "block_size": 8, "parallelism": 4})
    assert not meets_owasp("scrypt", {"work_factor": 2**16, "block_size": 8, "parallelism": 1})


def test_bcrypt_needs_cost_ten():
    assert meets_owasp("bcrypt", {"rounds": 10})
    assert not meets_owasp("bcrypt", {"rounds": 9})


def test_pbkdf2_minimum_depends_on_the_digest():
    assert meets_owasp("pbkdf2", {"iterations": 600_000}, "sha256")
    assert not meets_owasp("pbkdf2", {"iterations": 599_999}, "sha256")
    assert not meets_owasp("pbkdf2", {"iterations": 1_000_000}, "sha1")
    assert meets_owasp("pbkdf2", {"iterations": 1_300_000}, "sha1")
