"""What organizers do to RSVPs: approve, decline, move between going and the waitlist, and
write to everyone coming.

Services flush; the request commits. Every change that counts seats takes the event's row
lock first (events.locking), asks the policy, and writes an outbox email to every person it
changed, in the same transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from community.auth.models import User
from community.core import audit
from community.core.audit import AuditEntry
from community.core.errors import DomainError
from community.core.mail import quota
from community.core.mail.services import compose_email
from community.core.models import utcnow
from community.events.calendar import event_url
from community.events.locking import lock_event
from community.events.models import Event
from community.events.presentation import when
from community.extensions import db
from community.members.people import profile_of
from community.members.permissions import Audience, can_see_person
from community.rsvps import notifications, policy
from community.rsvps.models import RSVP, RSVPStatus
from community.rsvps.queries import seats_left, seats_taken
from community.rsvps.services import RSVPChange, fill_freed_seats, seat_request_status

MESSAGE_MAX = 5000


class OrganizerError(DomainError):
    """An organizer action that cannot be done; the message says why."""


def _party(rsvp: RSVP) -> str:
    if rsvp.guests:
        return f"{rsvp.user.name}'s party of {rsvp.seats}"
    return rsvp.user.name


def _changed(rsvp: RSVP, actor: User, action: str, change: RSVPChange | None = None) -> RSVPChange:
    db.session.flush()
    notifications.organizer_changed_rsvp(rsvp)
    if change is not None:
        notifications.seats_given(change)
    audit.record(rsvp.event.community, actor, f"rsvp.{action}", subject=rsvp.user, detail=rsvp.event.title)
    return change or RSVPChange(rsvp=rsvp)


def approve(rsvp: RSVP, actor: User) -> RSVPChange:
    """Pending -> going if the party fits (and nobody waits ahead), else the waitlist."""
    if rsvp.status != RSVPStatus.PENDING:
        raise OrganizerError(f"{rsvp.user.name}'s RSVP is not waiting for approval any more.")
    rsvp.status = seat_request_status(rsvp.event, rsvp.seats)
    return _changed(rsvp, actor, "approved")


def decline(rsvp: RSVP, actor: User, now: datetime | None = None) -> RSVPChange:
    """An organizer says no; a seat they held goes to the waitlist."""
    if rsvp.status in (RSVPStatus.DECLINED, RSVPStatus.NOT_GOING):
        raise OrganizerError(f"{rsvp.user.name} is not asking for a seat.")
    event = lock_event(rsvp.event)
    held_seats = policy.holds_seat(rsvp.status)
    rsvp.status, rsvp.offer_expires_at, rsvp.checked_in_at = RSVPStatus.DECLINED, None, None
    db.session.flush()
    change = fill_freed_seats(event, now) if held_seats else None
    return _changed(rsvp, actor, "declined", change)


def move_to_waitlist(rsvp: RSVP, actor: User, now: datetime | None = None) -> RSVPChange:
    """Going (or offered, or pending) -> the end of the waitlist. The seats freed go to the
    people already waiting, in order; this person is not handed their seat straight back."""
    if not (policy.holds_seat(rsvp.status) or rsvp.status == RSVPStatus.PENDING):
        raise OrganizerError(f"{rsvp.user.name} is not going, so there is nothing to move.")
    event = lock_event(rsvp.event)
    if event.capacity is None:
        raise OrganizerError("This event has no capacity limit, so it has no waitlist. Set a capacity first.")
    now = now or utcnow()
    held_seats = policy.holds_seat(rsvp.status)
    rsvp.status, rsvp.offer_expires_at, rsvp.checked_in_at = RSVPStatus.WAITLISTED, None, None
    rsvp.queued_at = now
    db.session.flush()
    change = None
    if held_seats:
        change = fill_freed_seats(event, now)
        if rsvp in change.promoted or rsvp in change.offered:  # the organizer's choice wins
            change.promoted = [r for r in change.promoted if r is not rsvp]
            change.offered = [r for r in change.offered if r is not rsvp]
            rsvp.status, rsvp.offer_expires_at = RSVPStatus.WAITLISTED, None
    return _changed(rsvp, actor, "moved_to_waitlist", change)


def move_to_going(rsvp: RSVP, actor: User) -> RSVPChange:
    """Waitlisted, offered, pending or declined -> going, ahead of the line, if the party fits.

    :raises OrganizerError: when the party does not fit in the seats left.
    """
    if rsvp.status in (RSVPStatus.GOING, RSVPStatus.NOT_GOING):
        raise OrganizerError(
            f"{rsvp.user.name} is already going."
            if rsvp.status == RSVPStatus.GOING
            else f"{rsvp.user.name} said they are not going."
        )
    event = lock_event(rsvp.event)
    # An offer already holds its seats; anyone else needs theirs to fit.
    if rsvp.status != RSVPStatus.OFFERED and not policy.fits(event.capacity, seats_taken(event), rsvp.seats):
        left = seats_left(event) or 0
        raise OrganizerError(
            f"{_party(rsvp)} does not fit: {left} seat{'s' if left != 1 else ''} left of {event.capacity}. "
            "Raise the capacity or move someone else to the waitlist first."
        )
    rsvp.status, rsvp.offer_expires_at = RSVPStatus.GOING, None
    return _changed(rsvp, actor, "moved_to_going")


#: Organizer actions on one RSVP: URL name -> (service, message on success).
ACTIONS = {
    "approve": (approve, "{name} is approved."),
    "decline": (decline, "{name}'s RSVP is declined."),
    "waitlist": (move_to_waitlist, "{name} is now on the waitlist."),
    "going": (move_to_going, "{name} is now going."),
}


def needs_confirmation(action: str, rsvp: RSVP) -> bool:
    """Whether the organizer confirms first: moving someone to the waitlist, or declining someone
    who holds a seat, emails them and may hand the seat to the next person waiting."""
    return action == "waitlist" or (action == "decline" and policy.holds_seat(rsvp.status))


def _people(number: int) -> str:
    return f"{number} {'person' if number == 1 else 'people'}"


def outcome(action: str, rsvp: RSVP, change: RSVPChange) -> str:
    """The flash after an action: what happened to this person, and to anyone promoted."""
    if action == "approve" and rsvp.status == RSVPStatus.WAITLISTED:
        text = f"{rsvp.user.name} is approved, but the event is full: they are on the waitlist."
    else:
        text = ACTIONS[action][1].format(name=rsvp.user.name)
    if change.promoted:
        text += f" {_people(len(change.promoted))} promoted from the waitlist."
    if change.offered:
        text += f" A freed seat was offered to {_people(len(change.offered))} on the waitlist."
    return text + " We emailed everyone concerned."


# -- a message to the people coming ---------------------------------------------------------

#: Who a message goes to: key -> statuses.
RECIPIENTS = {
    "going": policy.SEAT_HOLDING,
    "going_and_waitlist": (*policy.SEAT_HOLDING, RSVPStatus.WAITLISTED),
}


def message_attendees(event: Event, actor: User, *, subject: str, body: str, recipients: str) -> int:
    """One outbox email per person; returns how many.

    :raises OrganizerError, quota.ConfirmEmailFirst, quota.MailLimitReached:
    """
    quota.require_confirmed(actor)
    subject, body = subject.strip(), body.strip()
    if not subject or not body:
        raise OrganizerError("Write a subject and a message.")
    if len(body) > MESSAGE_MAX:
        raise OrganizerError(f"Keep the message under {MESSAGE_MAX:,} characters.")
    people = notifications.interested_rsvps(event, RECIPIENTS[recipients])
    # Attendees see the sender's name only if the directory would show it to a fellow member.
    shown_name = actor.name if can_see_person(profile_of(actor), Audience.MEMBERS) else ""
    messages = [
        compose_email(
            to=rsvp.user.email,
            subject=f"{subject} · {event.title}",
            template="rsvps/organizer_message",
            kind="events.organizer-message",
            rsvp=rsvp,
            event=event,
            person=rsvp.user,
            community=event.community,
            organizer_name=shown_name,
            message=body,
            when=when(event),
            event_link=event_url(event),
        )
        for rsvp in people
        if rsvp.user.deleted_at is None
    ]
    quota.charge(quota.MESSAGES, messages, sender=actor, community_id=event.community_id)
    db.session.add_all(messages)
    db.session.flush()
    detail = audit.tagged(f"{event.title}: {subject} ({len(messages)})", "event", event.id)
    audit.record(event.community, actor, "event.message_sent", detail=detail)
    return len(messages)


@dataclass(frozen=True)
class SentMessage:
    """One earlier message to an event's people, as its audit entry tells it."""

    sender: str
    sent_at: datetime
    subject: str
    recipients: int


