"""Builders for test data. They commit, as a real earlier request would have.

Communities, memberships and events go through the real services (an owner, the audit log,
the "member joined" callbacks), so a test starts from rows the site itself could have written.
RSVPs are written directly, with the status asked for: a test of the seat rules calls the
RSVP service itself.

    owner = create_user(name="Olive Owner")
    community = create_community(owner)                   # /c/northfield, owned by Olive
    organizer = create_membership(community, role=Role.ORGANIZER).user
    event = create_event(community, owner, capacity=10)   # published, in two weeks
    create_rsvp(event, create_user(), status=RSVPStatus.WAITLISTED, guests=1)
"""

from __future__ import annotations

import itertools
from datetime import time, timedelta
from email.utils import make_msgid
from typing import Any

from community.auth.models import User
from community.auth.passwords import hash_password
from community.communities.models import Community, JoinPolicy, Membership, MembershipStatus, Role
from community.communities.services import activate_membership
from community.communities.services import create_community as start_community
from community.core.mail.models import OutboxMessage
from community.core.models import utcnow
from community.events.models import Event
from community.events.services import EventDetails
from community.events.services import create_event as plan_event
from community.extensions import db
from community.rsvps.models import RSVP, RSVPStatus

DEFAULT_PASSWORD = "correct horse battery"
_numbers = itertools.count(1)


def create_user(
    *,
    email: str | None = None,
    name: str | None = None,
    password: str = DEFAULT_PASSWORD,
    verified: bool = True,
    admin: bool = False,
) -> User:
    number = next(_numbers)
    user = User(
        email=(email or f"person{number}@example.org").lower(),
        name=name or f"Person {number}",
        password_hash=hash_password(password),
        email_verified_at=utcnow() if verified else None,
        is_admin=admin,
    )
    db.session.add(user)
    db.session.commit()
    return user


def create_community(
    owner: User | None = None,
    *,
    slug: str = "northfield",
    name: str = "Northfield Alumni",
    policy: JoinPolicy = JoinPolicy.OPEN,
    **fields: Any,
) -> Community:
    """A community started by `owner` (a new "Olive Owner" by default), who becomes its owner.

    `fields` are the community's settings (tagline, kind, timezone, directory_public, ...).
    """
    owner = owner or create_user(name="Olive Owner")
    fields.setdefault("kind", "alumni_association")
    fields.setdefault("timezone", "Europe/London")
    community = start_community(owner, slug=slug, name=name, join_policy=policy, **fields)
    db.session.commit()
    return community


def create_membership(
    community: Community,
    user: User | None = None,
    *,
    role: Role = Role.MEMBER,
    status: MembershipStatus = MembershipStatus.ACTIVE,
    cohort: str | None = None,
    join_answer: str = "I was in class 2009",
    **user_fields: Any,
) -> Membership:
    """`user` (a new person made from `user_fields` by default) in `community`.

    Active memberships are made by the service (so members gets its "joined" callback and a
    profile); a pending one is a request to join waiting for an organizer, without the
    request's emails to the organizers.
    """
    user = user or create_user(**user_fields)
    if status == MembershipStatus.ACTIVE:
        membership = activate_membership(community, user, role=role, cohort=cohort)
    else:
        membership = Membership(
            community=community, user=user, role=role, status=status, cohort=cohort, join_answer=join_answer
        )
        db.session.add(membership)
    db.session.commit()
    return membership


def event_details(**overrides: Any) -> EventDetails:
    """What an organizer would type: "Class of 2016 reunion", 18:30 to 22:00 in two weeks' time.

    `day` sets both the start and the end day; anything else is an EventDetails field.
    """
    day = overrides.pop("day", (utcnow() + timedelta(days=14)).date())
    values: dict[str, Any] = dict(
        title="Class of 2016 reunion",
        start_day=day,
        end_day=day,
        start_time=time(18, 30),
        end_time=time(22, 0),
        timezone="Europe/London",
    )
    values.update(overrides)
    return EventDetails(**values)


def create_event(community: Community, organizer: User, *, publish: bool = True, **details: Any) -> Event:
    """An event `organizer` planned in `community`, published unless `publish=False` (a draft).

    `details` override event_details(): title, day, capacity, guests_allowed, visibility, ...
    """
    event = plan_event(community, organizer, event_details(**details), publish=publish)
    db.session.commit()
    return event


def create_rsvp(
    event: Event,
    user: User,
    *,
    status: RSVPStatus = RSVPStatus.GOING,
    guests: int = 0,
    answers: dict[str, Any] | None = None,
    minutes_ago: int = 60,
    checked_in: bool = False,
    **fields: Any,
) -> RSVP:
    """`user`'s RSVP to `event`, written as is: no seat check, no email.

    `minutes_ago` is when they asked (their place in a waitlist); `fields` are other RSVP
    columns (listed, offer_expires_at, reminder_sent_at).
    """
    rsvp = RSVP(
        event_id=event.id,
        user_id=user.id,
        status=status,
        guests=guests,
        answers=answers or {},
        queued_at=utcnow() - timedelta(minutes=minutes_ago),
        checked_in_at=utcnow() if checked_in else None,
        **fields,
    )
    db.session.add(rsvp)
    db.session.commit()
    return rsvp


def create_outbox_message(**fields: Any) -> OutboxMessage:
    """An outbox row written directly (no template, no quota), pending unless `fields` say
    otherwise (status, attempts, created_at, last_error, to_address...)."""
    values: dict[str, Any] = dict(
        message_id=make_msgid(domain="example.org"),
        to_address="guest@example.org",
        subject="Hello",
        body_text="Hello there.",
        kind="test.raw",
    )
    row = OutboxMessage(**{**values, **fields})
    db.session.add(row)
    db.session.commit()
    return row
