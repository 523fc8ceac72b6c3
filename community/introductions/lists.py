"""What a member's introduction pages list, each in a fixed number of queries: the requests
waiting for their answer, what they sent, who said yes (with contact details), and how they
stand with each person on the meet page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import joinedload

from community.auth.models import User
from community.communities.models import Community
from community.core.models import utcnow
from community.events.models import Event
from community.extensions import db
from community.introductions.emails import contact_details
from community.introductions.models import Introduction, IntroductionStatus
from community.members.models import Profile
from community.members.permissions import Audience, ProfileView

#: How the viewer stands with another person; the meet page shows it instead of the ask form.
SENT, ASKED_YOU, NOT_THIS_TIME, CONNECTED = "sent", "asked you", "not this time", "connected"
_RANK = {NOT_THIS_TIME: 1, SENT: 2, ASKED_YOU: 3, CONNECTED: 4}
_WITH_PEOPLE = (
    joinedload(Introduction.asker),
    joinedload(Introduction.recipient),
    joinedload(Introduction.introducer),
)


def _to_answer_by(user_id: int):
    """Introductions waiting for `user_id`'s yes or no: as the recipient, or as either side of
    an organizer's introduction."""
    return or_(
        and_(Introduction.recipient_id == user_id, Introduction.recipient_accepted_at.is_(None)),
        and_(
            Introduction.introducer_id.is_not(None),
            Introduction.asker_id == user_id,
            Introduction.asker_accepted_at.is_(None),
        ),
    )


def _open(now: datetime):
    return and_(Introduction.status == IntroductionStatus.PENDING, Introduction.expires_at > now)


def may_answer(introduction: Introduction, user: User) -> bool:
    """The recipient answers; for an organizer's introduction, either side does."""
    return user.id == introduction.recipient_id or (
        introduction.introducer_id is not None and user.id == introduction.asker_id
    )


def waiting_for(user: User, now: datetime | None = None) -> list[Introduction]:
    """The requests `user` has yet to answer, newest first (one query)."""
    query = select(Introduction).options(*_WITH_PEOPLE).where(_open(now or utcnow()), _to_answer_by(user.id))
    return list(db.session.scalars(query.order_by(Introduction.created_at.desc(), Introduction.id.desc())))


def waiting_count(user: User, now: datetime | None = None) -> int:
    """How many requests wait for `user`'s answer (a count beside a link)."""
    query = select(func.count()).select_from(Introduction)
    return db.session.scalar(query.where(_open(now or utcnow()), _to_answer_by(user.id)))


def sent_by(user: User) -> Select:
    """What `user` asked for (or said yes to) that is no connection yet: still waiting, or
    closed ("not this time"), newest first."""
    said_yes = or_(
        and_(Introduction.asker_id == user.id, Introduction.asker_accepted_at.is_not(None)),
        and_(Introduction.recipient_id == user.id, Introduction.recipient_accepted_at.is_not(None)),
    )
    return (
        select(Introduction)
        .options(*_WITH_PEOPLE)
        .where(said_yes, Introduction.status != IntroductionStatus.ACCEPTED)
        .order_by(Introduction.created_at.desc(), Introduction.id.desc())
    )


def accepted_for(user: User) -> Select:
    """`user`'s accepted introductions, the newest answer first."""
    return (
        select(Introduction)
        .options(*_WITH_PEOPLE)
        .where(
            or_(Introduction.asker_id == user.id, Introduction.recipient_id == user.id),
            Introduction.status == IntroductionStatus.ACCEPTED,
        )
        .order_by(Introduction.answered_at.desc(), Introduction.id.desc())
    )


def standings(user_id: int) -> dict[int, str]:
    """How `user_id` stands with everyone they share an introduction with (one query): SENT
    (waiting for the other), ASKED_YOU (waiting for them), NOT_THIS_TIME (they asked and may
    not ask again) or CONNECTED. When a pair has several, the strongest wins."""
    rows = db.session.execute(
        select(
            Introduction.asker_id,
            Introduction.recipient_id,
            Introduction.status,
            Introduction.asker_accepted_at,
            Introduction.recipient_accepted_at,
        ).where(or_(Introduction.asker_id == user_id, Introduction.recipient_id == user_id))
    )
    found: dict[int, str] = {}
    for asker_id, recipient_id, status, asker_yes, recipient_yes in rows:
        they_were_asked = asker_id == user_id
        other = recipient_id if they_were_asked else asker_id
        if status == IntroductionStatus.ACCEPTED:
            standing = CONNECTED
        elif status == IntroductionStatus.PENDING:
            standing = SENT if (asker_yes if they_were_asked else recipient_yes) else ASKED_YOU
        elif they_were_asked:
            standing = NOT_THIS_TIME
        else:
            continue  # they said no (or let it expire) to this person: nothing to show
        if _RANK[standing] > _RANK.get(found.get(other, ""), 0):
            found[other] = standing
    return found


@dataclass(frozen=True)
class Entry:
    """One introduction as `viewer` sees it on My introductions."""

    introduction: Introduction
    viewer_id: int
    view: ProfileView  # the other person, as a member sees them
    event: Event | None
    community: Community | None
    contact: dict[str, Any] | None  # the other's details, once both said yes

    @property
    def other(self) -> User:
        return self.introduction.other(self.viewer_id)

    @property
    def by_organizer(self) -> bool:
        return self.introduction.introducer_id is not None

    @property
    def closed(self) -> bool:
        """Declined or expired, or past its date: the asker reads "not this time"."""
        introduction = self.introduction
        return introduction.status != IntroductionStatus.PENDING or introduction.expires_at <= utcnow()

    @property
    def reasons(self) -> list[str]:
        return [reason.strip() for reason in (self.introduction.reasons or "").split(";") if reason.strip()]


def entries(
    introductions: Sequence[Introduction], viewer: User, *, with_contact: bool = False
) -> list[Entry]:
    """The introductions with the other people's profiles, events and communities (three
    queries however many there are)."""
    others = {introduction.other(viewer.id) for introduction in introductions}
    profiles = _by_key(Profile, Profile.user_id, {user.id for user in others})
    events = _by_key(Event, Event.id, {i.event_id for i in introductions if i.event_id is not None})
    communities = _by_key(Community, Community.id, {i.community_id for i in introductions})
    found = []
    for introduction in introductions:
        other = introduction.other(viewer.id)
        found.append(
            Entry(
                introduction=introduction,
                viewer_id=viewer.id,
                view=ProfileView(other, profiles.get(other.id), Audience.MEMBERS),
                event=events.get(introduction.event_id) if introduction.event_id else None,
                community=communities.get(introduction.community_id),
                # The profiles are loaded above, so this reads no more rows.
                contact=contact_details(other) if with_contact else None,
            )
        )
    return found


def _by_key(model, column, keys: set) -> dict:
    if not keys:
        return {}
    rows = db.session.scalars(select(model).where(column.in_(keys)))
    return {getattr(row, column.key): row for row in rows}
