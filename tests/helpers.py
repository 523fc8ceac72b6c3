"""Plain helpers for the test fixtures: keys for cached apps, undoing a test's changes to an app,
and counting SQL statements. No fixtures here (those are in conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine


def settings_key(settings: Mapping[str, Any]) -> str:
    """A stable text for a mapping of settings: equal settings, in any order, give equal keys."""
    return repr(_frozen(settings))


def _frozen(value: Any) -> Any:
    if isinstance(value, Mapping):
        return tuple(sorted((str(key), _frozen(item)) for key, item in value.items()))
    if isinstance(value, list | tuple):
        return tuple(_frozen(item) for item in value)
    if isinstance(value, set | frozenset):
        return tuple(sorted(repr(_frozen(item)) for item in value))
    return value


def copy_containers(value: Any) -> Any:
    """A copy of the dicts, lists and sets in `value`, at every depth; anything else is shared.

    Enough to undo what a test does to `app.config` or `app.extensions` (a setting changed, a
    tab appended to a registry list) without copying the engines and extensions themselves.
    """
    if type(value) is dict:
        return {key: copy_containers(item) for key, item in value.items()}
    if type(value) is list:
        return [copy_containers(item) for item in value]
    if type(value) is set:
        return set(value)
    return value


def restore(target: dict, saved: dict) -> None:
    """Put a dict (`app.config`, `app.extensions`) back as `saved`, keeping the object itself."""
    target.clear()
    target.update(saved)


@contextmanager
def counting_queries(*engines: Engine | None) -> Iterator[list[str]]:
    """The SQL statements the engines run inside the block, in order, from any thread."""
    statements: list[str] = []
    engines = tuple({engine for engine in engines if engine is not None})

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        statements.append(statement)

    for engine in engines:
        event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", record)
