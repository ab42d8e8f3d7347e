"""cached_auth: what is cached, what never is, and when a cached success stops being served.

Each test runs for both variants and both caches (local memory; Redis when configured).
Which path a request took is proven by counting password verifications: a hit runs none.
"""

from __future__ import annotations

import base64

import pytest

from benchlib.credentials import PASSWORD, WRONG_PASSWORD, basic_header
from cached_auth import config, stamps
from cached_auth.authentication import CachedBasicAuthentication, RevalidatingCachedBasicAuthentication
from tests.cache_contents import entry_count, raw_items

NEW_PASSWORD = "a brand new passphrase"


def test_success_is_cached_and_the_next_request_is_a_hit(authenticate, fast_user, auth_cache):
    header = basic_header(fast_user.username, PASSWORD)
    assert authenticate(header) == (200, fast_user, 1)
    assert entry_count(auth_cache) == 1
    assert authenticate(header) == (200, fast_user, 0)


def test_a_hit_carries_the_users_fields_but_not_its_password(authenticate, fast_user):
    header = basic_header(fast_user.username, PASSWORD)
    authenticate(header)
    _, user, checks = authenticate(header)
    assert checks == 0
    assert (user.pk, user.username, user.is_active, user.is_authenticated) == (fast_user.pk, "user-fast", True, True)
    assert user.password == fast_user.password  # loaded from the database when touched, never from the cache


@pytest.mark.parametrize(
    "username, password",
    [("user-fast", WRONG_PASSWORD), ("no-such-user", PASSWORD), ("user-fast", "")],
    ids=["wrong-password", "unknown-user", "empty-password"],
)
def test_failure_is_never_cached(authenticate, fast_user, auth_cache, username, password):
    header = basic_header(username, password)
    assert authenticate(header)[0] == 401
    assert entry_count(auth_cache) == 0
    assert authenticate(header)[0] == 401


def test_inactive_user_is_never_cached(authenticate, fast_user, auth_cache):
    fast_user.is_active = False
    fast_user.save()
    header = basic_header(fast_user.username, PASSWORD)
    assert authenticate(header)[0] == 401
    assert entry_count(auth_cache) == 0


@pytest.mark.parametrize(
    "header", ["Basic", "Basic a b", "Basic !!!", "Basic " + base64.b64encode(b"no-colon").decode()]
)
def test_malformed_header_is_a_401_and_never_cached(authenticate, fast_user, auth_cache, header):
    assert authenticate(header) == (401, None, 0)
    assert entry_count(auth_cache) == 0


def test_cache_holds_no_password_header_or_password_hash(authenticate, fast_user, auth_cache):
    header = basic_header(fast_user.username, PASSWORD)
    authenticate(header)
    authenticate(header)
    items = raw_items(auth_cache)
    assert entry_count(auth_cache) == 1
    stored = b"\n".join([*items, *items.values()])
    secrets = [PASSWORD, header, header.split()[1], fast_user.password, fast_user.password.rsplit("$", 1)[1]]
    for secret in secrets:
        assert secret.encode() not in stored, secret


def test_password_change_takes_effect_on_the_next_request(authenticate, fast_user):
    header = basic_header(fast_user.username, PASSWORD)
    authenticate(header)
    assert authenticate(header) == (200, fast_user, 0)
    fast_user.set_password(NEW_PASSWORD)
    fast_user.save()
    assert authenticate(header)[0] == 401
    assert authenticate(basic_header(fast_user.username, NEW_PASSWORD))[:2] == (200, fast_user)


def test_deactivation_takes_effect_on_the_next_request(authenticate, fast_user):
    header = basic_header(fast_user.username, PASSWORD)
    authenticate(header)
    assert authenticate(header) == (200, fast_user, 0)
    fast_user.is_active = False
    fast_user.save(update_fields=["is_active"])
    assert authenticate(header)[0] == 401


def test_deleted_user_is_not_served_from_cache(authenticate, fast_user):
    header = basic_header(fast_user.username, PASSWORD)
    authenticate(header)
    assert authenticate(header) == (200, fast_user, 0)
    fast_user.delete()
    assert authenticate(header) == (401, None, 0)  # no user to check a password of


