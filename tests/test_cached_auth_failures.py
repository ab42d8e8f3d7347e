"""cached_auth when its cache fails: nothing stale is served, a request is authenticated without the
cache, and a change whose invalidation cannot be confirmed is refused. Also its settings checks,
and that a known and an unknown username cost the same cache calls."""

from __future__ import annotations

import pytest
from django.core.checks import Tags, run_checks
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from benchlib.credentials import PASSWORD, WRONG_PASSWORD, basic_header
from cached_auth import config
from cached_auth.authentication import CachedBasicAuthentication
from cached_auth.stamps import InvalidationFailed
from tests.failing_caches import RecordingCache

NEW_PASSWORD = "a brand new passphrase"
UNREACHABLE_REDIS = {
    "BACKEND": "django.core.cache.backends.redis.RedisCache",
    "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1: the connection is refused at once
    "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
}
LOCAL = pytest.mark.parametrize("auth_cache", ["locmem"], indirect=True)


@pytest.fixture
def use_cache(settings):
    """Make cached_auth use a cache of this configuration, by a name of its own."""

    def use(config: dict) -> None:
        settings.CACHES = {**settings.CACHES, "under-test": config}
        settings.AUTH_CACHE_ALIAS = "under-test"

    return use


@LOCAL
@pytest.mark.parametrize("variant", [CachedBasicAuthentication], ids=["trusting"])
def test_a_cache_that_loses_stamps_serves_nothing_and_refuses_changes(
    authenticate, fast_user, use_cache, django_user_model
):
    use_cache({"BACKEND": "tests.failing_caches.StampLosingCache", "LOCATION": "stamp-losing"})
    header = basic_header(fast_user.username, PASSWORD)
    assert authenticate(header) == (200, fast_user, 1)
    assert authenticate(header) == (200, fast_user, 1)  # no stamp, no hit

    fast_user.set_password(NEW_PASSWORD)
    fast_user.is_active = False
    with pytest.raises(InvalidationFailed):
        fast_user.save()
    # A savepoint of its own: a delete runs in a transaction, which the test's would otherwise have to end.
    with pytest.raises(InvalidationFailed), transaction.atomic():
        fast_user.delete()
    stored = django_user_model.objects.get(pk=fast_user.pk)  # neither change was made
    assert stored.is_active and stored.check_password(PASSWORD)


@LOCAL
@pytest.mark.parametrize(
    "cache_config",
    [{"BACKEND": "tests.failing_caches.BrokenCache", "LOCATION": "broken"}, UNREACHABLE_REDIS],
    ids=["raising", "unreachable-redis"],
)
def test_a_failing_cache_authenticates_without_it(authenticate, fast_user, use_cache, cache_config):
    use_cache(cache_config)
    good = basic_header(fast_user.username, PASSWORD)
    assert authenticate(good) == (200, fast_user, 1)
    assert authenticate(good) == (200, fast_user, 1)
    assert authenticate(basic_header(fast_user.username, WRONG_PASSWORD))[0] == 401
    assert authenticate("Basic !!!") == (401, None, 0)


def test_a_change_is_refused_while_the_cache_fails_but_not_a_new_user_or_a_login(
    fast_user, use_cache, django_user_model
):
    use_cache({"BACKEND": "tests.failing_caches.BrokenCache", "LOCATION": "broken"})
    fast_user.is_active = False
    with pytest.raises(ConnectionError):
        fast_user.save()
    assert django_user_model.objects.get(pk=fast_user.pk).is_active
    # No cached authentication can depend on a new row, or on last_login (what a session login saves).
    django_user_model.objects.create(username="user-new")
    fast_user.save(update_fields=["last_login"])


def cache_checks() -> list:
    """The checks `manage.py check` runs on caches, cached_auth's among them (the model checks query the database)."""
    return run_checks(tags=[Tags.caches])


@LOCAL
def test_ttl_none_is_rejected_by_the_checks_and_on_every_request(authenticate, fast_user, settings):
    settings.AUTH_CACHE_TTL = None
    assert [error.id for error in cache_checks() if error.id.startswith("cached_auth.E")] == ["cached_auth.E001"]
    with pytest.raises(ImproperlyConfigured, match="AUTH_CACHE_TTL=None"):
        authenticate(basic_header(fast_user.username, PASSWORD))


@pytest.mark.parametrize("ttl", ["300", -1, 1.5, True])
def test_a_ttl_not_a_whole_number_of_seconds_is_rejected(settings, ttl):
    settings.AUTH_CACHE_TTL = ttl
    assert "cached_auth.E001" in [error.id for error in cache_checks()]


@pytest.mark.parametrize("timeout", ["3", 0, -1, 1.5, True])
def test_a_commit_timeout_not_a_whole_number_of_seconds_from_one_is_rejected(settings, timeout):
    settings.AUTH_CACHE_COMMIT_TIMEOUT = timeout
    assert "cached_auth.E003" in [error.id for error in cache_checks()]
    with pytest.raises(ImproperlyConfigured, match="AUTH_CACHE_COMMIT_TIMEOUT"):
        config.current()


def test_an_alias_not_in_caches_is_rejected(settings):
    settings.AUTH_CACHE_ALIAS = "no-such-cache"
    assert "cached_auth.E002" in [error.id for error in cache_checks()]


def test_caches_that_can_serve_a_revoked_password_are_warned_of(settings):
    settings.CACHES = {**settings.CACHES, "replicas": {**UNREACHABLE_REDIS, "LOCATION": "redis://a:1,redis://b:1"}}
    assert "cached_auth.W002" in [error.id for error in cache_checks()]  # settings' default: local memory
    settings.AUTH_CACHE_ALIAS = "replicas"
    assert "cached_auth.W001" in [error.id for error in cache_checks()]


@LOCAL
@pytest.mark.parametrize("variant", [CachedBasicAuthentication], ids=["trusting"])
def test_a_known_and_an_unknown_username_cost_the_same_cache_calls(authenticate, fast_user, use_cache):
    """Django runs the hasher for an unknown username too, so that timing does not tell them apart."""
    use_cache({"BACKEND": "tests.failing_caches.RecordingCache", "LOCATION": "recording"})
    calls = {}
    for username in (fast_user.username, "no-such-user"):
        RecordingCache.calls = []
        assert authenticate(basic_header(username, WRONG_PASSWORD))[0] == 401
        calls[username] = RecordingCache.calls
    assert calls[fast_user.username] == calls["no-such-user"] == [("get_many", 2)]
