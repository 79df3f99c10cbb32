"""The shared cache fails open: Redis away costs the throttles, not the request, and not more than a moment."""
from __future__ import annotations

import socket
import time

import pytest

from core.cache import FailOpenRedisCache


@pytest.fixture
def unreachable_redis():
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return FailOpenRedisCache(
        f"redis://127.0.0.1:{port}/0", {"OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}
    )


def test_reads_miss_and_writes_are_dropped_when_redis_is_away(unreachable_redis):
    started = time.monotonic()
    assert unreachable_redis.get("history", []) == []
    assert unreachable_redis.get_many(["a", "b"]) == {}
    assert unreachable_redis.set("history", [1], 60) is None
    assert unreachable_redis.add("history", [1], 60) is False
    assert unreachable_redis.delete("history") is False
    assert time.monotonic() - started < 5


def test_a_throttled_view_answers_when_redis_is_away(unreachable_redis, monkeypatch, db):
    from rest_framework.test import APIClient
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(SimpleRateThrottle, "cache", unreachable_redis)
    response = APIClient().get("/api/v1/register/?patent=ZL202110921116.9")
    assert response.status_code == 200
