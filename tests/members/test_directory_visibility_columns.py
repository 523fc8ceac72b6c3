"""The directory's fast paths give the same answers as the visibility rules: the name's
visibility kept in its own column, people without a profile row, and filters through the
tag and case-insensitive indexes."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from community.communities.models import Membership, MembershipStatus
from community.extensions import db
from community.members.models import Profile, ProfileTag
from tests.factories import create_user
from tests.members.conftest import join, make_community, person, set_profile

URL = "/c/northfield/members"


@pytest.mark.parametrize(
    ("visibility", "expected"),
    [
        ({"name": "nobody"}, "nobody"),
        ({"name": "everyone", "bio": "nobody"}, "everyone"),
        ({}, "members"),
        ({"name": "bogus"}, "members"),
        (None, "members"),
    ],
)
def test_the_name_visibility_column_follows_every_assignment(visibility, expected):
    assert Profile(visibility=visibility).name_visibility == expected
    profile = Profile(visibility={"name": "nobody"})
    profile.visibility = visibility
    assert profile.name_visibility == expected


def test_tags_take_the_visibility_of_their_field_on_every_assignment():
    profile = Profile(visibility={"skills": "everyone"})
    profile.tags = [ProfileTag(kind="skill", tag="python"), ProfileTag(kind="interest", tag="chess")]
    profile.visibility = {"skills": "nobody", "interests": "everyone"}
    assert [(tag.tag, tag.level) for tag in profile.tags] == [("python", "nobody"), ("chess", "everyone")]
    profile.visibility = {}
    assert [tag.level for tag in profile.tags] == ["members", "members"]


def test_saving_a_profile_stores_the_levels_it_filters_on(app):
    community = make_community()
    levels = {"name": "everyone", "skills": "nobody"}
    minh = person("Minh Tran", community, skills=["Python"], visibility=levels)
    stored = db.session.get(Profile, minh.id)
    assert (stored.name_visibility, [tag.level for tag in stored.tags]) == ("everyone", ["nobody"])
    set_profile(minh, visibility={"name": "nobody", "skills": "everyone"})
    db.session.expire_all()
    stored = db.session.get(Profile, minh.id)
    assert (stored.name_visibility, [tag.level for tag in stored.tags]) == ("nobody", ["everyone"])


def test_a_member_without_a_profile_row_has_the_default_name_visibility(client):
    community = make_community(public=True)
    join(community, create_user(email="member@example.org", name="Member Me"))
    quiet = create_user(email="quiet@example.org", name="Quinn Quiet")
    # Built directly: create_membership would give Quinn the profile row this test is without.
    db.session.add(Membership(community=community, user=quiet, status=MembershipStatus.ACTIVE))
    db.session.commit()
    assert db.session.scalar(select(Profile).where(Profile.user_id == quiet.id)) is None

    assert "Quinn Quiet" not in client.get(URL).get_data(as_text=True)  # the public
    client.login("member@example.org")
    page = client.get(URL).get_data(as_text=True)
    assert "Quinn Quiet" in page
    assert "2 members" in page


def test_a_tag_is_found_only_through_the_kind_the_viewer_may_see(client):
    community = make_community()
    join(community, create_user(email="member@example.org", name="Member Me"))
    person(
        "Ines Interests",
        community,
        skills=["Python"],
        interests=["Chess"],
        visibility={"skills": "everyone", "interests": "nobody"},
    )
    client.login("member@example.org")
    assert "Ines Interests" in client.get(URL, query_string={"tag": "python"}).get_data(as_text=True)
    assert "Ines Interests" not in client.get(URL, query_string={"tag": "chess"}).get_data(as_text=True)


def test_industry_and_place_filters_ignore_case(client):
    community = make_community()
    join(community, create_user(email="member@example.org", name="Member Me"))
    person("Kwame Mensah", community, industry="Energy", city="Accra", country="Ghana")
    client.login("member@example.org")
    for query in ({"industry": "ENERGY"}, {"location": "accra"}, {"location": "GHANA"}):
        assert "Kwame Mensah" in client.get(URL, query_string=query).get_data(as_text=True), query
    assert "Kwame Mensah" not in client.get(URL, query_string={"location": "Ghan"}).get_data(as_text=True)
