""" "Invite to <next event>": an organizer emails a member drifting away an invitation to the
community's next published event, at most once per member per event.

The unique constraint on drift_invitation(event_id, user_id) decides, in a savepoint, so two
clicks at once (two requests) send one email; the email is composed and charged to the
organizer's mail limits before the row is written, so a refusal writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask import url_for
from sqlalchemy import and_, literal, select, true, union_all
from sqlalchemy.exc import IntegrityError

from community.auth.models import User
from community.communities.models import Community
from community.core import audit
from community.core.errors import DomainError
from community.core.mail import quota, unsubscribe
from community.core.mail.services import compose_email
from community.events.models import Event, EventStatus
from community.events.timing import describe_when, to_local
from community.extensions import db
from community.insights.models import DriftInvitation
from community.insights.trends import drifting_away
from community.rsvps.models import RSVP, RSVPStatus

#: The outbox kind of the invitation email.
MAIL_KIND = "insights.drift-invitation"
AUDIT_ACTION = "insights.drift_invited"
#: The switch people have for these emails (the email preferences page and its unsubscribe link).
INVITATIONS_BACK = unsubscribe.register_kind(
    unsubscribe.EmailKind(
        "invitations-back",
        "Invitations from organizers",
        "An organizer inviting you to a community's next event after a while away, once per event.",
        order=40,
    )
)
#: Within the same limits as invitations to join.
BUDGET = quota.Budget(
    "invitation emails", (MAIL_KIND,), "INVITATIONS_PER_ACCOUNT_PER_HOUR", "INVITATIONS_PER_COMMUNITY_PER_DAY"
)


class InvitationError(DomainError):
    """An invitation that was not sent (the message says why)."""


class AlreadyInvited(InvitationError):
    """The member was invited to that event before: nothing more is sent."""


@dataclass(frozen=True)
class NextEvent:
    """The community's next published event, and which of the people asked about were invited
    to it (when) or are going already."""

    id: int
    title: str
    starts_at: datetime
    invited: dict[int, datetime] = field(default_factory=dict)
    going: frozenset[int] = frozenset()


def upcoming(community_id: int, now: datetime):
    """The id of the community's next published event that has not started (a scalar subquery)."""
    return (
        select(Event.id)
        .where(
            Event.community_id == community_id, Event.status == EventStatus.PUBLISHED, Event.starts_at > now
        )
        .order_by(Event.starts_at, Event.id)
        .limit(1)
        .scalar_subquery()
    )


def next_event(community_id: int, user_ids: list[int], now: datetime) -> NextEvent | None:
    """The next event with who of `user_ids` was invited to it or is going (one statement)."""
    next_id = upcoming(community_id, now)
    invited = select(
        DriftInvitation.user_id, DriftInvitation.created_at.label("at"), literal("invited").label("what")
    ).where(DriftInvitation.event_id == next_id, DriftInvitation.user_id.in_(user_ids))
    going = select(RSVP.user_id, RSVP.created_at, literal("going")).where(
        RSVP.event_id == next_id, RSVP.status == RSVPStatus.GOING, RSVP.user_id.in_(user_ids)
    )
    people = union_all(invited, going).subquery()
    rows = db.session.execute(
        select(Event.id, Event.title, Event.starts_at, people.c.user_id, people.c.at, people.c.what)
        .outerjoin(people, true())
        .where(Event.id == next_id)
    ).all()
    if not rows:
        return None
    invited = {row.user_id: row.at for row in rows if row.what == "invited"}
    going = frozenset(row.user_id for row in rows if row.what == "going")
    return NextEvent(rows[0].id, rows[0].title, rows[0].starts_at, invited, going)


def _day(moment: datetime, zone: str) -> str:
    return f"{to_local(moment, zone):%-d %B %Y}"


def _invitable_event(community: Community, event_id: int | None, now: datetime) -> Event:
    event = db.session.get(Event, event_id) if event_id is not None else None
    if (
        event is None
        or event.community_id != community.id
        or event.status != EventStatus.PUBLISHED
        or event.starts_at <= now
    ):
        raise InvitationError(
            "That event has started, was cancelled or is not one of this community's, so nothing was "
            "sent. The list below now offers the next event."
        )
    return event


def invite_back(community: Community, organizer: User, user_id: int, event_id: int | None, now: datetime):
    """Email the drifting member `user_id` an invitation to `event_id` (flushes); returns
    (the member, the event).

    :raises InvitationError: the member is not drifting away, is going already or switched
        these emails off, or the event is not upcoming; AlreadyInvited; quota's errors.
    """
    event = _invitable_event(community, event_id, now)
    drifting = next((d for d in drifting_away(community.id, now) if d.user_id == user_id), None)
    if drifting is None:
        raise InvitationError(
            "That member is not drifting away any more (they came to an event in the last 6 months, "
            "or left the community), so nothing was sent."
        )
    member = db.session.get(User, user_id)
    going = db.session.scalar(
        select(RSVP.id).where(
            RSVP.event_id == event.id, RSVP.user_id == user_id, RSVP.status == RSVPStatus.GOING
        )
    )
    if going is not None:
        raise InvitationError(f"{member.name} is already going to {event.title}, so nothing was sent.")
    if not unsubscribe.wants(user_id, INVITATIONS_BACK.name):
        raise InvitationError(
            f"{member.name} has switched off invitations from organizers, so nothing was sent."
        )
    zone = community.timezone
    email = compose_email(
        to=member.email,
        subject=f"You're invited: {event.title} · {community.name}",
        template="insights/drift_invitation",
        kind=MAIL_KIND,
        person=member,
        organizer=organizer,
        community=community,
        event=event,
        when=describe_when(event.starts_at, event.ends_at, zone, event.all_day),
        event_link=url_for("events.event_page", slug=community.slug, event_id=event.id, _external=True),
        last_event=drifting.last_event_title,
        last_came=_day(drifting.last_attended_at, zone),
        unsubscribe_url=unsubscribe.unsubscribe_url(user_id, INVITATIONS_BACK.name),
    )
    quota.charge(BUDGET, [email], sender=organizer, community_id=community.id)
    _record_once(community, organizer, member, event, now)
    db.session.add(email)
    audit.record(community, organizer, AUDIT_ACTION, subject=member, detail=event.title)
    db.session.flush()
    return member, event


def _record_once(community: Community, organizer: User, member: User, event: Event, now: datetime) -> None:
    """The invitation's row, in a savepoint: the unique constraint refuses a second one.

    :raises AlreadyInvited:"""
    try:
        with db.session.begin_nested():
            db.session.add(
                DriftInvitation(
                    community_id=community.id,
                    event_id=event.id,
                    user_id=member.id,
                    invited_by_id=organizer.id,
                    created_at=now,
                )
            )
    except IntegrityError:
        earlier = db.session.scalar(
            select(DriftInvitation.created_at).where(
                and_(DriftInvitation.event_id == event.id, DriftInvitation.user_id == member.id)
            )
        )
        when = f" on {_day(earlier, community.timezone)}" if earlier is not None else ""
        raise AlreadyInvited(
            f"{member.name} was already invited to {event.title}{when}, so nothing more was sent."
        ) from None
