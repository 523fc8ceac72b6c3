"""Editing one's profile at /profile: fields, who sees each, cohorts, and refusals."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from community.auth.models import User
from community.communities.models import Membership
from community.members.models import DEFAULT_VISIBILITY, Profile, ProfileTag
from tests.factories import create_user
from tests.members.conftest import join, make_community

GOOD = {
    "name": "Ruth Okafor-Bell",
    "headline": "Urban planner, Class of 2011",
    "bio": "I plan *bike lanes*.",
    "city": "Leeds",
    "country": "United Kingdom",
    "organisation": "Leeds City Council",
    "job_title": "Senior planner",
    "industry": "Government",
    "skills": "Urban planning,  GIS , gis, Public   consultation",
    "interests": "Cycling",
    "can_help_with": "Planning applications\n\n  Talking to councils  \n",
    "looking_for": "A mentor in transport policy",
    "links-0-label": "LinkedIn",
    "links-0-url": "https://www.linkedin.com/in/ruth",
    "links-0-share": "y",
    "links-1-label": "",
    "links-1-url": "https://ruth.example.net",
    **{f"{field}_visibility": level.value for field, level in DEFAULT_VISIBILITY.items()},
    "headline_visibility": "everyone",
    "email_visibility": "members",
}


def saved_profile(db, user) -> Profile:
    db.session.expire_all()
    return db.session.get(Profile, user.id)


def test_the_editor_needs_login(client):
    response = client.get("/profile")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_the_editor_shows_a_visibility_choice_for_every_field(logged_in):
    page = logged_in.get("/profile").get_data(as_text=True)
    for field in DEFAULT_VISIBILITY:
        assert f'name="{field}_visibility"' in page
    assert '<option selected value="nobody">Only me</option>' in page  # email: opt in
    assert "is never shown unless you choose to show it here" in page


def test_saving_writes_every_field_normalised(logged_in, db, user):
    response = logged_in.submit("/profile", GOOD)

    assert response.status_code == 302
    assert response.headers["Location"] == f"/people/{user.id}"
    profile = saved_profile(db, user)
    assert profile.user.name == "Ruth Okafor-Bell"
    assert profile.headline == "Urban planner, Class of 2011"
    assert profile.skills == ["Urban planning", "GIS", "Public consultation"]
    assert profile.can_help_with == ["Planning applications", "Talking to councils"]
    assert profile.links == [
        {"label": "LinkedIn", "url": "https://www.linkedin.com/in/ruth", "share": True},  # when introduced
        {"label": "ruth.example.net", "url": "https://ruth.example.net"},
    ]
    assert profile.visibility_of("headline").value == "everyone"
    assert profile.visibility_of("email").value == "members"
    assert profile.visibility_of("bio").value == "members"
    tags = db.session.scalars(
        select(ProfileTag.tag).where(ProfileTag.user_id == user.id).order_by(ProfileTag.tag)
    )
    assert list(tags) == ["cycling", "gis", "public consultation", "urban planning"]
    assert "Leeds City Council" in profile.search_members
    assert "Leeds City Council" not in profile.search_public
    assert "Urban planner" in profile.search_public


def test_the_form_shows_what_was_saved(logged_in, user):
    logged_in.submit("/profile", GOOD)
    page = logged_in.get("/profile").get_data(as_text=True)
    assert 'value="Urban planning, GIS, Public consultation"' in page
    assert 'value="https://www.linkedin.com/in/ruth"' in page
    assert '<option selected value="everyone">Everyone</option>' in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": " "}, "Tell us your name."),
        ({"links-0-url": "javascript:alert(1)"}, "Enter a full web address starting with https://"),
        ({"links-0-url": "www.example.org"}, "Enter a full web address starting with https://"),
        ({"links-0-url": "ftp://example.org/file"}, "Enter a full web address starting with https://"),
        ({"links-0-url": ""}, "Add the web address, or clear the label."),
        ({"skills": ", ".join(f"skill {n}" for n in range(21))}, "Up to 20 skills, please: you have 21."),
        ({"interests": "x" * 41}, "Keep each one under 40 characters"),
        ({"looking_for": "\n".join(f"thing {n}" for n in range(11))}, "Up to 10 lines, please: you have 11."),
        ({"can_help_with": "y" * 101}, "Keep each one under 100 characters"),
        ({"headline": "h" * 161}, "Keep it under 160 characters."),
        ({"headline_visibility": "the-world"}, "Not a valid choice."),
    ],
)
def test_bad_input_is_refused_inline_and_changes_nothing(logged_in, db, user, changes, message):
    logged_in.submit("/profile", GOOD)

    response = logged_in.submit(
        "/profile", {**GOOD, "headline": "Changed", "name": "Changed Name", **changes}
    )

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert "Nothing was saved." in page
    profile = saved_profile(db, user)
    assert profile.headline == "Urban planner, Class of 2011"
    assert profile.user.name == "Ruth Okafor-Bell"


def test_bio_preview_renders_markdown_without_saving(logged_in, db, user):
    response = logged_in.submit(
        "/profile", {**GOOD, "bio": "Hello **world** <script>x</script>", "preview": "1"}
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Hello <strong>world</strong>" in page
    assert "<script>x</script>" not in page
    assert db.session.get(Profile, user.id) is None or saved_profile(db, user).bio == ""


def test_cohorts_are_set_per_community_and_only_for_ones_own_memberships(logged_in, db, user):
    first, second = make_community("first", "First Club"), make_community("second", "Second Society")
    mine_first, mine_second = join(first, user), join(second, user)
    someone = join(first, create_user())
    page = logged_in.get("/profile").get_data(as_text=True)
    assert "First Club" in page and "Second Society" in page
    assert "Joined " in page

    form = {
        **GOOD,
        "cohorts-0-membership_id": str(mine_first.id),
        "cohorts-0-cohort": "Class of 2011",
        "cohorts-1-membership_id": str(mine_second.id),
        "cohorts-1-cohort": "",
        "cohorts-2-membership_id": str(someone.id),
        "cohorts-2-cohort": "Hijacked",
    }
    assert logged_in.submit("/profile", form).status_code == 302

    db.session.expire_all()
    assert db.session.get(Membership, mine_first.id).cohort == "Class of 2011"
    assert db.session.get(Membership, mine_second.id).cohort is None
    assert db.session.get(Membership, someone.id).cohort is None

    too_long = {**form, "cohorts-0-cohort": "c" * 61}
    response = logged_in.submit("/profile", too_long)
    assert response.status_code == 422
    assert "Keep it under 60 characters." in response.get_data(as_text=True)


def test_the_name_is_changed_here_now(logged_in, db, user):
    logged_in.submit("/profile", {**GOOD, "name": "  Ruth   O.  "})
    db.session.expire_all()
    assert db.session.get(User, user.id).name == "Ruth O."


def test_someone_without_communities_is_told_how_to_find_one(logged_in):
    page = logged_in.get("/profile").get_data(as_text=True)
    assert "No communities yet" in page
