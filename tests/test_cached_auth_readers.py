"""How a request reads its keys (cached_auth.readers): what the cache's own API reads, in one call.

Django's RedisCache is read through its client and serializer, which Django keeps private:
these tests compare that reader with the cache's public get_many() on the same keys, so a
Django that changes either fails here first.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError

from benchlib.caches import forget_all, redis_cache_config
from cached_auth import config, stamps
from cached_auth.readers import RedisReader, reader_for

REDIS = pytest.mark.parametrize("auth_cache", ["redis"], indirect=True)


class SubclassedRedisCache(RedisCache):
    """A RedisCache subclass, as a project may make one: it may read differently, so only its API is used."""


class JSONSerializer:
    """A serializer a project may give RedisCache in OPTIONS: not Django's pickling one."""

    def dumps(self, value: Any) -> bytes:
        return json.dumps(value).encode()

    def loads(self, data: bytes) -> Any:
        return json.loads(data)


def entry_and_stamp() -> dict[str, Any]:
    """A trusting entry and its stamp, under the keys a request for ("alice", "pw") reads, as they are stored."""
    entry_key, stamp_key = stamps.request_keys(config.current(), "trusting", "alice", "pw")
    stamp = stamps.new_stamp("f" * 64)
    values = ("alice", "alice@example.com", "Alice", "", True, False, False)
    return {entry_key: (7, stamp, stamps.now() + 300, values), stamp_key: stamp}


@pytest.fixture
def redis_cache_with(settings):
    """Make a Redis cache of the settings' server with other settings (a key prefix of its own); emptied after.

    Skips the test when Redis is not configured.
    """
    made = []

    def make(backend: str = "django.core.cache.backends.redis.RedisCache", **options: Any) -> RedisCache:
        settings.CACHES = {
            **settings.CACHES,
            "reader-test": {**redis_cache_config(settings), "BACKEND": backend, **options},
        }
        made.append(caches["reader-test"])
        return made[-1]

    yield make
    for cache in made:
        forget_all(cache)


@REDIS
def test_the_redis_reader_reads_what_get_many_does_in_the_keys_order(auth_cache):
    stored = entry_and_stamp()
    auth_cache.set_many(stored)
    keys = [*reversed(stored), "missing", *stored]
    read = reader_for(auth_cache)
    assert isinstance(read, RedisReader)
    found = auth_cache.get_many(keys)
    assert read(keys) == [found.get(key) for key in keys] == [*reversed(stored.values()), None, *stored.values()]


def test_the_redis_reader_loads_with_the_caches_own_serializer(redis_cache_with):
    cache = redis_cache_with(OPTIONS={"serializer": JSONSerializer})
    cache.set("entry", [7, "stamp", ["alice", True]])
    assert cache.get("entry") == [7, "stamp", ["alice", True]]
    assert reader_for(cache)(["entry", "missing"]) == [[7, "stamp", ["alice", True]], None]


def test_the_redis_reader_reads_the_primary_the_stamps_are_replaced_on(redis_cache_with, settings):
    # The second server is a replica nobody listens on: Django's get_many() reads from it, and fails.
    replica = "redis://127.0.0.1:1/0"  # nothing listens on port 1: the connection is refused at once
    cache = redis_cache_with(LOCATION=f"{redis_cache_config(settings)['LOCATION']},{replica}")
    stored = entry_and_stamp()
    cache.set_many(stored)
    with pytest.raises(RedisConnectionError):
        cache.get_many(list(stored))
    assert reader_for(cache)(list(stored)) == list(stored.values())


def test_a_subclass_of_redis_cache_is_read_through_its_api(redis_cache_with, monkeypatch):
    cache = redis_cache_with(backend=f"{__name__}.SubclassedRedisCache")
    stored = entry_and_stamp()
    cache.set_many(stored)
    calls = []
    monkeypatch.setattr(SubclassedRedisCache, "get_many", lambda self, keys: calls.append(keys) or {})
    read = reader_for(cache)
    assert not isinstance(read, RedisReader)
    assert read(list(stored)) == [None, None]
    assert calls == [list(stored)]


@pytest.mark.parametrize("auth_cache", ["locmem"], indirect=True)
def test_a_cache_without_a_get_many_of_its_own_is_read_key_by_key(auth_cache, monkeypatch):
    stored = entry_and_stamp()
    auth_cache.set_many(stored)
    read = reader_for(auth_cache)
    gets = []
    get = type(auth_cache).get
    monkeypatch.setattr(type(auth_cache), "get", lambda self, key: gets.append(key) or get(self, key))
    assert read([*stored, "missing"]) == [*stored.values(), None]
    assert gets == [*stored, "missing"]
