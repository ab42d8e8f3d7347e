"""Read what a cache really holds, as the bytes its backend stores, for tests that inspect it."""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache

from cached_auth.stamps import KEY_PREFIX, STAMP_KEY_PREFIX


def raw_items(cache) -> dict[bytes, bytes]:
    """Every stored key and value in `cache` (for Redis: those under its key prefix)."""
    if isinstance(cache, RedisCache):
        client = cache._cache.get_client()
        return {key: client.get(key) for key in client.scan_iter(match=cache.make_key("*"))}
    # LocMemCache: string keys, pickled values.
    return {key.encode(): value for key, value in cache._cache.items()}


def entry_count(cache) -> int:
    """How many cached authentications (not user stamps) `cache` holds."""
    ours, stamp = f"{KEY_PREFIX}:".encode(), STAMP_KEY_PREFIX.encode()
    return sum(ours in key and stamp not in key for key in raw_items(cache))
