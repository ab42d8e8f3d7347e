"""cached_auth on Redis: a hit is one round trip (the entry and the stamp in one MGET), on a client made once.

Round trips are counted on the client: every command redis-py sends, and every reply it
reads, on the connections of the test's own Redis cache.
"""

from __future__ import annotations

import pytest
from redis import Redis
from redis.connection import AbstractConnection

from benchlib.credentials import PASSWORD, basic_header


@pytest.fixture
def round_trips(monkeypatch):
    """Count the commands sent to Redis and the replies read back."""
    counts = {"sent": 0, "read": 0}
    send, read = AbstractConnection.send_packed_command, AbstractConnection.read_response

    def counting_send(self, *args, **kwargs):
        counts["sent"] += 1
        return send(self, *args, **kwargs)

    def counting_read(self, *args, **kwargs):
        counts["read"] += 1
        return read(self, *args, **kwargs)

    monkeypatch.setattr(AbstractConnection, "send_packed_command", counting_send)
    monkeypatch.setattr(AbstractConnection, "read_response", counting_read)
    return counts


@pytest.mark.parametrize("auth_cache", ["redis"], indirect=True)
def test_a_hit_is_one_round_trip_to_redis(authenticate, fast_user, round_trips):
    """Either variant (the `authenticate` fixture is made for each)."""
    header = basic_header(fast_user.username, PASSWORD)
    assert authenticate(header)[0::2] == (200, 1)
    round_trips.update(sent=0, read=0)
    assert authenticate(header)[0::2] == (200, 0)
    assert round_trips == {"sent": 1, "read": 1}


@pytest.mark.parametrize("auth_cache", ["redis"], indirect=True)
def test_hits_reuse_the_threads_redis_client(authenticate, fast_user, monkeypatch):
    """Django's RedisCache API builds a redis.Redis (its table of response callbacks) per call: hits build none."""
    header = basic_header(fast_user.username, PASSWORD)
    assert authenticate(header)[0::2] == (200, 1)
    assert authenticate(header)[0::2] == (200, 0)
    made = []
    init = Redis.__init__
    monkeypatch.setattr(
        Redis, "__init__", lambda self, *args, **kwargs: made.append(self) or init(self, *args, **kwargs)
    )
    for _ in range(3):
        assert authenticate(header)[0::2] == (200, 0)
    assert made == []
