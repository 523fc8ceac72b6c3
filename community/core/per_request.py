"""Values worth reading once per request (the signed-in person's memberships, their RSVP to
the event on the page), kept on `flask.g` so that every part of a page that asks gets them
without another statement. Outside a request (CLI, emails sent by workers) nothing is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import g, has_app_context

T = TypeVar("T")
_MISSING = object()


def _store() -> dict:
    store = g.get("_per_request")
    if store is None:
        store = g._per_request = {}
    return store


def remember(key: Hashable, value) -> None:
    if has_app_context():
        _store()[key] = value


def recall(key: Hashable, default=None):
    if not has_app_context():
        return default
    value = _store().get(key, _MISSING)
    return default if value is _MISSING else value


def forget(key: Hashable) -> None:
    if has_app_context():
        _store().pop(key, None)


def once(key: Hashable, load: Callable[[], T]) -> T:
    """`load()`, the first time in this request; what it returned, after."""
    value = recall(key, _MISSING)
    if value is _MISSING:
        value = load()
        remember(key, value)
    return value
