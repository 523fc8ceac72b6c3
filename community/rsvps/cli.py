"""`flask reminders`: run from cron every few minutes; each reminder is sent once."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from community.core.models import utcnow
from community.extensions import db
from community.rsvps import reminders as work


@click.command("reminders")
@with_appcontext
def reminders() -> None:
    """Email people going to events in the next 24 hours, and pass on expired seat offers."""
    now = utcnow()
    sent = passed_on = 0
    for event_id in work.events_with_expired_offers(now):
        passed_on += work.pass_on_expired_offers(event_id, now)
        db.session.commit()
    event_ids = work.events_to_remind(now)
    for event_id in event_ids:
        sent += work.send_reminders(event_id, now)
        db.session.commit()
    click.echo(
        f"Reminders: {sent} sent for {len(event_ids)} event{'s' if len(event_ids) != 1 else ''}. "
        f"Expired offers: {passed_on} seat{'s' if passed_on != 1 else ''} passed on."
    )
