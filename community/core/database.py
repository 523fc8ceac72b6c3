"""Database connection settings that the URL alone cannot give, and telling a database that is
unavailable just now from a statement that is wrong."""

from __future__ import annotations

import psycopg
from sqlalchemy import Engine, event, exc


def configure_sqlite(engine: Engine) -> None:
    """SQLite: enforce foreign keys (and so every ondelete rule), write-ahead logging so
    readers don't block the writer, and wait for the write lock instead of failing at once
    (several gunicorn workers share one database file)."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, connection_record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA busy_timeout = 30000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()


def database_unavailable(error: BaseException) -> bool:
    """Whether `error` says the database could not be used just now (not that a statement was
    wrong): the connection was cut (restart, failover, pg_terminate_backend), the server
    refused or did not answer, the pool had no connection to spare, or SQLite stayed locked.
    The request then answers 503, "try again", and wrote nothing."""
    if isinstance(error, exc.DBAPIError) and error.connection_invalidated:
        return True
    if isinstance(error, exc.TimeoutError):  # no connection free in the pool in time
        return True
    if isinstance(error, exc.OperationalError):
        if isinstance(error.orig, psycopg.OperationalError):
            return True  # psycopg raises ProgrammingError and the like for a wrong statement
        return "database is locked" in str(error.orig)
    return False
