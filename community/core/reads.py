"""One-row reads outside the request's transaction: the state that visitors' stored pages and
calendar feeds are answered from.

A stored page costs one statement. Run in the request's session it would cost four round trips
to PostgreSQL: the pool's ping, BEGIN, the statement, COMMIT. On PostgreSQL these reads use a
small pool of their own in autocommit, without the ping, straight through the driver, so a
stored page is one round trip and its request never opens a transaction. A read that fails
is done again SQLAlchemy's way, which reconnects once (a disconnect makes SQLAlchemy drop
every older connection of the pool) or raises what the error pages know. SQLite reads a
local file, in the session like everything else.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from flask import Flask, current_app
from sqlalchemy import Compiled, Engine, Executable, Row, create_engine, exc

from community.extensions import db

_KEY = "core.reads"
#: Statements compiled once (they are module-level constants; a few dozen at most).
_compiled: dict[Executable, Compiled] = {}
_MOST_COMPILED = 64
_listeners: list[Callable[[str], None]] = []


def register_reads(app: Flask) -> None:
    """After the database is set up: the reading engine (None on SQLite)."""
    with app.app_context():
        engine = db.engine
    app.extensions[_KEY] = (
        create_engine(
            engine.url,
            isolation_level="AUTOCOMMIT",
            pool_pre_ping=False,
            pool_reset_on_return=None,
            pool_size=2,
            max_overflow=3,
            pool_timeout=5,
        )
        if engine.dialect.name == "postgresql"
        else None
    )


def reading_engine(app: Flask | None = None) -> Engine | None:
    """The pool these reads use on PostgreSQL; None on SQLite (they use the session's)."""
    return (app or current_app).extensions[_KEY]


def read_first(statement: Executable, parameters: dict[str, Any]) -> Sequence | None:
    """The statement's first row, read on its own (never inside the request's transaction
    on PostgreSQL: what it reads is what is committed). On PostgreSQL the row holds the
    values as the driver gives them (an enum column is its text): for statements of plain
    columns, built once at module level, with plain parameters."""
    engine = reading_engine()
    if engine is None:
        return db.session.connection().execute(statement, parameters).first()
    try:
        return driver_first(engine, statement, parameters)
    except engine.dialect.loaded_dbapi.Error:
        pass  # a connection dropped (a restart): SQLAlchemy's way reconnects, or says what is wrong
    try:
        return _first(engine, statement, parameters)
    except exc.DBAPIError as error:
        if not error.connection_invalidated:
            raise
        return _first(engine, statement, parameters)  # on a fresh connection


def driver_first(engine: Engine, statement: Executable, parameters: dict[str, Any]) -> tuple | None:
    """The first row straight through the driver, the statement compiled once: half the time
    of SQLAlchemy's execution for a one-row read. A connection that fails leaves the pool.

    :raises engine.dialect.loaded_dbapi.Error: the driver's own errors."""
    compiled = _compiled.get(statement)
    if compiled is None:
        compiled = statement.compile(dialect=engine.dialect)
        if len(_compiled) < _MOST_COMPILED:
            _compiled[statement] = compiled
    sql = compiled.string
    for listener in _listeners:
        listener(sql)
    connection = engine.raw_connection()
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, compiled.construct_params(parameters))
            return cursor.fetchone()
    except engine.dialect.loaded_dbapi.Error:
        connection.invalidate()
        raise
    finally:
        connection.close()


def listen(listener: Callable[[str], None]) -> Callable[[], None]:
    """Call `listener(sql)` before each read straight through the driver, which SQLAlchemy's
    events do not see (tests count statements with it); returns what stops it."""
    _listeners.append(listener)
    return lambda: _listeners.remove(listener)


def _first(engine: Engine, statement: Executable, parameters: dict[str, Any]) -> Row | None:
    with engine.connect() as connection:
        return connection.execute(statement, parameters).first()
