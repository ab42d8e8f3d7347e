"""What a login costs when the preferred hasher has changed, and the login after it.

The first login after a switch verifies with the old hasher, hashes the password again with
the new one and saves the user: two hashers' cost plus a write. The second login costs the
new hasher alone. The migrations measured are the moves OWASP's cheat sheet suggests: from the
settings' preferred hasher to the first configured Argon2, scrypt and bcrypt hasher.
"""

import pytest
from django.contrib.auth import authenticate
from django.utils.module_loading import import_string

from benchlib.credentials import PASSWORD
from benchlib.harness import selected_hashers, timing
from benchlib.hashers import configured_hashers
from benchlib.users import create_user
from benchlib.work_factors import family_of

MIGRATE_TO = ["argon2", "scrypt", "bcrypt"]  # OWASP's order of preference


def migrations(selected: list[str]) -> list[tuple[str, str]]:
    """(old, new) pairs: the preferred hasher to the first selected hasher of each family in MIGRATE_TO."""
    configured = configured_hashers()
    preferred = next(iter(configured))
    first_of_family = {}
    for name in selected:
        family = family_of(import_string(configured[name]))
        if name != preferred and family is not None and family.name in MIGRATE_TO:
            first_of_family.setdefault(family.name, name)
    return [(preferred, first_of_family[family]) for family in MIGRATE_TO if family in first_of_family]


def pytest_generate_tests(metafunc):
    if "old_hasher_name" in metafunc.fixturenames:
        pairs = migrations(selected_hashers(metafunc.config))
        if not timing(metafunc.config):
            pairs = pairs[:1]  # the test run proves the path once; each move costs two slow hashers
        metafunc.parametrize(("old_hasher_name", "new_hasher_name"), pairs, ids=[f"{o}-to-{n}" for o, n in pairs])


@pytest.fixture
def migration_rounds(benchmark, pytestconfig):
    return 1 if benchmark.disabled else pytestconfig.getoption("benchmark_min_rounds")


def test_first_login_after_hasher_change(
    benchmark,
    db,
    new_hasher_name,
    old_hasher_name,
    password_hash_for,
    prefer_hasher,
    django_user_model,
    migration_rounds,
):
    """A fresh user with the old hash per round, made outside the timer; each round must re-hash."""
    benchmark.group = f"hasher migration: {old_hasher_name} -> {new_hasher_name}"
    benchmark.extra_info.update(old_hasher=old_hasher_name, hasher=new_hasher_name)
    old_hash = password_hash_for(old_hasher_name)
    prefer_hasher(new_hasher_name)
    usernames = []  # one per call: the harness decides how many calls (rounds, or counted calls)

    def fresh_user():
        usernames.append(create_user(f"migrating-{len(usernames)}", old_hash).get_username())
        return (), {"username": usernames[-1], "password": PASSWORD}

    def migrated(username, password):
        user = django_user_model._default_manager.get_by_natural_key(username)
        assert user.password.split("$", 1)[0] == new_hasher_name, f"{username} was not re-hashed: {user.password[:20]}"

    user = benchmark.pedantic(authenticate, setup=fresh_user, teardown=migrated, rounds=migration_rounds)
    assert user is not None and user.get_username() == usernames[-1]


def test_second_login_after_hasher_change(
    benchmark, db, new_hasher_name, old_hasher_name, prefer_hasher, django_user_model
):
    """The user as a first login leaves it (Django's setter: set_password with the preferred
    hasher, then save); the timed logins must not re-hash."""
    benchmark.group = f"hasher migration: {old_hasher_name} -> {new_hasher_name}"
    benchmark.extra_info.update(old_hasher=old_hasher_name, hasher=new_hasher_name)
    prefer_hasher(new_hasher_name)
    user = create_user("migrated")
    user.set_password(PASSWORD)
    user.save()
    migrated_hash = user.password
    assert migrated_hash.split("$", 1)[0] == new_hasher_name

    assert benchmark(authenticate, username=user.get_username(), password=PASSWORD) == user
    assert django_user_model._default_manager.get(pk=user.pk).password == migrated_hash
