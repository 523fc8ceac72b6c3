"""A shared link to a members-only event (issue 10): a visitor is asked to log in and comes back
to the event, without learning what it is; a signed-in outsider is told to join; drafts and
unknown events stay 404."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from community.communities.models import MembershipStatus
from community.events.models import EventVisibility
from community.extensions import db
from community.rsvps.models import RSVP
from tests.conftest import outbox_messages
from tests.core.prompt_helpers import assert_login_prompt, buttons, log_in_through, next_of
from tests.events.page_helpers import member, page_url, text_of
from tests.factories import DEFAULT_PASSWORD, create_community, create_membership, create_user

TITLE = "Class of 2016 reunion"
DESCRIPTION = "Bring your yearbook; the Dean is coming."
VENUE = "The Old Library"


@pytest.fixture
def members_event(published_event):
    return published_event(visibility=EventVisibility.MEMBERS, description=DESCRIPTION, venue_name=VENUE)


def assert_nothing_private(page: str) -> None:
    for private in (TITLE, DESCRIPTION, VENUE, "Olu Organizer"):
        assert private not in page


def test_a_visitor_is_asked_to_log_in_and_comes_back_to_the_event(client, community, members_event):
    url = page_url(members_event)
    prompt = client.get(url)

    page = assert_login_prompt(
        prompt,
        heading="Log in to see this event",
        detail="This event is for members of Northfield Alumni.",
        back_to=url,
    )
    assert_nothing_private(page)
    assert_nothing_private(prompt.get_data(as_text=True))
    assert "About Northfield Alumni" in page

    landing, event_page = log_in_through(client, prompt, member(community).email)
    assert landing == url
    assert event_page.status_code == 200
    assert TITLE in event_page.get_data(as_text=True)


def test_a_link_with_words_in_it_asks_to_log_in_and_leads_to_the_event_after(
    client, community, members_event
):
    words = page_url(members_event) + "-class-of-2016-reunion"
    prompt = client.get(words)
    assert_login_prompt(prompt, heading="Log in to see this event", detail="for members of", back_to=words)

    landing, answer = log_in_through(client, prompt, member(community).email)
    assert landing == words
    assert answer.status_code == 301 and answer.headers["Location"] == page_url(members_event)


def test_signing_up_from_the_prompt_comes_back_to_the_event_after_confirming(client, members_event):
    url = page_url(members_event)
    signup_url = buttons(client.get(url))["Sign up"]
    assert client.get(signup_url).status_code == 200
    answer = client.submit(
        signup_url, {"name": "Nia New", "email": "nia@example.org", "password": DEFAULT_PASSWORD}
    )
    assert answer.status_code == 200
    [email] = outbox_messages(kind="auth.verify-email", to="nia@example.org")
    link = urlsplit(re.search(r"https?://\S+/verify/\S+", email.body_text).group(0))
    assert next_of(link.geturl()) == url

    confirmed = client.get(f"{link.path}?{link.query}")
    assert confirmed.status_code == 302 and confirmed.headers["Location"] == url
    # Signed in now, but not a member yet: the page says how to get in.
    outsider_page = client.get(url)
    assert outsider_page.status_code == 403
    assert "Join Northfield Alumni to see this event" in text_of(outsider_page.get_data(as_text=True))


def test_a_signed_in_outsider_is_told_to_join_without_seeing_the_event(client, members_event):
    create_user(email="otto@example.org", name="Otto Outsider")
    client.login("otto@example.org")

    response = client.get(page_url(members_event))

    assert response.status_code == 403
    page = text_of(response.get_data(as_text=True))
    assert "Join Northfield Alumni to see this event" in page
    assert "This event is for members of Northfield Alumni." in page
    assert buttons(response)["Go to Northfield Alumni"] == "/c/northfield"
    assert "Log in" not in buttons(response)
    assert_nothing_private(page)


def test_someone_waiting_to_join_is_told_their_request_is_waiting(client, community, members_event):
    create_membership(community, email="pat@example.org", status=MembershipStatus.PENDING)
    client.login("pat@example.org")

    response = client.get(page_url(members_event))

    assert response.status_code == 403
    page = text_of(response.get_data(as_text=True))
    assert "Your request to join Northfield Alumni is waiting" in page
    assert "An organizer will look at your request." in page
    assert_nothing_private(page)


def test_a_member_of_another_community_is_an_outsider_here(client, members_event):
    southside = create_community(slug="southside", name="Southside Club")
    create_membership(southside, email="sam@example.org")
    client.login("sam@example.org")
    assert client.get(page_url(members_event)).status_code == 403
    # ... and the event does not exist under the other community's address.
    assert client.get(f"/c/southside/events/{members_event.id}").status_code == 404


@pytest.mark.parametrize("viewer", ["visitor", "outsider", "member"])
def test_drafts_stay_404_for_everyone_but_organizers(client, community, organizer, published_event, viewer):
    draft = published_event(publish=False, visibility=EventVisibility.MEMBERS)
    people = {"outsider": create_user().email, "member": member(community).email}
    if viewer != "visitor":
        client.login(people[viewer])
    response = client.get(page_url(draft))
    assert response.status_code == 404
    assert "We couldn&#39;t find that page" in response.get_data(as_text=True)
    client.logout()
    client.login(organizer.email)
    assert client.get(page_url(draft)).status_code == 200


def test_an_unknown_event_is_404_for_visitors(client, community):
    response = client.get("/c/northfield/events/424242")
    assert response.status_code == 404
    assert "Log in to see" not in response.get_data(as_text=True)


def test_a_visitor_answering_a_members_only_event_gets_the_prompt_and_nothing_is_kept(client, members_event):
    response = client.submit(page_url(members_event) + "/rsvp", {"response": "going"})
    assert_login_prompt(
        response, heading="Log in to see this event", detail="for members of", back_to=page_url(members_event)
    )
    assert db.session.query(RSVP).count() == 0
    with client.session_transaction() as session:
        assert "kept_rsvp" not in session
