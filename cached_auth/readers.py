"""How a request reads its keys from the cache: in one call, and from Django's Redis cache without its overhead.

Django's RedisCache makes a new redis-py client for every call (redis.Redis(), which builds
its table of response callbacks each time: most of what a hit cost), checks each key for
characters memcached rejects (Redis rejects none), and loads each value by first trying
int() on it, whose error message holds the value's repr. For that cache a reader takes the
client Django makes once per thread, makes keys with the cache's own key function, and loads
values as its serializer does, skipping the int() only where the serializer is Django's own:
nothing cached_auth stores is an int. Every other cache, and any subclass of RedisCache, is
read through its public API.

The client is the one Django writes with: the primary, where the stamps are replaced, so that a
hit never reads a stamp from a replica behind it.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, cast

from django.core.cache import BaseCache
from django.core.cache.backends.redis import RedisCache, RedisSerializer

if TYPE_CHECKING:
    from django.core.cache.backends.redis import RedisCacheClient
    from redis import Redis

# The values of `keys` in their order, None where missing.
Reader = Callable[[Sequence[str]], list[Any]]


def reader_for(cache: BaseCache) -> Reader:
    """A reader of `cache`, for one thread: `caches[alias]` gives each thread a cache of its own."""
    if type(cache) is RedisCache:
        return RedisReader(cache)

    def one_by_one(keys: Sequence[str]) -> list[Any]:
        return [cache.get(key) for key in keys]

    def all_at_once(keys: Sequence[str]) -> list[Any]:
        found = cache.get_many(keys)
        return [found.get(key) for key in keys]

    # A get_many() that is BaseCache's own (local memory, files, database) is a loop over get() anyway.
    return one_by_one if type(cache).get_many is BaseCache.get_many else all_at_once


class RedisReader:
    """Reads Django's RedisCache in one MGET, on a client made at the first read (where its errors are caught)."""

    def __init__(self, cache: RedisCache) -> None:
        self._cache = cache
        self._client: Redis | None = None
        self._loads: Callable[[bytes], Any] = pickle.loads

    def __call__(self, keys: Sequence[str]) -> list[Any]:
        if self._client is None:
            self._client, self._loads = client_and_loads(self._cache)
        make_key, loads = self._cache.make_key, self._loads
        # Bytes: a client that decodes responses (decode_responses) would break the cache's own loads too.
        values = cast("list[bytes | None]", self._client.mget([make_key(key) for key in keys]))
        return [None if value is None else loads(value) for value in values]


def client_and_loads(cache: RedisCache) -> tuple[Redis, Callable[[bytes], Any]]:
    """The redis-py client Django writes `cache` with, and how the cache loads a value that is not an int."""
    # Django keeps both private (RedisCache._cache, RedisCacheClient._serializer): tests/test_cached_auth_readers.py
    # reads through them and through the cache's API alike, so a Django that changes them fails there first.
    backend: RedisCacheClient = cache._cache  # type: ignore[attr-defined]
    serializer = backend._serializer  # type: ignore[attr-defined]
    loads = pickle.loads if type(serializer) is RedisSerializer else serializer.loads
    return backend.get_client(write=True), loads
