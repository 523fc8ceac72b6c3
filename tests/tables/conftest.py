"""An upcoming roundtable with twelve members going, for the table plan tests."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from community.auth.models import User
from community.communities.models import Community, Role
from community.events.models import Event, EventKind
from tests.factories import create_community, create_event, create_membership, create_rsvp, create_user

NAMES = ("Ana", "Bo", "Cy", "Dee", "Eli", "Fay", "Gus", "Hal", "Ida", "Jo", "Kit", "Lu")


@dataclass
class Roundtable:
    community: Community
    event: Event
    organizer: User
    people: list[User]

    def person(self, name: str) -> User:
        return next(p for p in self.people if p.name == name)


@pytest.fixture
def roundtable(db) -> Roundtable:
    organizer = create_user(email="org@example.org", name="Olu Organizer")
    community = create_community(organizer)
    people = [create_user(email=f"{name.lower()}@example.org", name=name) for name in NAMES]
    for person in people:
        create_membership(community, person, role=Role.MEMBER)
    event = create_event(community, organizer, title="Product roundtable", kind=EventKind.ROUNDTABLE)
    for minutes, person in enumerate(people):
        create_rsvp(event, person, minutes_ago=100 - minutes)
    return Roundtable(community, event, organizer, people)
