"""What each password hasher costs on its own, at the installed Django's default parameters.

A login hashes the submitted password once, so check_password's cost is a floor
for every scheme that verifies a password per request (BasicAuthentication).
"""

import base64
import hashlib

import pytest
from django.contrib.auth.hashers import check_password, get_hasher, make_password

from benchlib.credentials import PASSWORD, WRONG_PASSWORD
from benchlib.hashers import configured_hashers


def test_raw_pbkdf2_hmac_sha256(benchmark, password_hash_for, record_hasher):
    """hashlib alone with the PBKDF2 hash's own salt and iterations: what the hasher adds is the gap.

    Defined first so that it runs right before check_password[pbkdf2_sha256-right]: on a
    machine whose speed drifts, neighbours in time are the fairest comparison.
    """
    if "pbkdf2_sha256" not in configured_hashers():
        pytest.skip("pbkdf2_sha256 is not in this settings module's PASSWORD_HASHERS")
    encoded = password_hash_for("pbkdf2_sha256")
    decoded = get_hasher("pbkdf2_sha256").decode(encoded)
    expected = get_hasher("pbkdf2_sha256").encode(PASSWORD, decoded["salt"], decoded["iterations"])
    benchmark.group = "check_password (right password)"
    record_hasher(encoded)
    digest = benchmark(
        hashlib.pbkdf2_hmac, "sha256", PASSWORD.encode(), decoded["salt"].encode(), decoded["iterations"]
    )
    assert expected.endswith("$" + base64.b64encode(digest).decode())


# The test run too verifies with each selected hasher, not the quickest only: each is proven to work.
@pytest.mark.each_hasher_tested
@pytest.mark.parametrize(
    ("password", "accepted"),
    [(PASSWORD, True), (WRONG_PASSWORD, False)],
    ids=["right", "wrong"],
)
def test_check_password(benchmark, hasher_name, password_hash_for, record_hasher, password, accepted):
    encoded = password_hash_for(hasher_name)
    benchmark.group = f"check_password ({'right' if accepted else 'wrong'} password)"
    record_hasher(encoded)
    assert benchmark(check_password, password, encoded) is accepted


def test_make_password(benchmark, hasher_name, password_hash_for, record_hasher):
    benchmark.group = "make_password"
    record_hasher(password_hash_for(hasher_name))
    encoded = benchmark(make_password, PASSWORD, None, hasher_name)
    assert encoded.startswith(hasher_name + "$") and check_password(PASSWORD, encoded)
