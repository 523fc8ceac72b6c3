"""Shared event fixtures: a community with an organizer, and an event builder."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from community.communities.models import Community, Role
from community.communities.services import activate_membership
from community.core.models import utcnow
from community.events.services import EventDetails, create_event
from community.extensions import db as _db
from tests.factories import create_user


@pytest.fixture
def community(db):
    community = Community(slug="northfield", name="Northfield Alumni", timezone="Europe/London")
    _db.session.add(community)
    _db.session.commit()
    return community


@pytest.fixture
def organizer(db, community):
    person = create_user(name="Olu Organizer")
    activate_membership(community, person, role=Role.ORGANIZER)
    _db.session.commit()
    return person


def details(**overrides) -> EventDetails:
    day = overrides.pop("day", (utcnow() + timedelta(days=14)).date())
    values = dict(
        title="Class of 2016 reunion",
        start_day=day,
        end_day=day,
        start_time=time(18, 30),
        end_time=time(22, 0),
        timezone="Europe/London",
    )
    values.update(overrides)
    return EventDetails(**values)


@pytest.fixture
def published_event(db, community, organizer):
    def make(**overrides):
        event = create_event(community, organizer, details(**overrides), publish=True)
        _db.session.commit()
        return event

    return make


__all__ = ["date", "details"]
