"""The visibility predicates on their own, and the directory's pure helpers."""

from __future__ import annotations

import pytest

from community.auth.models import User
from community.members.forms import directory_query, is_web_address, split_tags
from community.members.models import Profile
from community.members.permissions import Audience, ProfileView, can_see, can_see_person
from community.members.queries import DirectoryPage, DirectoryQuery, Sort


@pytest.mark.parametrize(
    ("level", "seen_by"),
    [
        ("everyone", {Audience.SELF, Audience.MEMBERS, Audience.PUBLIC}),
        ("members", {Audience.SELF, Audience.MEMBERS}),
        ("nobody", {Audience.SELF}),
    ],
)
def test_can_see(level, seen_by):
    profile = Profile(visibility={"headline": level})
    for audience in Audience:
        assert can_see(profile, "headline", audience) == (audience in seen_by)


def test_defaults_apply_without_a_profile_or_a_setting():
    assert can_see_person(None, Audience.MEMBERS)
    assert not can_see_person(None, Audience.PUBLIC)
    assert not can_see(Profile(visibility={}), "email", Audience.MEMBERS)
    assert not can_see(Profile(visibility={"email": "bogus"}), "email", Audience.MEMBERS)


def test_profile_view_hides_what_the_audience_may_not_see():
    user = User(name="Amara Osei", email="amara@example.org")
    profile = Profile(
        city="Nairobi",
        country="Kenya",
        organisation="Sunbird",
        job_title="Head of Product",
        skills=["Swahili"],
        interests=["swahili", "Chess"],
        visibility={"location": "everyone", "organisation": "everyone", "job_title": "nobody"},
    )
    public = ProfileView(user, profile, Audience.PUBLIC)
    assert public.name == ""
    assert public.location == "Nairobi, Kenya"
    assert public.role_line == "Sunbird"
    assert public.skills == []
    member = ProfileView(user, profile, Audience.MEMBERS)
    assert member.initials == "AO"
    assert member.tags() == ["Swahili", "Chess"]
    assert member.email == ""
    assert ProfileView(user, profile, Audience.SELF).role_line == "Head of Product at Sunbird"


def test_directory_query_from_the_query_string():
    query = directory_query({"q": "  prod   manag ", "sort": "joined", "page": "3", "tag": "x" * 99})
    assert query == DirectoryQuery(text="prod manag", sort=Sort.JOINED, page=3, tag="x" * 60)
    assert directory_query({"sort": "evil", "page": "-1"}) == DirectoryQuery()
    assert query.params(page=1) == {"q": "prod manag", "tag": "x" * 60, "sort": "joined"}


def test_page_numbers_with_gaps():
    assert DirectoryPage(entries=[], total=24 * 20, page=6).page_numbers() == [
        1,
        None,
        4,
        5,
        6,
        7,
        8,
        None,
        20,
    ]
    assert DirectoryPage(entries=[], total=0, page=1).page_numbers() == [1]


def test_helpers():
    assert split_tags(" a, A ,b,, ") == ["a", "b"]
    assert is_web_address("https://example.org/x?y=1")
    assert not is_web_address("https://localhost")
    assert not is_web_address("mailto:a@example.org")
