"""Small hand-made histories for the Insights tests: past events, RSVPs and connections written
as rows at chosen dates (months_before(now, k) puts an event exactly k calendar months ago)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest

from community.auth.models import User
from community.communities.models import Community, Role
from community.core.models import utcnow
from community.engagement.periods import months_before
from community.events.models import Event, EventKind, EventStatus
from community.extensions import db
from community.introductions.models import Connection, ConnectionMoment, Introduction, IntroductionStatus
from community.rsvps.models import RSVP, RSVPStatus
from tests.factories import create_community, create_membership, create_user


@dataclass
class History:
    """A community, its owner and an organizer, and a clock: everything is written relative to `now`."""

    community: Community
    owner: User
    organizer: User
    now: datetime = field(default_factory=utcnow)

    def ago(self, months: int, days: int = 0) -> datetime:
        return months_before(self.now, months) - timedelta(days=days)

    def member(self, name: str, *, cohort: str | None = None, role: Role = Role.MEMBER) -> User:
        user = create_user(email=f"{name.lower().replace(' ', '.')}@example.org", name=name)
        create_membership(self.community, user, role=role, cohort=cohort)
        return user

    def event(self, title: str, at: datetime, *, capacity: int | None = None, cohorts=(), **fields) -> Event:
        fields.setdefault("status", EventStatus.PUBLISHED)
        event = Event(
            community_id=self.community.id, title=title, starts_at=at, ends_at=at + timedelta(hours=3),
            capacity=capacity, cohorts=list(cohorts),
            kind=EventKind.REUNION if cohorts else EventKind.MEETUP, **fields,
        )  # fmt: skip
        db.session.add(event)
        db.session.commit()
        return event

    def rsvp(self, event: Event, *people: User, checked_in: bool = False, status=RSVPStatus.GOING) -> None:
        for person in people:
            db.session.add(
                RSVP(event_id=event.id, user_id=person.id, status=status, created_at=event.starts_at,
                     queued_at=event.starts_at, checked_in_at=event.starts_at if checked_in else None)
            )  # fmt: skip
        db.session.commit()

    def connect(self, one: User, other: User, event: Event | None, at: datetime, how: str = "met") -> None:
        low, high = sorted((one.id, other.id))
        connection = db.session.query(Connection).filter_by(first_id=low, second_id=high).one_or_none()
        if connection is None:
            connection = Connection(first_id=low, second_id=high, created_at=at)
            db.session.add(connection)
            db.session.flush()
        db.session.add(
            ConnectionMoment(connection_id=connection.id, event_id=event.id if event else None,
                             event_title=event.title if event else "", how=how, happened_at=at)
        )  # fmt: skip
        db.session.commit()

    def introduction(
        self, asker: User, recipient: User, at: datetime, *, accepted_at: datetime | None = None
    ):
        db.session.add(
            Introduction(
                community_id=self.community.id, asker_id=asker.id, recipient_id=recipient.id, note="Hello",
                created_at=at, expires_at=at + timedelta(days=14), asker_accepted_at=at,
                status=IntroductionStatus.ACCEPTED if accepted_at else IntroductionStatus.PENDING,
                recipient_accepted_at=accepted_at, answered_at=accepted_at,
            )
        )  # fmt: skip
        db.session.commit()


@pytest.fixture
def history(db) -> History:
    owner = create_user(email="olive@example.org", name="Olive Owner")
    community = create_community(owner, timezone="UTC")
    organizer = create_user(email="oscar@example.org", name="Oscar Organizer")
    create_membership(community, organizer, role=Role.ORGANIZER, cohort="Class of 2016")
    return History(community, owner, organizer)
