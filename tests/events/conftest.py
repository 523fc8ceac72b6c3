"""Shared event fixtures: a community with an organizer, and an event builder."""

from __future__ import annotations

import pytest

from community.communities.models import Role
from tests.factories import create_community, create_event, create_membership


@pytest.fixture
def community(db):
    return create_community()


@pytest.fixture
def organizer(db, community):
    return create_membership(community, role=Role.ORGANIZER, name="Olu Organizer").user


@pytest.fixture
def as_organizer(client, organizer):
    """The test client, logged in as the community's organizer."""
    client.login(organizer.email)
    return client


@pytest.fixture
def published_event(db, community, organizer):
    def make(**details):
        return create_event(community, organizer, **details)

    return make
