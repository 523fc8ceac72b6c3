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


def cached_bytes(key: str, build: Callable[[], bytes], *, timeout: int | None = None) -> bytes:
    """The bytes stored under `key`, or `build()` (then stored) when there are none."""
    try:
        found = cache.get(key)
        _report(None)
    except Exception as error:  # any backend error: build as if the cache were empty
        _report(error)
        return build()
    if isinstance(found, bytes):
        return found
    value = build()
    try:
        cache.set(key, value, timeout=timeout)
    except Exception as error:
        _report(error)
    return value
