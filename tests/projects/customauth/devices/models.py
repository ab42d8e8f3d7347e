"""Keys issued to a user's devices; only their SHA-256 is stored, as for personal access tokens."""

import hashlib
import secrets

from django.conf import settings
from django.db import models


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class DeviceKey(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="device_keys")
    name = models.CharField(max_length=100)
    key_digest = models.CharField(max_length=64, unique=True)

    @classmethod
    def issue(cls, user, name: str) -> str:
        """A new key for `user`'s device: returned once, stored as its digest."""
        key = secrets.token_urlsafe(32)
        cls.objects.create(user=user, name=name, key_digest=digest(key))
        return key
