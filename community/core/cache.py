"""The shared cache (Flask-Caching): the local process in `make run` and tests, Redis in
production when CACHE_REDIS_URL is set. Only what is the same for everyone goes in, under a
key that names the state it was built from (so a change is a new key, never a stale hit).

A cache that cannot be reached is a cache miss: the caller builds the value as if there were
no cache. One warning is logged when it stops answering, not one per request.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from community.extensions import cache

log = logging.getLogger(__name__)
_failing = False


def _report(error: Exception | None) -> None:
    global _failing
    if error is not None and not _failing:
        log.warning("The cache is unreachable; pages are built without it until it is back: %s", error)
    elif error is None and _failing:
        log.warning("The cache answers again")
    _failing = error is not None


def cached_value(key: str):
    """What is stored under `key`, or None (also when the cache cannot be reached)."""
    try:
        found = cache.get(key)
    except Exception as error:  # any backend error: as if the cache were empty
        _report(error)
        return None
    _report(None)
    return found


def store_value(key: str, value, *, timeout: int | None = None) -> None:
    """Keep `value` under `key`; a cache that cannot be reached keeps nothing."""
    try:
        cache.set(key, value, timeout=timeout)
    except Exception as error:
        _report(error)


def cached_bytes(key: str, build: Callable[[], bytes], *, timeout: int | None = None) -> bytes:
    """The bytes stored under `key`, or `build()` (then stored) when there are none."""
    found = cached_value(key)
    if isinstance(found, bytes):
        return found
    value = build()
    store_value(key, value, timeout=timeout)
    return value
