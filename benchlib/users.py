"""Users made as Django makes them, so that any project's user model works: its manager's create_user,
its USERNAME_FIELD and REQUIRED_FIELDS (as `manage.py createsuperuser` fills them)."""

from __future__ import annotations

import datetime
import uuid
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone

if TYPE_CHECKING:
    # The project's user model (AUTH_USER_MODEL), as django-stubs' plugin reads it from the settings.
    from django.contrib.auth.models import _User as User
    from django.contrib.contenttypes.fields import GenericForeignKey
    from django.db.models import ForeignObjectRel


class UnfillableUserField(TypeError):
    """A REQUIRED_FIELDS field the suite cannot make a value for (a relation, say)."""


def create_user(name: str, password_hash: str | None = None) -> User:
    """A new user of the project's user model, named after `name`, through its manager's create_user.

    `password_hash` is an encoded password the caller made (hashing it again here would cost a
    hasher run per user); without it the user has an unusable password, for the caller to set.
    """
    user_model = get_user_model()
    fields = [user_model.USERNAME_FIELD, *user_model.REQUIRED_FIELDS]
    values: dict[str, Any] = {field: value_for(user_model._meta.get_field(field), name) for field in fields}
    user = user_model._default_manager.create_user(**values, password=None)
    if password_hash is not None:
        user.password = password_hash
        user.save(update_fields=["password"])
    return user


def value_for(field: models.Field[Any, Any] | ForeignObjectRel | GenericForeignKey, name: str) -> object:
    """A valid value of `field` derived from `name`: `name@example.com` for an email, `name` for text."""
    if isinstance(field, models.Field) and field.choices:
        return field.flatchoices[0][0]
    if isinstance(field, models.EmailField):
        return f"{name}@example.com"
    if isinstance(field, models.CharField | models.TextField):
        return name[: field.max_length] if field.max_length else name
    if isinstance(field, models.DateTimeField):
        return timezone.now()
    if isinstance(field, models.DateField):
        return datetime.date(2000, 1, 1)
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, models.IntegerField | models.FloatField | models.DecimalField):
        return 0
    if isinstance(field, models.UUIDField):
        return uuid.uuid4()
    raise UnfillableUserField(
        f"the suite cannot make a value for {field.model.__name__}.{field.name} ({type(field).__name__}), "
        "a USERNAME_FIELD or REQUIRED_FIELDS field"
    )
