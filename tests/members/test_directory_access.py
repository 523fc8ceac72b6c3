"""Who may open a community's member directory, and what each viewer sees on its cards."""

from __future__ import annotations

import pytest

from tests.core.prompt_helpers import buttons, next_of
from tests.factories import create_user
from tests.members.conftest import ask_to_join, join, make_community, person, set_profile

URL = "/c/northfield/members"
CARD_TEXT = {
    "headline": "Grows rice with drones",
    "organisation": "Paddy Robotics",
    "job_title": "Founder",
    "location": "Hanoi, Vietnam",
    "skills": "Agronomy",
    "can_help_with": "Drone permits",
}
PROFILE = {
    "headline": "Grows rice with drones",
    "organisation": "Paddy Robotics",
    "job_title": "Founder",
    "city": "Hanoi",
    "country": "Vietnam",
    "skills": ["Agronomy"],
    "can_help_with": ["Drone permits"],
}


def test_unknown_community_is_404(client):
    assert client.get("/c/nowhere/members").status_code == 404


class TestPrivateDirectory:
    @pytest.fixture(autouse=True)
    def setup(self, app):
        self.community = make_community()
        person("Minh Tran", self.community, **PROFILE)

    # What the refusals say: tests/members/test_login_prompts.py.
    def test_anonymous_viewers_are_asked_to_log_in(self, client):
        response = client.get(URL)
        assert response.status_code == 401
        assert next_of(buttons(response)["Log in"]) == URL
        assert "Minh Tran" not in response.get_data(as_text=True)

    def test_people_outside_the_community_are_asked_to_join(self, client):
        create_user(email="outsider@example.org")
        client.login("outsider@example.org")
        response = client.get(URL)
        assert response.status_code == 403
        assert "Minh Tran" not in response.get_data(as_text=True)

    def test_pending_members_are_told_to_wait(self, client):
        ask_to_join(self.community, create_user(email="pending@example.org"))
        client.login("pending@example.org")
        response = client.get(URL)
        assert response.status_code == 403
        assert "Minh Tran" not in response.get_data(as_text=True)

    def test_members_see_fellow_members(self, client):
        join(self.community, create_user(email="member@example.org", name="Member Me"))
        client.login("member@example.org")
        response = client.get(URL)
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert "Minh Tran" in page
        assert "2 members" in page
        for text in CARD_TEXT.values():
            assert text in page


#: Who opens a directory that "anyone signed in may browse"; visitors who are not signed in may not.
VIEWERS = ["member", "outsider"]
SEES = {"everyone": {"member", "outsider"}, "members": {"member"}, "nobody": set()}


def open_directory(client, viewer: str):
    client.login(f"{viewer}@example.org")
    return client.get(URL)


@pytest.fixture
def public_directory(app):
    community = make_community(public=True)
    join(community, create_user(email="member@example.org", name="Member Me"))
    create_user(email="outsider@example.org", name="Outsider")
    minh = person("Minh Tran", community, **PROFILE)
    return community, minh


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("level", ["everyone", "members", "nobody"])
def test_cards_show_each_field_only_to_the_viewers_its_level_allows(client, public_directory, viewer, level):
    _, minh = public_directory
    set_profile(minh, everything=level, visibility={"name": "everyone"})

    response = open_directory(client, viewer)

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Minh Tran" in page
    for field, text in CARD_TEXT.items():
        assert (text in page) == (viewer in SEES[level]), (field, viewer, level)


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("level", ["everyone", "members", "nobody"])
def test_people_are_listed_only_where_their_name_may_be_seen(client, public_directory, viewer, level):
    _, minh = public_directory
    set_profile(minh, everything="everyone", visibility={"name": level})

    page = open_directory(client, viewer).get_data(as_text=True)

    assert ("Minh Tran" in page) == (viewer in SEES[level])
    assert ("Grows rice with drones" in page) == (viewer in SEES[level])


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("level", ["everyone", "members", "nobody"])
def test_searching_a_field_finds_the_person_only_where_that_field_may_be_seen(
    client, public_directory, viewer, level
):
    _, minh = public_directory
    set_profile(minh, everything="everyone", visibility={"organisation": level})

    page = open_directory(client, viewer).get_data(as_text=True)
    assert "Minh Tran" in page
    found = client.get(URL + "?q=paddy+robot").get_data(as_text=True)

    assert ("Minh Tran" in found) == (viewer in SEES[level])
    if viewer not in SEES[level]:
        assert "No results for “paddy robot”" in found


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("level", ["everyone", "members", "nobody"])
def test_filters_match_only_visible_fields(client, public_directory, viewer, level):
    _, minh = public_directory
    set_profile(
        minh,
        everything="everyone",
        visibility={"industry": level, "skills": level, "location": level},
        industry="Agriculture",
    )
    open_directory(client, viewer)
    for query in ("industry=agriculture", "tag=AGRONOMY", "location=hanoi", "location=Vietnam"):
        page = client.get(f"{URL}?{query}").get_data(as_text=True)
        assert ("Minh Tran" in page) == (viewer in SEES[level]), query


def test_visitors_not_signed_in_are_asked_to_log_in_even_for_an_open_directory(client, public_directory):
    _, minh = public_directory
    set_profile(minh, everything="everyone", visibility={"name": "everyone"})

    response = client.get(URL)

    assert response.status_code == 401
    assert "Log in to see the member directory" in response.get_data(as_text=True)
    home = client.get("/c/northfield").get_data(as_text=True)
    assert 'href="/c/northfield/members"' not in home
    assert "Minh Tran" not in response.get_data(as_text=True)


def test_outsiders_of_a_public_directory_see_only_people_who_made_their_name_public(client, public_directory):
    community, _ = public_directory  # Minh keeps the default: members only
    page = open_directory(client, "outsider").get_data(as_text=True)
    assert "Minh Tran" not in page
    assert "Member Me" not in page
    assert "No members to show" in page
    assert "This directory is open to anyone signed in." in page


def test_public_viewers_get_no_cohorts(client, public_directory):
    community, minh = public_directory
    set_profile(minh, everything="everyone")
    join(community, minh, cohort="Class of 2009")
    from sqlalchemy import select

    from community.communities.models import Membership
    from community.extensions import db

    membership = db.session.scalar(select(Membership).where(Membership.user_id == minh.id))
    membership.cohort = "Class of 2009"
    db.session.commit()

    public_page = open_directory(client, "outsider").get_data(as_text=True)
    assert "Minh Tran" in public_page
    assert "Class of 2009" not in public_page
    assert "Minh Tran" not in client.get(URL + "?cohort=Class+of+2009").get_data(as_text=True)

    client.logout()
    client.login("member@example.org")
    member_page = client.get(URL).get_data(as_text=True)
    assert "Class of 2009" in member_page
    assert "Minh Tran" in client.get(URL + "?cohort=Class+of+2009").get_data(as_text=True)


def test_pending_members_never_appear(client, public_directory):
    community, _ = public_directory
    applicant = create_user(email="applicant@example.org", name="Ada Applicant")
    ask_to_join(community, applicant)
    set_profile(applicant, everything="everyone")
    client.login("member@example.org")
    page = client.get(URL).get_data(as_text=True)
    assert "Ada Applicant" not in page
    assert "Ada Applicant" not in client.get(URL + "?q=ada").get_data(as_text=True)
