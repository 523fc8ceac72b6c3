"""What /healthz says: each service the app depends on, and whether it answers.

Cheap enough for a load balancer that asks every few seconds: one `SELECT 1`, one statement
for the outbox, one Redis PING each for the rate-limit store and the cache when they are on
Redis (each with a timeout of a second or less, config.py).

Only the database is vital: without it nothing works, so only then is the answer 503. A
rate-limit store or cache that does not answer makes the site "degraded", still serving:
limits are counted per process and pages are built without the cache until it is back.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import current_app
from limits.storage import MemoryStorage
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from community.core.mail.queue_state import outbox_state
from community.extensions import cache, db, limiter

log = logging.getLogger(__name__)

OK, DEGRADED, UNREACHABLE = "ok", "degraded", "unreachable"
#: Per process by design (development, one process): nothing shared to lose.
MEMORY, LOCAL, OFF = "memory", "local", "off"


def database_state() -> str:
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        log.warning("Health check: the database does not answer: %s", error.__class__.__name__)
        db.session.rollback()
        return UNREACHABLE
    return OK


def rate_limit_state() -> str:
    """ok: the shared store answers and is in use; degraded: it does not answer, or this process
    still counts in memory (Flask-Limiter's fallback) until it notices the store is back."""
    if not (current_app.config["RATELIMIT_ENABLED"] and limiter.enabled):
        return OFF
    storage = limiter.storage
    if isinstance(storage, MemoryStorage):
        return MEMORY
    on_fallback = limiter.limiter.storage is not storage
    return DEGRADED if on_fallback or not storage.check() else OK


def cache_state() -> str:
    if current_app.config["CACHE_TYPE"] != "RedisCache":
        return LOCAL
    try:
        cache.get("healthz:probe")
    except Exception:  # any backend error: the cache is down
        return UNREACHABLE
    return OK


def outbox_report() -> dict[str, Any]:
    state = outbox_state()
    age = state.oldest_pending_age()
    return {
        "pending": state.pending,
        "oldest_pending_seconds": None if age is None else int(age.total_seconds()),
        "retrying": state.retrying,
        "failed": state.failed,
    }


def health() -> tuple[dict[str, Any], int]:
    """The body and status of /healthz: 503 only when the database cannot be used."""
    database = database_state()
    body: dict[str, Any] = {
        "status": "ok",
        "database": database,
        "rate_limit_store": rate_limit_state(),
        "cache": cache_state(),
        "outbox": outbox_report() if database == OK else None,
    }
    if database != OK:
        body["status"] = "unavailable"
        return body, 503
    if body["rate_limit_store"] == DEGRADED or body["cache"] == UNREACHABLE:
        body["status"] = "degraded"
    return body, 200
