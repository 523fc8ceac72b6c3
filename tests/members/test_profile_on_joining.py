"""Members gives each person who joins a community a profile (through core.hooks), and fills
its empty fields from an imported invitation, never overwriting what the person wrote."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from community.communities.invitations import accept_invitation, hash_token
from community.communities.models import Invitation
from community.core.models import utcnow
from community.extensions import db
from community.members.models import Profile
from tests.factories import create_user
from tests.members.conftest import join, set_profile


def invitation(community, email: str, profile_data: dict | None) -> str:
    db.session.add(
        Invitation(
            community_id=community.id,
            email=email,
            cohort="Class of 2010",
            profile_data=profile_data,
            token_hash=hash_token(f"token-{email}"),
            expires_at=utcnow() + timedelta(days=30),
        )
    )
    db.session.commit()
    return f"token-{email}"


def test_joining_gives_the_person_an_empty_profile(community):
    ada = create_user(email="ada@example.org")
    assert db.session.get(Profile, ada.id) is None

    join(community, ada)

    profile = db.session.get(Profile, ada.id)
    assert (profile.headline, profile.organisation, profile.skills) == ("", "", [])


def test_an_imported_invitation_fills_only_the_fields_left_empty(community):
    ada = create_user(email="ada@example.org", name="Ada Lovelace")
    set_profile(ada, headline="Writes about engines", skills=["mathematics"])
    token = invitation(
        community,
        "ada@example.org",
        {"headline": "Imported headline", "organisation": "Analytical Ltd", "skills": "sql, python"},
    )

    accept_invitation(community, token, ada)
    db.session.commit()

    db.session.expire_all()
    profile = db.session.get(Profile, ada.id)
    assert profile.headline == "Writes about engines"
    assert profile.skills == ["mathematics"]
    assert profile.organisation == "Analytical Ltd"
    assert "Analytical Ltd" in profile.search_members
    assert sorted((tag.kind, tag.tag) for tag in profile.tags) == [("skill", "mathematics")]


def test_accepting_the_same_invitation_again_changes_nothing(community):
    bo = create_user(email="bo@example.org")
    token = invitation(community, "bo@example.org", {"organisation": "Acme"})
    accept_invitation(community, token, bo)
    db.session.commit()
    set_profile(bo, organisation="")

    accept_invitation(community, token, bo)
    db.session.commit()

    db.session.expire_all()
    assert db.session.scalar(select(Profile.organisation).where(Profile.user_id == bo.id)) == ""
