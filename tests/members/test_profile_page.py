"""A person's page shows each viewer only what that person lets them see."""

from __future__ import annotations

import pytest

from community.core.models import utcnow
from tests.factories import create_user
from tests.members.conftest import ask_to_join, join, make_community, person, set_profile

FIELDS = {
    "headline": "Product lead in climate tech",
    "bio": "I build **things** for farmers.",
    "city": "Nairobi",
    "country": "Kenya",
    "organisation": "Sunbird Energy",
    "job_title": "Head of Product",
    "industry": "Energy",
    "skills": ["Product management", "Swahili"],
    "interests": ["Beekeeping"],
    "can_help_with": ["Pricing a hardware product"],
    "looking_for": ["A mentor in logistics"],
    "links": [{"label": "Portfolio", "url": "https://amara.example.net/work"}],
}
#: What each field's text looks like on the page.
SHOWN_AS = {
    "headline": "Product lead in climate tech",
    "bio": "<strong>things</strong> for farmers",
    "location": "Nairobi, Kenya",
    "organisation": "Sunbird Energy",
    "job_title": "Head of Product",
    "industry": "Energy",
    "skills": "Product management",
    "interests": "Beekeeping",
    "can_help_with": "Pricing a hardware product",
    "looking_for": "A mentor in logistics",
    "links": "https://amara.example.net/work",
}
VIEWERS = ["self", "member", "stranger", "anonymous"]
#: Which viewers see a field at each level.
SEES = {
    "everyone": {"self", "member", "stranger", "anonymous"},
    "members": {"self", "member"},
    "nobody": {"self"},
}


@pytest.fixture
def amara(app):
    community = make_community()
    amara = person("Amara Osei", community, cohort="Class of 2014", **FIELDS)
    fellow = create_user(email="fellow@example.org", name="Fellow Member")
    join(community, fellow)
    create_user(email="stranger@example.org", name="Stranger")
    return amara


def view_as(client, viewer: str, amara):
    if viewer == "self":
        client.login(amara.email)
    elif viewer == "member":
        client.login("fellow@example.org")
    elif viewer == "stranger":
        client.login("stranger@example.org")
    return client.get(f"/people/{amara.id}")


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("level", ["everyone", "members", "nobody"])
def test_each_field_is_shown_only_to_the_viewers_its_level_allows(client, amara, viewer, level):
    set_profile(amara, everything=level, visibility={"name": "everyone"})

    response = view_as(client, viewer, amara)

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Amara Osei" in page
    for field, text in SHOWN_AS.items():
        assert (text in page) == (viewer in SEES[level]), (field, viewer, level)


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("level", ["everyone", "members", "nobody"])
def test_a_person_whose_name_is_hidden_does_not_exist_for_that_viewer(client, amara, viewer, level):
    set_profile(amara, visibility={"name": level})

    response = view_as(client, viewer, amara)

    # A visitor is asked to log in (tests/members/test_login_prompts.py), as for any unknown id.
    hidden = 401 if viewer == "anonymous" else 404
    assert response.status_code == (200 if viewer in SEES[level] else hidden)


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("level", ["everyone", "members", "nobody"])
def test_email_is_shown_only_when_the_person_opts_in(client, amara, viewer, level):
    set_profile(amara, visibility={"name": "everyone", "email": level})

    page = view_as(client, viewer, amara).get_data(as_text=True)

    shown = 'href="mailto:' + amara.email in page
    assert shown == (viewer in SEES[level])  # the person always sees their own


def test_email_is_hidden_by_default_even_from_fellow_members(client, amara):
    page = view_as(client, "member", amara).get_data(as_text=True)
    assert "Head of Product" in page
    assert amara.email not in page


def test_default_visibility_is_members_only(client, amara):
    assert view_as(client, "member", amara).status_code == 200
    client.logout()
    assert view_as(client, "stranger", amara).status_code == 404
    client.logout()
    assert view_as(client, "anonymous", amara).status_code == 401  # log in to see it


def test_links_are_nofollow(client, amara):
    page = view_as(client, "member", amara).get_data(as_text=True)
    assert '<a href="https://amara.example.net/work" rel="nofollow noopener noreferrer"' in page
    assert ">Portfolio</a>" in page


def test_communities_in_common_show_cohort_and_date_joined(client, amara):
    other = make_community("riverside", "Riverside Rowing Club")
    join(other, amara)
    page = view_as(client, "member", amara).get_data(as_text=True)
    assert "Communities in common" in page
    assert "Northfield Alumni" in page
    assert "Class of 2014" in page
    assert "Joined " in page
    assert "Riverside Rowing Club" not in page  # the viewer is not a member there


def test_a_pending_member_does_not_share_the_community(client, amara):
    other = make_community("riverside", "Riverside Rowing Club")
    join(other, amara)
    applicant = create_user(email="applicant@example.org")
    ask_to_join(other, applicant)
    client.login("applicant@example.org")
    assert client.get(f"/people/{amara.id}").status_code == 404


def test_the_owner_sees_everything_with_an_edit_button_and_can_preview(client, amara):
    set_profile(amara, everything="members", visibility={"name": "everyone", "headline": "everyone"})
    client.login(amara.email)

    own = client.get(f"/people/{amara.id}").get_data(as_text=True)
    assert "This is your profile." in own
    assert 'href="/profile"' in own
    assert "Sunbird Energy" in own

    as_public = client.get(f"/people/{amara.id}?as=public").get_data(as_text=True)
    assert "This is how <strong>the public</strong> sees your profile." in as_public
    assert "Product lead in climate tech" in as_public
    assert "Sunbird Energy" not in as_public

    as_member = client.get(f"/people/{amara.id}?as=member").get_data(as_text=True)
    assert "Sunbird Energy" in as_member


def test_preview_is_only_for_the_owner(client, amara):
    set_profile(amara, everything="nobody", visibility={"name": "everyone"})
    client.login("fellow@example.org")
    page = client.get(f"/people/{amara.id}?as=member").get_data(as_text=True)
    assert "Sunbird Energy" not in page
    assert "This is how" not in page


def test_deleted_and_unknown_people_are_404(client, amara, db):
    amara.deleted_at = utcnow()
    db.session.commit()
    client.login("fellow@example.org")
    assert client.get("/people/999999").status_code == 404
    assert client.get(f"/people/{amara.id}").status_code == 404
