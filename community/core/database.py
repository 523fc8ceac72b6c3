"""Database connection settings that the URL alone cannot give."""

from __future__ import annotations

from sqlalchemy import Engine, event


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
