"""cached_auth: every ORM write to a user takes effect on the next request, whatever class saved it.

Saves and deletes through a proxy or a subclass of the user model, a view saving the user a
trusted hit put on request.user after a bulk revocation, and the two races the stamps are
read and replaced around: a password changed while the hasher runs, and a save inside a
transaction that another process reads around before the commit.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import base_user
from django.db import transaction
from django.http import HttpResponse
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import IsAuthenticated

from benchlib.credentials import PASSWORD, basic_header
from cached_auth import config, stamps
from cached_auth.authentication import CachedBasicAuthentication
from cached_auth.invalidation import invalidate
from tests.user_models import ProxyUser, SubclassedUser

NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture(params=["proxy", "subclass"])
def other_class_user(request, fast_user, password_hash_for):
    """The user as an instance of a proxy of the user model, or a user made as a subclass's instance."""
    if request.param == "proxy":
        return ProxyUser.objects.get(pk=fast_user.pk)
    return SubclassedUser.objects.create(username="user-subclassed", password=password_hash_for("md5"))


def test_password_change_and_deactivation_saved_through_a_proxy_or_subclass_take_effect(authenticate, other_class_user):
    header = basic_header(other_class_user.username, PASSWORD)
    assert authenticate(header)[0::2] == (200, 1)
    assert authenticate(header)[0::2] == (200, 0)  # cached
    other_class_user.set_password(NEW_PASSWORD)
    other_class_user.is_active = False
    other_class_user.save()
    assert authenticate(header)[0] == 401


def test_deletion_through_a_proxy_or_subclass_takes_effect(authenticate, other_class_user):
    header = basic_header(other_class_user.username, PASSWORD)
    assert authenticate(header)[0::2] == (200, 1)
    assert authenticate(header)[0::2] == (200, 0)  # cached
    other_class_user.delete()
    assert authenticate(header)[0] == 401


@api_view(["POST"])
@authentication_classes([CachedBasicAuthentication])
@permission_classes([IsAuthenticated])
def rename_me(request):
    """A view that edits the authenticated user's profile and saves it."""
    request.user.first_name = "Renamed"
    request.user.save()
    return HttpResponse("renamed")


@pytest.mark.parametrize("variant", [CachedBasicAuthentication], ids=["trusting"])
def test_saving_a_trusted_hits_user_keeps_a_bulk_revocation(authenticate, fast_user, django_user_model, api_factory):
    fast_user.is_staff = True
    fast_user.save()
    header = basic_header(fast_user.username, PASSWORD)
    assert authenticate(header)[0::2] == (200, 1)
    assert authenticate(header)[0::2] == (200, 0)  # cached: is_active and is_staff True
    django_user_model.objects.filter(pk=fast_user.pk).update(is_active=False, is_staff=False)  # sends no signal

    # Served until the TTL (the trusting variant's documented limit), but its save keeps the revocation.
    assert rename_me(api_factory.post("/rename-me/", HTTP_AUTHORIZATION=header)).status_code == 200
    saved = django_user_model.objects.values("first_name", "is_active", "is_staff").get(pk=fast_user.pk)
    assert saved == {"first_name": "Renamed", "is_active": False, "is_staff": False}


@pytest.mark.parametrize("variant", [CachedBasicAuthentication], ids=["trusting"])
def test_a_trusted_hits_user_saves_the_cached_fields_its_code_changed(authenticate, fast_user, django_user_model):
    header = basic_header(fast_user.username, PASSWORD)
    authenticate(header)
    status, user, checks = authenticate(header)
    assert (status, checks, user.is_staff) == (200, 0, False)
    user.is_staff = True
    user.save()
    assert django_user_model.objects.get(pk=fast_user.pk).is_staff is True


def change_password_during_the_next_check(user, monkeypatch) -> None:
    """The next `check_password` call saves a new password for `user` before it verifies the old one."""
    verify = base_user.check_password
    racing = {"armed": True}

    def check_password_while_it_changes(*args, **kwargs):
        if racing.pop("armed", False):
            user.set_password(NEW_PASSWORD)
            user.save()
        return verify(*args, **kwargs)

    monkeypatch.setattr(base_user, "check_password", check_password_while_it_changes)


