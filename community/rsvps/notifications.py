"""Emails to the people who answered an event, all through the outbox (sent only if the
change commits). The email kinds ("events.rsvp-going", ...) stay as they were: the mail
limits (core.mail.quota) and people's mail filters know them."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from community.core.mail.services import queue_email
from community.core.mail.unsubscribe import unsubscribe_url
from community.events.calendar import event_url
from community.events.models import Event
from community.events.presentation import when
from community.extensions import db
from community.rsvps.invitations import invitation_for
from community.rsvps.models import RSVP, RSVPStatus

#: People who hear about changes and cancellations.
INTERESTED = (RSVPStatus.GOING, RSVPStatus.WAITLISTED, RSVPStatus.OFFERED, RSVPStatus.PENDING)


def _send(rsvp: RSVP, *, subject: str, template: str, kind: str, invitation: bool = True, **context) -> None:
    """One email about `rsvp`; with `invitation`, the event as an iTIP attachment, so mail
    clients add, update or remove it in the person's calendar."""
    event = rsvp.event
    queue_email(
        attachments=[invitation_for(rsvp)] if invitation else [],
        to=rsvp.user.email,
        subject=subject,
        template=f"rsvps/{template}",
        kind=kind,
        rsvp=rsvp,
        event=event,
        person=rsvp.user,
        community=event.community,
        when=when(event),
        event_link=event_url(event),
        **context,
    )


def interested_rsvps(event: Event, statuses: Iterable[RSVPStatus] = INTERESTED) -> list[RSVP]:
    return list(
        db.session.scalars(
            select(RSVP)
            .where(RSVP.event_id == event.id, RSVP.status.in_(list(statuses)))
            .options(selectinload(RSVP.user))
            .order_by(RSVP.id)
        )
    )


def rsvp_confirmation(rsvp: RSVP) -> None:
    """After someone RSVPs: going, on the waitlist, or waiting for approval."""
    subjects = {
        RSVPStatus.GOING: f"You're going to {rsvp.event.title}",
        RSVPStatus.WAITLISTED: f"You're on the waitlist for {rsvp.event.title}",
        RSVPStatus.PENDING: f"Your RSVP to {rsvp.event.title} is waiting for approval",
        RSVPStatus.NOT_GOING: f"You're not going to {rsvp.event.title}",
    }
    if rsvp.status in subjects:
        _send(
            rsvp,
            subject=subjects[rsvp.status],
            template="rsvp_confirmation",
            kind=f"events.rsvp-{rsvp.status}",
        )


def seats_given(change) -> None:
    """Waitlist promotions and seat offers from an RSVPChange."""
    for rsvp in change.promoted:
        _send(
            rsvp,
            subject=f"A seat opened up: you're going to {rsvp.event.title}",
            template="promoted",
            kind="events.promoted",
        )
    for rsvp in change.offered:
        _send(
            rsvp,
            subject=f"A seat is yours for {rsvp.event.title} if you claim it",
            template="offered",
            kind="events.offered",
            invitation=False,  # not in their calendar until they claim it
        )


def moved_to_waitlist(rsvp: RSVP) -> None:
    _send(
        rsvp,
        subject=f"Change to your RSVP for {rsvp.event.title}",
        template="moved_to_waitlist",
        kind="events.moved-to-waitlist",
    )


def organizer_changed_rsvp(rsvp: RSVP) -> None:
    """An organizer approved, declined or moved someone."""
    _send(
        rsvp,
        subject=f"Your RSVP for {rsvp.event.title} was updated",
        template="organizer_changed",
        kind="events.organizer-changed",
    )


def event_changed(event: Event) -> None:
    for rsvp in interested_rsvps(event):
        _send(rsvp, subject=f"Updated: {event.title}", template="changed", kind="events.changed")


def event_cancelled(event: Event) -> None:
    for rsvp in interested_rsvps(event):
        _send(rsvp, subject=f"Cancelled: {event.title}", template="cancelled", kind="events.cancelled")


def reminder(rsvp: RSVP) -> None:
    _send(
        rsvp,
        subject=f"Tomorrow: {rsvp.event.title}",
        template="reminder",
        kind="events.reminder",
        invitation=False,
        unsubscribe_url=unsubscribe_url(rsvp.user_id, "reminders"),
    )
