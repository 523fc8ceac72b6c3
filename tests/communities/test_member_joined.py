"""Communities tell the features above them when someone joins (core.hooks), in the same
transaction, with the profile fields an accepted invitation carried."""

from __future__ import annotations

from datetime import timedelta

import pytest

from community.communities.invitations import accept_invitation, hash_token
from community.communities.models import Invitation, Membership
from community.communities.services import activate_membership, join
from community.core import hooks
from community.core.models import utcnow
from community.extensions import db
from tests.factories import create_community, create_user


@pytest.fixture
def calls(app, monkeypatch) -> list[tuple]:
    """What a callback registered beside members' own hears (the app's list restored after)."""
    heard: list[tuple] = []

    def listen(membership: Membership, **data) -> None:
        heard.append((membership.user.email, membership.is_active, membership in db.session, data))

    registered = app.extensions.get(hooks.MEMBER_JOINED_KEY, [])
    monkeypatch.setitem(app.extensions, hooks.MEMBER_JOINED_KEY, [*registered, listen])
    return heard


def test_joining_calls_back_once_the_membership_is_active(calls):
    community = create_community()
    calls.clear()  # the owner's own membership
    ada = create_user(email="ada@example.org")

    join(community, ada)

    assert calls == [("ada@example.org", True, True, {"profile_data": None})]


def test_confirming_an_active_member_calls_back_again(calls):
    community = create_community()
    ada = create_user(email="ada@example.org")
    calls.clear()

    activate_membership(community, ada)
    activate_membership(community, ada)

    assert [call[0] for call in calls] == ["ada@example.org", "ada@example.org"]


def test_an_invitation_hands_over_its_profile_fields_the_first_time_only(calls):
    community = create_community()
    ada = create_user(email="ada@example.org")
    data = {"organisation": "Acme"}
    db.session.add(
        Invitation(
            community_id=community.id,
            email="ada@example.org",
            profile_data=data,
            token_hash=hash_token("the-token"),
            expires_at=utcnow() + timedelta(days=1),
        )
    )
    db.session.flush()
    calls.clear()

    accept_invitation(community, "the-token", ada)
    accept_invitation(community, "the-token", ada)  # the link opened again

    assert [call[3] for call in calls] == [{"profile_data": {"organisation": "Acme"}}, {"profile_data": None}]