def test_password_changed_while_its_check_runs_leaves_the_old_one_uncached(
    authenticate, fast_user, monkeypatch, settings
):
    """The stamp is read before the row: a change made after that replaces it, so nothing made under it is served."""
    header = basic_header(fast_user.username, PASSWORD)
    change_password_during_the_next_check(fast_user, monkeypatch)
    assert authenticate(header)[0] == 200  # verified against the row read before the change
    assert authenticate(header)[0::2] == (401, 1)  # checked again, not served from the cache


def test_password_changed_while_a_refresh_is_checked_leaves_the_old_one_uncached(authenticate, fast_user, monkeypatch):
    """The same race with the user's stamp already there: the entry expired, the stamp did not."""
    header = basic_header(fast_user.username, PASSWORD)
    assert authenticate(header)[0::2] == (200, 1)
    started = stamps.now()
    monkeypatch.setattr(stamps, "now", lambda: started + config.current().ttl + 1)  # the entry is stale
    change_password_during_the_next_check(fast_user, monkeypatch)
    assert authenticate(header)[0] == 200
    assert authenticate(header)[0::2] == (401, 1)


def test_a_save_inside_a_transaction_replaces_the_stamp_again_after_the_commit(
    fast_user, auth_cache, django_capture_on_commit_callbacks
):
    """Until the commit, other processes read the old row and may cache it under the stamp made at the save."""
    key = stamps.stamp_key(config.current(), fast_user.username)
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            fast_user.set_password(NEW_PASSWORD)
            fast_user.save()
            at_the_save = auth_cache.get(key)
        assert auth_cache.get(key) == at_the_save  # committed only when the outermost block ends
    assert auth_cache.get(key) not in (None, at_the_save)


def test_a_renamed_user_is_cached_under_the_new_name(authenticate, fast_user):
    """The rename replaces the old name's stamp only: the new one's belongs to whoever held the name."""
    fast_user.username = "user-renamed"
    fast_user.save()
    new = basic_header("user-renamed", PASSWORD)
    assert [authenticate(new)[0::2] for _ in range(3)] == [(200, 1), (200, 0), (200, 0)]


def test_renaming_a_user_frees_the_old_name_and_serves_the_new_one(authenticate, fast_user):
    old = basic_header(fast_user.username, PASSWORD)
    authenticate(old)
    assert authenticate(old)[0::2] == (200, 0)
    ProxyUser.objects.filter(pk=fast_user.pk).update(username="user-renamed")
    invalidate(fast_user)  # after a write that sends no signal
    assert authenticate(old)[0] == 401
    new = basic_header("user-renamed", PASSWORD)
    assert authenticate(new)[0::2] == (200, 1)
    assert authenticate(new)[0::2] == (200, 0)


@pytest.mark.parametrize("variant", [CachedBasicAuthentication], ids=["trusting"])
def test_invalidate_makes_a_bulk_revocation_take_effect_on_the_next_request(authenticate, fast_user, django_user_model):
    header = basic_header(fast_user.username, PASSWORD)
    authenticate(header)
    assert authenticate(header)[0::2] == (200, 0)
    django_user_model.objects.filter(pk=fast_user.pk).update(is_active=False)
    invalidate(fast_user)
    assert authenticate(header)[0] == 401


def test_saving_only_last_login_needs_no_invalidation(authenticate, fast_user):
    """What every session login saves: no cached authentication depends on it."""
    header = basic_header(fast_user.username, PASSWORD)
    authenticate(header)
    fast_user.save(update_fields=["last_login"])
    assert authenticate(header)[0::2] == (200, 0)


def test_a_row_read_from_a_snapshot_older_than_the_stamp_is_never_cached(
    authenticate, fast_user, django_user_model, monkeypatch
):
    """REPEATABLE READ (PostgreSQL's option, MySQL's default, SQLite in WAL mode), ATOMIC_REQUESTS:
    a request's transaction can read the user row as it was before a change whose stamp it reads."""
    header = basic_header(fast_user.username, PASSWORD)
    before_the_change = django_user_model.objects.get(pk=fast_user.pk)
    fast_user.set_password(NEW_PASSWORD)
    fast_user.save()
    with monkeypatch.context() as snapshot:
        snapshot.setattr(type(django_user_model._default_manager), "get_by_natural_key", lambda *_: before_the_change)
        assert authenticate(header)[0] == 200  # verified against the snapshot's row, as the database answered
    assert authenticate(header)[0::2] == (401, 1)  # and not cached: the stamp was made for the new row
