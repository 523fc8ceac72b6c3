"""The reminder email a day before, and offers of freed seats that ran out: work for cron.

Each function handles one event and only flushes; the `flask reminders` command commits
after each event, so a failure part-way keeps what was already sent.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from community.auth.models import User
from community.core.mail import unsubscribe
from community.events.models import Event, EventStatus
from community.extensions import db
from community.rsvps import notifications
from community.rsvps.models import RSVP, RSVPStatus
from community.rsvps.services import expire_offers

REMINDER_LEAD = timedelta(hours=24)
REMINDERS = unsubscribe.register_kind(
    unsubscribe.EmailKind("reminders", "Event reminders", "The day before an event you're going to.", 10)
)


def events_to_remind(now: datetime) -> list[int]:
    """Published events starting within the next 24 hours with someone going not yet reminded."""
    return list(
        db.session.scalars(
            select(Event.id)
            .where(
                Event.status == EventStatus.PUBLISHED,
                Event.starts_at > now,
                Event.starts_at <= now + REMINDER_LEAD,
                Event.id.in_(
                    select(RSVP.event_id).where(
                        RSVP.status == RSVPStatus.GOING, RSVP.reminder_sent_at.is_(None)
                    )
                ),
            )
            .order_by(Event.starts_at, Event.id)
        )
    )


def send_reminders(event_id: int, now: datetime) -> int:
    """Claim the event's unreminded RSVPs and queue a reminder for each; returns how many.

    The claim is one conditional UPDATE (... WHERE reminder_sent_at IS NULL): two runs at
    once cannot both claim an RSVP, because the second waits for the first's row locks and
    then finds reminder_sent_at set. The emails are outbox rows in the same transaction.
    """
    claimed = list(
        db.session.scalars(
            update(RSVP)
            .where(
                RSVP.event_id == event_id,
                RSVP.status == RSVPStatus.GOING,
                RSVP.reminder_sent_at.is_(None),
                RSVP.user_id.in_(
                    select(User.id).where(User.deleted_at.is_(None), User.suspended_at.is_(None))
                ),
            )
            .values(reminder_sent_at=now)
            .returning(RSVP.id)
            .execution_options(synchronize_session=False)
        )
    )
    if not claimed:
        return 0
    rows = db.session.scalars(
        select(RSVP)
        .where(RSVP.id.in_(claimed))
        .options(selectinload(RSVP.user), selectinload(RSVP.event).selectinload(Event.community))
        .order_by(RSVP.id)
    )
    switched_off = set(db.session.scalars(unsubscribe.opted_out(REMINDERS.name)))
    sent = 0
    for rsvp in rows:
        if rsvp.user_id in switched_off:
            continue  # claimed all the same: they said no reminders, this one is handled
        notifications.reminder(rsvp)
        sent += 1
    return sent


def events_with_expired_offers(now: datetime) -> list[int]:
    return list(
        db.session.scalars(
            select(RSVP.event_id)
            .join(Event, Event.id == RSVP.event_id)
            .where(
                RSVP.status == RSVPStatus.OFFERED,
                RSVP.offer_expires_at <= now,
                Event.status == EventStatus.PUBLISHED,
            )
            .distinct()
            .order_by(RSVP.event_id)
        )
    )


def pass_on_expired_offers(event_id: int, now: datetime) -> int:
    """Offers past their claim window go back in line; the seats are offered or given to the
    next people, who are emailed. Returns how many people got a seat or an offer."""
    event = db.session.get(Event, event_id)
    if event is None:
        return 0
    change = expire_offers(event, now)
    notifications.seats_given(change)
    return len(change.promoted) + len(change.offered)