_SENT_TO = re.compile(r"(.*) \((\d+)\)", re.S)


def _sent_message(entry: AuditEntry, title: str) -> SentMessage:
    """The entry's detail reads "<event title>: <subject> (<how many>)"; the title may have changed."""
    shown = audit.shown_detail(entry.detail)
    match = _SENT_TO.fullmatch(shown)
    said, recipients = (match[1], int(match[2])) if match else (shown, 0)
    subject = said[len(title) + 2 :] if said.startswith(f"{title}: ") else said.split(": ", 1)[-1]
    sender = entry.actor.name if entry.actor is not None else "Someone (a deleted account)"
    return SentMessage(sender=sender, sent_at=entry.created_at, subject=subject, recipients=recipients)


def message_history(event: Event, limit: int = 50) -> list[SentMessage]:
    """The messages organizers sent to this event's people, newest first (two queries)."""
    entries = db.session.scalars(
        select(AuditEntry)
        .options(selectinload(AuditEntry.actor))
        .where(
            AuditEntry.community_id == event.community_id,
            AuditEntry.action == "event.message_sent",
            AuditEntry.detail.endswith(audit.tag("event", event.id), autoescape=True),
        )
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        .limit(limit)
    )
    return [_sent_message(entry, event.title) for entry in entries]
