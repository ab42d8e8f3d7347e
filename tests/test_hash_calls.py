"""benchlib.hash_calls: what a dispatch hashes, found by watching it."""

from __future__ import annotations

import hashlib
import hmac
import sys

from django.contrib.auth import authenticate
from django.contrib.auth.hashers import check_password, make_password
from django.utils.crypto import salted_hmac

from benchlib.credentials import PASSWORD
from benchlib.hash_calls import counting_hash_calls

LIGHT = "tests.projects.customauth.hashers.LightPBKDF2PasswordHasher"


def test_nothing_hashed_reads_no():
    with counting_hash_calls() as calls:
        sorted(str(n) for n in range(100))
    assert calls.summary() == "no"


def test_digests_hmacs_and_key_derivations_count_once_each_by_their_outermost_call():
    with counting_hash_calls() as calls:
        hashlib.sha256(b"data").hexdigest()
        hashlib.new("sha512", b"data").digest()
        hashlib.sha256().digest_size  # noqa: B018 - a hash object asked its size hashes nothing
        hmac.new(b"key", b"message", hashlib.sha256).hexdigest()  # its inner and outer SHA-256 are the HMAC
        hmac.digest(b"key", b"message", "sha512")
        salted_hmac("salt", "value", algorithm="sha256").hexdigest()  # so is the SHA-256 deriving its key
        hashlib.pbkdf2_hmac("sha256", b"password", b"salt", 10)
    assert calls.counts == {"SHA-256": 1, "SHA-512": 1, "HMAC-SHA256": 2, "HMAC-SHA512": 1, "PBKDF2": 1}
    assert calls.summary() == "HMAC-SHA256 x2, HMAC-SHA512, PBKDF2, SHA-256, SHA-512"


def test_a_projects_password_hasher_is_one_verify_named_by_its_algorithm(settings):
    settings.PASSWORD_HASHERS = [LIGHT]
    encoded = make_password(PASSWORD)
    with counting_hash_calls() as calls:
        assert check_password(PASSWORD, encoded)
    assert calls.summary() == "pbkdf2_light verify"  # not the PBKDF2 and encode it runs inside


def test_an_unknown_users_decoy_hash_is_the_preferred_hashers_encode(fast_user):
    with counting_hash_calls() as calls:
        assert authenticate(username="nobody", password=PASSWORD) is None
    assert calls.summary() == "md5 encode"


def test_the_profile_function_in_place_before_is_restored():
    def previous(frame, event, arg):
        pass

    sys.setprofile(previous)
    try:
        with counting_hash_calls():
            pass
        assert sys.getprofile() is previous
    finally:
        sys.setprofile(None)
