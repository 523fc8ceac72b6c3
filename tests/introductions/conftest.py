"""An upcoming roundtable with three members going, for the introductions tests."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from community.auth.models import User
from community.communities.models import Community, Role
from community.events.models import Event, EventKind
from community.extensions import db
from community.introductions import optins
from tests.factories import create_community, create_event, create_membership, create_rsvp, create_user


@dataclass
class Roundtable:
    community: Community
    event: Event
    organizer: User
    ana: User
    bo: User
    cy: User

    def opt_in(self, *people: User, **choices) -> None:
        for person in people:
            optins.opt_in(self.event, person, **choices)
        db.session.commit()


@pytest.fixture
def roundtable(db) -> Roundtable:
    organizer = create_user(email="org@example.org", name="Olu Organizer")
    community = create_community(organizer)
    people = [create_user(email=f"{name.lower()}@example.org", name=name) for name in ("Ana", "Bo", "Cy")]
    for person in people:
        create_membership(community, person, role=Role.MEMBER)
    event = create_event(community, organizer, title="Product roundtable", kind=EventKind.ROUNDTABLE)
    for person in people:
        create_rsvp(event, person)
    return Roundtable(community, event, organizer, *people)