def test_renamed_user_is_not_served_under_the_old_name(authenticate, fast_user):
    header = basic_header(fast_user.username, PASSWORD)
    authenticate(header)
    assert authenticate(header) == (200, fast_user, 0)
    fast_user.username = "user-renamed"
    fast_user.save()
    assert authenticate(header) == (401, None, 0)
    assert authenticate(basic_header("user-renamed", PASSWORD))[:2] == (200, fast_user)


def test_entry_expires_after_the_ttl_without_sleeping(authenticate, fast_user, settings, monkeypatch):
    settings.AUTH_CACHE_TTL = 60
    started = stamps.now()
    header = basic_header(fast_user.username, PASSWORD)
    assert authenticate(header)[2] == 1
    monkeypatch.setattr(stamps, "now", lambda: started + 59)
    assert authenticate(header) == (200, fast_user, 0)
    monkeypatch.setattr(stamps, "now", lambda: started + 61)
    assert authenticate(header) == (200, fast_user, 1)


def test_ttl_zero_caches_nothing(authenticate, fast_user, settings, auth_cache):
    settings.AUTH_CACHE_TTL = 0
    header = basic_header(fast_user.username, PASSWORD)
    assert authenticate(header)[2] == 1
    assert authenticate(header)[2] == 1
    assert entry_count(auth_cache) == 0


def test_ttl_defaults_to_five_minutes(settings):
    assert not hasattr(settings, "AUTH_CACHE_TTL")
    assert config.current().ttl == config.DEFAULT_TTL_SECONDS == 300


def test_commit_timeout_defaults_to_three_seconds(settings):
    assert not hasattr(settings, "AUTH_CACHE_COMMIT_TIMEOUT")
    assert config.current().commit_timeout == config.DEFAULT_COMMIT_TIMEOUT_SECONDS == 3


@pytest.mark.parametrize("variant", [RevalidatingCachedBasicAuthentication], ids=["revalidating"])
def test_revalidating_variant_sees_changes_that_send_no_signal(authenticate, fast_user, django_user_model):
    header = basic_header(fast_user.username, PASSWORD)
    authenticate(header)
    django_user_model.objects.filter(pk=fast_user.pk).update(is_active=False)
    assert authenticate(header)[0] == 401


@pytest.mark.parametrize("variant", [CachedBasicAuthentication], ids=["trusting"])
def test_trusting_variant_misses_changes_that_send_no_signal(authenticate, fast_user, django_user_model):
    """The documented price of a hit without a query: a queryset .update() is not seen until the TTL."""
    header = basic_header(fast_user.username, PASSWORD)
    authenticate(header)
    django_user_model.objects.filter(pk=fast_user.pk).update(is_active=False)
    assert authenticate(header) == (200, fast_user, 0)


@pytest.mark.parametrize("variant", [CachedBasicAuthentication], ids=["trusting"])
def test_trusting_variant_caches_the_row_changed_without_a_signal_once_the_entry_expires(
    authenticate, fast_user, django_user_model, monkeypatch
):
    header = basic_header(fast_user.username, PASSWORD)
    authenticate(header)
    django_user_model.objects.filter(pk=fast_user.pk).update(first_name="Changed")
    started = stamps.now()
    monkeypatch.setattr(stamps, "now", lambda: started + config.current().ttl + 1)
    assert [authenticate(header)[2] for _ in range(3)] == [1, 0, 0]
    assert authenticate(header)[1].first_name == "Changed"


def test_different_credentials_have_different_keys():
    current = config.current()
    keys = {
        stamps.entry_key(current, "trusting", "a:b", "c"),
        stamps.entry_key(current, "trusting", "a", "b:c"),
        stamps.entry_key(current, "trusting", "a", "bc"),
        stamps.entry_key(current, "revalidating", "a", "bc"),
        stamps.stamp_key(current, "a"),
    }
    assert len(keys) == 5


def test_keys_depend_on_secret_key(settings):
    before = config.current()
    settings.SECRET_KEY = "another secret"
    after = config.current()
    for kind in ("trusting", "revalidating"):
        assert stamps.entry_key(after, kind, "user", PASSWORD) != stamps.entry_key(before, kind, "user", PASSWORD)
    assert stamps.stamp_key(after, "user") != stamps.stamp_key(before, "user")
