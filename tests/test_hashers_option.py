"""--hashers selects what is measured; a name the suite does not know is a clear error."""

import pytest

from benchlib.hashers import MEASURED_HASHERS, UnknownHasher, parse_hasher_names
from tests.runs import run_pytest


def test_unknown_hasher_is_a_usage_error_naming_the_valid_ones():
    result = run_pytest("--hashers=md5,sha3", "--collect-only", "-q")
    assert result.returncode == 4
    assert "--hashers: unknown hasher 'sha3'; valid hashers: " + ", ".join(MEASURED_HASHERS) in result.stderr


def test_hashers_option_picks_the_hashers_a_timed_run_measures():
    result = run_pytest("--benchmark-only", "--hashers=argon2,md5", "--collect-only", "-q", "benchmarks/test_views.py")
    assert result.returncode == 0, result.stderr
    per_hasher = [line for line in result.stdout.splitlines() if "::test_drf_view_basic_auth[" in line]
    assert sorted(line.split("[")[1].rstrip("]") for line in per_hasher) == ["argon2", "md5"]


@pytest.mark.parametrize("text", ["", " , "])
def test_empty_hasher_list_is_an_error(text):
    with pytest.raises(UnknownHasher, match="no hasher named; valid hashers: pbkdf2_sha256"):
        parse_hasher_names(text, list(MEASURED_HASHERS))


def test_names_are_trimmed_and_kept_in_order():
    assert parse_hasher_names(" md5 ,argon2", list(MEASURED_HASHERS)) == ["md5", "argon2"]


def test_unknown_name_raises():
    with pytest.raises(UnknownHasher, match="'PBKDF2'"):
        parse_hasher_names("PBKDF2", list(MEASURED_HASHERS))
