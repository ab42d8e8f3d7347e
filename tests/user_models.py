"""User models the tests save through: a proxy of the user model and a subclass with a table of its own.

Django sends a model's save and delete signals with the instance's own class as sender, so
invalidation must be connected for these too. They are put in the auth app, the user
model's, because the test database has a table for every model of an app with a models
module (pytest.ini: --no-migrations).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import models

User = get_user_model()


class ProxyUser(User):
    class Meta:
        proxy = True
        app_label = "auth"


class SubclassedUser(User):
    """Multi-table inheritance: a row here and one in the user model's table."""

    nickname = models.CharField(max_length=30, blank=True)

    class Meta:
        app_label = "auth"
