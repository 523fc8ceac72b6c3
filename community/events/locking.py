"""The write lock on an event row, taken before anything that counts its seats.

Capacity holds under concurrency because every change that counts seats first takes a
write lock on the event row: SELECT ... FOR UPDATE on PostgreSQL; on SQLite a no-op UPDATE
of the row, which takes the database's single write lock (SQLite runs the SELECTs before
it outside any transaction, so no stale snapshot is held). Never a Python lock: several
worker processes serve the same event.
"""

from __future__ import annotations

from sqlalchemy import select, text

from community.events.models import Event
from community.extensions import db


def lock_event(event: Event) -> Event:
    """Take the write lock on `event` and reload it, so counts read now stay true."""
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(text("UPDATE event SET id = id WHERE id = :id"), {"id": event.id})
        return db.session.scalars(
            select(Event).where(Event.id == event.id).execution_options(populate_existing=True)
        ).one()
    return db.session.scalars(
        select(Event).where(Event.id == event.id).with_for_update().execution_options(populate_existing=True)
    ).one()
