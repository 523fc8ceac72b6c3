"""A community with Ana (whose network it is), Bo, Cy and Dee, and helpers to give them a
history: connections made on a given day, events gone to together, notes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest

from community.auth.models import User
from community.communities.models import Community
from community.core.models import utcnow
from community.events.models import Event
from community.extensions import db
from community.introductions import connections
from community.rsvps.models import RSVPStatus
from tests.factories import create_community, create_event, create_membership, create_rsvp, create_user


@dataclass
class Circle:
    community: Community
    organizer: User
    ana: User
    bo: User
    cy: User
    dee: User

    def connect(self, first: User, second: User, at: datetime) -> None:
        connections.connect(first, second, how=connections.MET, at=at)
        db.session.commit()

    def event(self, day: date, *people: User, status: RSVPStatus = RSVPStatus.GOING, **details) -> Event:
        """An event on `day` (18:30 to 22:00, London) that `people` answered `status` to."""
        event = create_event(self.community, self.organizer, day=day, **details)
        for person in people:
            create_rsvp(event, person, status=status)
        return event


def months_ago(months: int, now: datetime | None = None) -> datetime:
    return (now or utcnow()) - timedelta(days=round(months * 30.5))


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.fixture
def circle(db) -> Circle:
    organizer = create_user(email="org@example.org", name="Olu Organizer")
    community = create_community(organizer)
    people = [
        create_membership(community, email=f"{name.lower()}@example.org", name=name).user
        for name in ("Ana", "Bo", "Cy", "Dee")
    ]
    return Circle(community, organizer, *people)
