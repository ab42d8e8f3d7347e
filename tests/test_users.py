"""benchlib.users: users made through the user model's manager, whatever its fields."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Permission, User
from django.db import models

from benchlib.credentials import PASSWORD
from benchlib.users import UnfillableUserField, create_user, value_for


def test_a_user_is_made_with_its_required_fields_and_the_given_hash(db, password_hash_for, prefer_hasher):
    prefer_hasher("md5")
    encoded = password_hash_for("md5")
    user = create_user("someone", encoded)
    stored = User.objects.get(pk=user.pk)
    assert (stored.username, stored.email) == ("someone", "someone@example.com")  # User.REQUIRED_FIELDS
    assert stored.password == encoded and stored.check_password(PASSWORD)


def test_without_a_hash_the_password_is_unusable_until_set(db):
    assert not create_user("nobody-yet").has_usable_password()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        (models.EmailField(), "name@example.com"),
        (models.CharField(max_length=3), "nam"),
        (models.TextField(), "name"),
        (models.DateField(), datetime.date(2000, 1, 1)),
        (models.BooleanField(), False),
        (models.PositiveIntegerField(), 0),
        (models.CharField(max_length=10, choices=[("b", "B"), ("a", "A")]), "b"),
    ],
    ids=lambda case: type(case).__name__ if isinstance(case, models.Field) else "",
)
def test_a_value_is_made_for_each_common_field(field, value):
    assert value_for(field, "name") == value


def test_an_aware_datetime_for_a_datetime_field():
    assert value_for(models.DateTimeField(), "name").tzinfo is not None


def test_a_relation_the_suite_cannot_fill_is_an_error_naming_the_field():
    with pytest.raises(UnfillableUserField, match=r"Permission\.content_type \(ForeignKey\)"):
        value_for(Permission._meta.get_field("content_type"), "name")
