"""The shared cache on Redis, failing open: what it holds (throttle counts) is not worth a failed request."""
from __future__ import annotations

import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger("pledgeflow.cache")


def _fail_open(name: str, fallback):
    def method(self, *args, **kwargs):
        try:
            return getattr(RedisCache, name)(self, *args, **kwargs)
        except RedisError as exc:
            # A throttle that cannot count lets the request through: Redis being away must cost
            # the service its rate limits for a while, not its answers.
            logger.warning("cache %s failed open: %s", name, exc)
            return fallback(*args, **kwargs) if callable(fallback) else fallback

    method.__name__ = name
    return method


class FailOpenRedisCache(RedisCache):
    """django's RedisCache, where a Redis error reads as a miss and a write as not done."""

    get = _fail_open("get", lambda key, default=None, version=None: default)
    get_many = _fail_open("get_many", lambda *args, **kwargs: {})
    has_key = _fail_open("has_key", False)
    set = _fail_open("set", None)
    set_many = _fail_open("set_many", lambda data, *a, **k: list(data))
    add = _fail_open("add", False)
    touch = _fail_open("touch", False)
    delete = _fail_open("delete", False)
    delete_many = _fail_open("delete_many", None)
