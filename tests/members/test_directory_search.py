"""Searching, filtering, sorting and paging a community's directory, as a member."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from community.communities.models import Membership
from community.core.models import utcnow
from community.extensions import db
from community.members.models import DEFAULT_VISIBILITY
from tests.factories import DEFAULT_PASSWORD, create_user
from tests.members.conftest import join, make_community, person, set_profile

URL = "/c/northfield/members"
CARD_NAME = re.compile(r'class="person-card__name"><a href="/people/\d+">([^<]+)</a>')


def names(response) -> list[str]:
    assert response.status_code == 200
    return CARD_NAME.findall(response.get_data(as_text=True))


@pytest.fixture
def member(client, community):
    viewer = create_user(email="viewer@example.org", name="Zed Viewer")
    join(community, viewer)
    client.login(viewer.email)
    return viewer


@pytest.fixture
def amara(community):
    return person(
        "Amara Osei",
        community,
        cohort="Class of 2014",
        headline="Climate finance for smallholders",
        organisation="Sunbird Energy",
        job_title="Head of Product",
        industry="Energy",
        city="Nairobi",
        country="Kenya",
        skills=["Product management", "Swahili"],
        interests=["Beekeeping"],
        can_help_with=["Pricing hardware"],
        looking_for=["A logistics mentor"],
    )


@pytest.fixture
def bruno(community):
    return person(
        "Bruno Costa",
        community,
        cohort="Class of 2009",
        headline="Backend engineer",
        organisation="Lisbon Labs",
        industry="Software",
        city="Lisbon",
        country="Portugal",
        skills=["Python"],
        interests=["Sailing"],
    )


@pytest.mark.parametrize(
    "words",
    [
        "amara",
        "Osei",
        "climate finance",
        "sunbird",
        "swahili",
        "beekeeping",
        "pricing hardware",
        "logistics mentor",
        "prod manag",  # the start of each word is enough
        "clim",
        "nairobi",
    ],
)
def test_search_finds_by_each_field(client, member, amara, bruno, words):
    assert names(client.get(URL, query_string={"q": words})) == ["Amara Osei"]


def test_search_needs_every_word_and_ignores_punctuation(client, member, amara, bruno):
    assert names(client.get(URL, query_string={"q": "amara python"})) == []
    assert names(client.get(URL, query_string={"q": '"sunbird" -(energy*'})) == ["Amara Osei"]


def test_search_follows_profile_edits(client, member, amara):
    set_profile(amara, organisation="Kilimo Cooperative")
    assert names(client.get(URL, query_string={"q": "sunbird"})) == []
    assert names(client.get(URL, query_string={"q": "kilimo"})) == ["Amara Osei"]


def test_search_follows_a_name_change_on_the_profile_page(client, community, amara):
    client.login(amara.email)
    form = client.get("/profile").get_data(as_text=True)
    assert 'value="Amara Osei"' in form
    response = client.submit("/profile", {"name": "Amara Mensah", **_visibility("members")})
    assert response.status_code == 302
    assert names(client.get(URL, query_string={"q": "mensah"})) == ["Amara Mensah"]
    assert names(client.get(URL, query_string={"q": "osei"})) == []


def _visibility(level: str) -> dict[str, str]:
    return {f"{field}_visibility": level for field in DEFAULT_VISIBILITY}


def test_deleted_accounts_disappear_from_the_directory_and_search(client, member, amara, bruno):
    other = client.application.test_client()
    other.login(amara.email)
    response = other.submit("/account/delete", {"password": DEFAULT_PASSWORD, "confirm": "y"})
    assert response.status_code == 302

    assert names(client.get(URL)) == ["Bruno Costa", "Zed Viewer"]
    assert names(client.get(URL, query_string={"q": "sunbird"})) == []
    assert names(client.get(URL, query_string={"tag": "swahili"})) == []
    assert client.get(f"/people/{amara.id}").status_code == 404


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"cohort": "Class of 2014"}, ["Amara Osei"]),
        ({"cohort": "Class of 2009"}, ["Bruno Costa"]),
        ({"industry": "software"}, ["Bruno Costa"]),
        ({"location": "Portugal"}, ["Bruno Costa"]),
        ({"location": "nairobi"}, ["Amara Osei"]),
        ({"tag": "Product  Management"}, ["Amara Osei"]),
        ({"tag": "sailing"}, ["Bruno Costa"]),
        ({"tag": "sail"}, []),  # tags match whole
        ({"q": "engineer", "location": "Lisbon"}, ["Bruno Costa"]),
        ({"q": "engineer", "location": "Nairobi"}, []),
    ],
)
def test_filters(client, member, amara, bruno, query, expected):
    assert names(client.get(URL, query_string=query)) == expected


def test_cohort_filter_offers_the_communitys_cohorts(client, member, amara, bruno):
    page = client.get(URL).get_data(as_text=True)
    assert '<option value="Class of 2009">Class of 2009</option>' in page
    assert '<option value="Class of 2014">Class of 2014</option>' in page


def test_sorts(client, community, member, amara, bruno):
    now = utcnow()
    for user, joined, seen in ((amara, 3, 1), (bruno, 1, None), (member, 2, 5)):
        membership = db.session.get(Membership, _membership_id(user))
        membership.joined_at = now - timedelta(days=joined)
        user.last_seen_at = now - timedelta(days=seen) if seen else None
    db.session.commit()

    assert names(client.get(URL)) == ["Amara Osei", "Bruno Costa", "Zed Viewer"]
    assert names(client.get(URL, query_string={"sort": "joined"})) == [
        "Bruno Costa",
        "Zed Viewer",
        "Amara Osei",
    ]
    by_activity = names(client.get(URL, query_string={"sort": "active"}))
    assert by_activity == ["Amara Osei", "Zed Viewer", "Bruno Costa"]  # never seen: last


def _membership_id(user) -> int:
    return db.session.scalar(select(Membership.id).where(Membership.user_id == user.id))


def test_pagination_keeps_filters_and_counts(client, community, member):
    for number in range(30):
        person(f"Alum {number:02d}", community, cohort="Class of 2001")
    first = client.get(URL, query_string={"cohort": "Class of 2001"})
    page = first.get_data(as_text=True)
    assert names(first) == [f"Alum {n:02d}" for n in range(24)]
    assert "1–24 of 30 members" in page
    assert 'href="/c/northfield/members?cohort=Class+of+2001&amp;page=2" rel="next"' in page

    second = client.get(URL, query_string={"cohort": "Class of 2001", "page": "2"})
    assert names(second) == [f"Alum {n:02d}" for n in range(24, 30)]
    assert "25–30 of 30 members" in second.get_data(as_text=True)
    assert '<span aria-current="page">2</span>' in second.get_data(as_text=True)

    beyond = client.get(URL, query_string={"cohort": "Class of 2001", "page": "9"})
    assert names(beyond) == [f"Alum {n:02d}" for n in range(24, 30)]
    assert names(client.get(URL, query_string={"page": "nonsense"}))[0] == "Alum 00"


def test_empty_states(client, community, member):
    page = client.get(URL, query_string={"q": "xylophone"}).get_data(as_text=True)
    assert "No results for “xylophone”" in page
    assert f'<a href="{URL}">Clear filters</a>' in page


def test_the_directory_escapes_what_people_write(client, member, community):
    person("Eve <script>alert(1)</script>", community, headline="<b>bold</b>", everything="members")
    page = client.get(URL).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page


def _fill(community, count: int, start: int = 0) -> None:
    for number in range(start, start + count):
        person(
            f"Person {number:03d}",
            community,
            cohort=f"Class of {2000 + number % 5}",
            headline="Engineer",
            organisation="Acme",
            city="Leeds",
            skills=["Python", "SQL"],
            interests=["Chess"],
            can_help_with=["Code review"],
        )


@pytest.mark.parametrize(
    "query", ["", "?q=engineer", "?tag=python&sort=joined", "?cohort=Class+of+2001&page=2"]
)
def test_the_directory_runs_the_same_number_of_queries_for_5_and_60_members(client, query, count_queries):
    small, large = make_community("small", "Small"), make_community("large", "Large")
    _fill(small, 5)
    _fill(large, 60, start=100)
    viewer = create_user(email="viewer@example.org")
    join(small, viewer)
    join(large, viewer)
    client.login(viewer.email)

    counts = []
    for slug in ("small", "large"):
        with count_queries() as statements:
            response = client.get(f"/c/{slug}/members{query}")
        assert response.status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]
    assert len(names(client.get("/c/large/members"))) == 24
