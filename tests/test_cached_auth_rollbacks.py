"""cached_auth after a write of a user that did not commit: the user is cached again, and nobody else is touched.

A save or delete replaces the user's stamps before it writes the row (so that a revocation
is never committed with its invalidation lost); when the write is then rolled back, the
stamps describe a state the database never kept. Each failed write here is followed by ten
requests with the user's unchanged password, and the password verifications they run are
counted: a hit runs none. Every test runs inside the test's transaction (any database) and
with real commits and rollbacks (`committed`: pytest-django's transactional database).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction
from django.test import Client
from django.urls import path
from rest_framework.authentication import BasicAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from benchlib.credentials import PASSWORD, basic_header
from benchlib.users import create_user
from cached_auth import stamps
from cached_auth.authentication import CachedBasicAuthentication

NEW_PASSWORD = "a brand new passphrase"
SECONDS_LATER = 5  # past AUTH_CACHE_COMMIT_TIMEOUT: by then a write that did not commit no longer stops caching
REQUESTS = 10

pytestmark = pytest.mark.urls(__name__)


class ChangePasswordThenFail(APIView):
    """Saves the authenticated user's new password, then fails: under ATOMIC_REQUESTS the save is rolled back."""

    authentication_classes = (BasicAuthentication,)
    permission_classes = (IsAuthenticated,)

    def post(self, request):
        request.user.set_password(NEW_PASSWORD)
        request.user.save()
        raise RuntimeError("the view fails after saving the user")


urlpatterns = [path("change-password-then-fail/", ChangePasswordThenFail.as_view())]


class Rollback(Exception):
    """Raised inside a transaction to roll it back."""


def password_change_in_an_atomic_block_that_raises(user, other, monkeypatch) -> None:
    with pytest.raises(Rollback), transaction.atomic():
        user.set_password(NEW_PASSWORD)
        user.save()
        raise Rollback


def password_change_in_a_savepoint_rolled_back(user, other, monkeypatch) -> None:
    with transaction.atomic():  # commits, without the savepoint's change
        with pytest.raises(Rollback), transaction.atomic():
            user.set_password(NEW_PASSWORD)
            user.save()
            raise Rollback


def password_change_by_an_atomic_request_that_fails(user, other, monkeypatch) -> None:
    monkeypatch.setitem(connections.settings[DEFAULT_DB_ALIAS], "ATOMIC_REQUESTS", True)
    header = basic_header(user.get_username(), PASSWORD)
    response = Client(raise_request_exception=False).post("/change-password-then-fail/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 500


def rename_to_a_username_another_user_holds(user, other, monkeypatch) -> None:
    user.username = other.username
    with pytest.raises(IntegrityError), transaction.atomic():
        user.save()


def delete_rolled_back(user, other, monkeypatch) -> None:
    with pytest.raises(Rollback), transaction.atomic():
        user.delete()
        raise Rollback


FAILED_WRITES = [
    password_change_in_an_atomic_block_that_raises,
    password_change_in_a_savepoint_rolled_back,
    password_change_by_an_atomic_request_that_fails,
    rename_to_a_username_another_user_holds,
    delete_rolled_back,
]


@pytest.fixture(params=FAILED_WRITES, ids=[write.__name__.replace("_", "-") for write in FAILED_WRITES])
def failed_write(request) -> Callable:
    """A write of a user (and, for a rename, of the username another user holds) that does not commit."""
    return request.param


@pytest.fixture(
    params=["in-test-transaction", pytest.param("committed", marks=pytest.mark.django_db(transaction=True))]
)
def database(request) -> str:
    """Where the writes happen: inside the test's own transaction, or committed and rolled back for real."""
    return request.param


@pytest.fixture
def other_user(database, fast_user, password_hash_for):
    """A second user with the same password, whose caching no write of fast_user may change."""
    return create_user("user-other", password_hash_for("md5"))


def hasher_runs_in_ten_requests(authenticate, header: str, pk) -> int:
    """Send REQUESTS requests with `header`; each must authenticate the user `pk`. Return the hasher runs."""
    runs = 0
    for _ in range(REQUESTS):
        status, user, checks = authenticate(header)
        assert (status, getattr(user, "pk", None)) == (200, pk)
        runs += checks
    return runs


def assert_nothing_was_written(django_user_model, pk) -> None:
    stored = django_user_model.objects.get(pk=pk)
    assert stored.get_username() == "user-fast"
    assert stored.check_password(PASSWORD)


def test_after_a_write_that_did_not_commit_the_users_requests_are_cached_again(
    authenticate, fast_user, other_user, failed_write, django_user_model, monkeypatch
):
    pk, header = fast_user.pk, basic_header(fast_user.username, PASSWORD)
    assert authenticate(header)[0::2] == (200, 1)
    assert authenticate(header)[0::2] == (200, 0)  # cached

    failed_write(fast_user, other_user, monkeypatch)
    assert_nothing_was_written(django_user_model, pk)
    written = stamps.now()
    monkeypatch.setattr(stamps, "now", lambda: written + SECONDS_LATER)
    assert hasher_runs_in_ten_requests(authenticate, header, pk) <= 1


def test_a_write_that_did_not_commit_never_changes_another_users_caching(
    authenticate, fast_user, other_user, failed_write, django_user_model, monkeypatch
):
    pk, header = fast_user.pk, basic_header(other_user.username, PASSWORD)
    assert authenticate(header)[0::2] == (200, 1)

    failed_write(fast_user, other_user, monkeypatch)
    assert_nothing_was_written(django_user_model, pk)
    assert hasher_runs_in_ten_requests(authenticate, header, other_user.pk) == 0


@pytest.mark.parametrize("variant", [CachedBasicAuthentication], ids=["trusting"])
@pytest.mark.parametrize("database", ["in-test-transaction"], indirect=True)
def test_until_the_commit_timeout_a_write_that_did_not_commit_keeps_its_user_uncached(
    authenticate, fast_user, other_user, settings, monkeypatch
):
    """A write still open looks the same: before AUTH_CACHE_COMMIT_TIMEOUT it may yet commit, after it, not."""
    settings.AUTH_CACHE_COMMIT_TIMEOUT = 60
    pk, header = fast_user.pk, basic_header(fast_user.username, PASSWORD)
    authenticate(header)
    password_change_in_an_atomic_block_that_raises(fast_user, other_user, monkeypatch)
    written = stamps.now()
    monkeypatch.setattr(stamps, "now", lambda: written + 59)
    assert hasher_runs_in_ten_requests(authenticate, header, pk) == REQUESTS
    monkeypatch.setattr(stamps, "now", lambda: written + 61)
    assert hasher_runs_in_ten_requests(authenticate, header, pk) == 1
