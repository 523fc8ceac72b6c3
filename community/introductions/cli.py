"""`flask introductions followup`: run from cron at any frequency (hourly, say).

It asks the people who were at an event "Who did you meet?" once, the morning after, and
moves introduction requests along (one reminder after 3 days, expiry after 14). Each event's
emails are committed together, so a failure part-way keeps what was already sent.
"""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from community.core.models import utcnow
from community.extensions import db
from community.introductions import followup as work
from community.introductions.requests import remind_and_expire


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


@click.group("introductions")
def introductions() -> None:
    """Introductions: the work cron does."""


@introductions.command("followup")
@with_appcontext
def followup() -> None:
    """Email "Who did you meet?" after events, and remind and expire introduction requests."""
    now = utcnow()
    sent = events = 0
    for event_id in work.events_due(now):
        count = work.send_followups(event_id, now)
        db.session.commit()
        sent += count
        events += 1 if count else 0
    reminded, expired = remind_and_expire(now)
    db.session.commit()
    click.echo(
        f"Who did you meet?: {_plural(sent, 'email')} for {_plural(events, 'event')}. "
        f"Introduction requests: {reminded} reminded, {expired} expired."
    )
