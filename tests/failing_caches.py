"""Cache backends that fail as real ones do, for the tests of what cached_auth does then."""

from __future__ import annotations

from typing import ClassVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache

from cached_auth.stamps import STAMP_KEY_PREFIX


class StampLosingCache(LocMemCache):
    """Loses every stamp: writes of one are dropped, reads of one find nothing.

    What a cache node holding the stamps looks like when it is down and its errors are
    ignored (pymemcache's ignore_exc, django-redis's IGNORE_EXCEPTIONS), or when it evicts them.
    """

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return False if STAMP_KEY_PREFIX in key else super().add(key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        if STAMP_KEY_PREFIX not in key:
            super().set(key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return default if STAMP_KEY_PREFIX in key else super().get(key, default, version)


class BrokenCache(LocMemCache):
    """Every call fails, as a Redis server that is down does (a connection refused)."""

    def _fail(self, *args, **kwargs):
        raise ConnectionError("cache down")

    get = get_many = set = set_many = add = touch = delete = delete_many = _fail


class RecordingCache(LocMemCache):
    """Local memory, recording the calls cached_auth makes to it: (method, number of keys)."""

    calls: ClassVar[list[tuple[str, int]]] = []  # every instance's, as instances are made per thread

    def get_many(self, keys, version=None):
        self.calls.append(("get_many", len(keys)))
        return super().get_many(keys, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        self.calls.append(("touch", 1))
        return super().touch(key, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self.calls.append(("add", 1))
        return super().add(key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self.calls.append(("set", 1))
        super().set(key, value, timeout, version)
