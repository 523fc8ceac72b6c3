"""Shared links to a profile and to a member directory (issue 10): a visitor is asked to log in
and comes back to the page; nothing about the person or the members shows before that."""

from __future__ import annotations

import re

import pytest

from community.core.models import utcnow
from community.extensions import db
from tests.core.prompt_helpers import assert_login_prompt, buttons, log_in_through
from tests.events.page_helpers import text_of
from tests.factories import DEFAULT_PASSWORD, create_user
from tests.members.conftest import ask_to_join, join, make_community, person, set_profile

PROFILE_DETAIL = (
    "People here choose who sees their profile: most show it to the members of their communities."
)
PRIVATE = ("Amara Osei", "Product lead in climate tech", "Sunbird Energy", "Nairobi")


@pytest.fixture
def amara(app):
    community = make_community()
    amara = person(
        "Amara Osei",
        community,
        headline="Product lead in climate tech",
        organisation="Sunbird Energy",
        city="Nairobi",
    )
    join(community, create_user(email="fellow@example.org", name="Fellow Member"))
    create_user(email="stranger@example.org", name="Stranger")
    return amara


def assert_nothing_private(response) -> None:
    html = response.get_data(as_text=True)
    for private in PRIVATE:
        assert private not in html


# -- profiles ---------------------------------------------------------------------------------


def test_a_visitor_is_asked_to_log_in_and_comes_back_to_the_profile(client, amara):
    url = f"/people/{amara.id}"
    prompt = client.get(url)

    assert_login_prompt(prompt, heading="Log in to see this profile", detail=PROFILE_DETAIL, back_to=url)
    assert_nothing_private(prompt)

    landing, profile = log_in_through(client, prompt, "fellow@example.org")
    assert landing == url
    assert profile.status_code == 200
    assert "Amara Osei" in profile.get_data(as_text=True)
    assert "Sunbird Energy" in profile.get_data(as_text=True)


def without_next(response) -> str:
    """The page with its own address taken out, to compare two prompts."""
    return re.sub(r"next=[^\"&]+", "next=", response.get_data(as_text=True))


def test_a_visitor_cannot_tell_a_hidden_profile_from_no_profile(client, amara, db):
    set_profile(amara, visibility={"name": "nobody"})
    hidden = client.get(f"/people/{amara.id}")
    unknown = client.get("/people/999999")
    ghost = create_user(name="Gone Person")
    ghost.deleted_at = utcnow()
    db.session.commit()
    deleted = client.get(f"/people/{ghost.id}")

    assert hidden.status_code == unknown.status_code == deleted.status_code == 401
    assert without_next(hidden) == without_next(unknown) == without_next(deleted)
    assert_nothing_private(hidden)


def test_after_logging_in_a_hidden_name_is_still_404_but_the_owner_sees_their_page(client, amara):
    set_profile(amara, visibility={"name": "nobody"})
    url = f"/people/{amara.id}"

    _, stranger_view = log_in_through(client, client.get(url), "stranger@example.org")
    assert stranger_view.status_code == 404
    client.logout()
    _, fellow_view = log_in_through(client, client.get(url), "fellow@example.org")
    assert fellow_view.status_code == 404
    client.logout()
    _, own = log_in_through(client, client.get(url), amara.email)
    assert own.status_code == 200 and "This is your profile." in own.get_data(as_text=True)


def test_a_signed_in_stranger_still_gets_404(client, amara):
    client.login("stranger@example.org")
    response = client.get(f"/people/{amara.id}")
    assert response.status_code == 404
    assert "Log in" not in buttons(response)
    assert_nothing_private(response)


def test_a_public_profile_is_shown_to_visitors(client, amara):
    set_profile(amara, everything="everyone")
    response = client.get(f"/people/{amara.id}")
    assert response.status_code == 200
    assert "Product lead in climate tech" in response.get_data(as_text=True)


# -- the member directory ---------------------------------------------------------------------

DIRECTORY = "/c/northfield/members"


@pytest.fixture
def directory(app):
    """A members-only directory with Amara (her name shown to everyone) in it."""
    community = make_community()
    amara = person("Amara Osei", community, headline="Product lead in climate tech")
    set_profile(amara, everything="everyone")
    join(community, create_user(email="fellow@example.org", name="Fellow Member"))
    create_user(email="stranger@example.org", name="Stranger")
    return community


def test_a_visitor_is_asked_to_log_in_and_comes_back_to_the_directory(client, directory):
    url = DIRECTORY + "?q=amara"
    prompt = client.get(url)

    page = assert_login_prompt(
        prompt,
        heading="Log in to see the member directory",
        detail="The member directory of Northfield Alumni is for its members.",
        back_to=url,
    )
    assert "About Northfield Alumni" in page
    assert (
        "Members only" in page and "New to Northfield Alumni? Sign up, then ask to join on its page." in page
    )
    assert_nothing_private(prompt)

    landing, answer = log_in_through(client, prompt, "fellow@example.org")
    assert landing == url
    assert answer.status_code == 200
    assert "Amara Osei" in answer.get_data(as_text=True)


def test_an_open_directory_tells_visitors_it_is_for_everyone_signed_in(client, directory):
    directory.directory_public = True
    db.session.commit()
    prompt = client.get(DIRECTORY)

    assert_login_prompt(
        prompt,
        heading="Log in to see the member directory",
        detail="The member directory of Northfield Alumni is for everyone signed in.",
        back_to=DIRECTORY,
    )
    assert_nothing_private(prompt)
    page = text_of(prompt.get_data(as_text=True))
    assert "Members only" not in page and "ask to join" not in page  # an account is enough
    _, answer = log_in_through(client, prompt, "stranger@example.org")
    assert answer.status_code == 200 and "Amara Osei" in answer.get_data(as_text=True)


def test_a_signed_in_outsider_is_told_to_join(client, directory):
    client.login("stranger@example.org")
    response = client.get(DIRECTORY)
    assert response.status_code == 403
    page = text_of(response.get_data(as_text=True))
    assert "Join Northfield Alumni to see the member directory" in page
    assert buttons(response)["Go to Northfield Alumni"] == "/c/northfield"
    assert_nothing_private(response)


def test_someone_waiting_to_join_is_told_their_request_is_waiting(client, directory):
    ask_to_join(directory, create_user(email="pat@example.org"))
    client.login("pat@example.org")
    response = client.get(DIRECTORY)
    assert response.status_code == 403
    assert "Your request to join Northfield Alumni is waiting" in text_of(response.get_data(as_text=True))
    assert_nothing_private(response)


# -- next= stays on the site --------------------------------------------------------------------


def test_the_address_in_the_prompt_is_escaped_and_comes_back_exactly(client, directory):
    url = DIRECTORY + "?q=%22%3E%3Cscript%3Ealert(1)%3C/script%3E&tag=a%26b"  # q="><script>...
    prompt = client.get(url)

    assert prompt.status_code == 401
    assert "<script>alert(1)" not in prompt.get_data(as_text=True)
    landing, answer = log_in_through(client, prompt, "fellow@example.org")
    assert landing == url
    assert answer.status_code == 200


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
def test_a_prompt_link_pointed_elsewhere_logs_in_on_the_site(client, directory, target):
    """Someone may hand out /login?next=<their site> in the prompt's style: the login form
    refuses to leave the site (core.urls.safe_next_url)."""
    response = client.submit(
        "/login", {"email": "fellow@example.org", "password": DEFAULT_PASSWORD, "next": target}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
