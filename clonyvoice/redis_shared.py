"""One Redis client per process and URL, for everything that talks to Redis synchronously.

Django's Redis cache builds a new client (and, under ASGI, a new connection pool) for each
operation; redis-py makes clients costly to build. Rate limits hit the cache on every request, so
the cache here shares one pooled client per process instead.
"""

from __future__ import annotations

import os
import threading

import redis
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

_lock = threading.Lock()
_clients: dict[tuple[int, str], redis.Redis] = {}


def shared_client(url: str) -> redis.Redis:
    key = (os.getpid(), url)  # a forked worker must not share its parent's sockets
    client = _clients.get(key)
    if client is None:
        with _lock:
            client = _clients.get(key)
            if client is None:
                client = redis.Redis.from_url(
                    url, socket_timeout=10, socket_connect_timeout=5, health_check_interval=30
                )
                _clients[key] = client
    return client


class SharedRedisCacheClient(RedisCacheClient):
    def get_client(self, key: str | None = None, *, write: bool = False) -> redis.Redis:
        return shared_client(self._servers[0])


class SharedRedisCache(RedisCache):
    """Django's Redis cache on the process-wide client (one server only)."""

    def __init__(self, server: str, params: dict) -> None:
        super().__init__(server, params)
        self._class = SharedRedisCacheClient
