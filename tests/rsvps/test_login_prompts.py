"""A shared link to an event's list of who's going (issue 10): a visitor is asked to log in and
comes back to the list; a signed-in outsider is told to join; no names leak on the way."""

from __future__ import annotations

from datetime import timedelta

import pytest

from community.communities.models import MembershipStatus
from community.core.models import utcnow
from community.events.models import EventVisibility
from tests.core.prompt_helpers import assert_login_prompt, buttons, log_in_through
from tests.events.page_helpers import member, page_url, text_of
from tests.factories import create_membership, create_rsvp, create_user
from tests.members.conftest import set_profile

TITLE = "Class of 2016 reunion"


@pytest.fixture
def greta(community):
    """A member going, listed, whose profile shows her name to everyone."""
    user = member(community, name="Greta Going")
    set_profile(user, visibility={"name": "everyone"})
    return user


def attendees_url(event) -> str:
    return page_url(event) + "/attendees"


@pytest.fixture
def event(published_event, greta):
    event = published_event()
    create_rsvp(event, greta)
    return event


def test_a_visitor_is_asked_to_log_in_and_comes_back_to_the_list(client, community, event):
    url = attendees_url(event) + "?page=1"
    prompt = client.get(url)

    assert_login_prompt(
        prompt,
        heading="Log in to see who's going",
        detail=f"The list of who's going to “{TITLE}” is for members of Northfield Alumni.",
        back_to=url,
    )
    assert "Greta" not in prompt.get_data(as_text=True)
    assert f'<a href="{page_url(event)}">Back to the event</a>' in prompt.get_data(as_text=True)

    landing, answer = log_in_through(client, prompt, member(community).email)
    assert landing == url
    assert answer.status_code == 200
    assert "Greta Going" in answer.get_data(as_text=True)


def test_a_signed_in_outsider_is_told_to_join_and_sees_no_names(client, event):
    create_user(email="otto@example.org")
    client.login("otto@example.org")

    response = client.get(attendees_url(event))

    assert response.status_code == 403
    page = text_of(response.get_data(as_text=True))
    assert "Join Northfield Alumni to see who's going" in page
    assert buttons(response)["Go to Northfield Alumni"] == "/c/northfield"
    assert "Greta" not in page


def test_someone_waiting_to_join_is_told_so(client, community, event):
    create_membership(community, email="pat@example.org", status=MembershipStatus.PENDING)
    client.login("pat@example.org")
    response = client.get(attendees_url(event))
    assert response.status_code == 403
    assert "Your request to join Northfield Alumni is waiting" in text_of(response.get_data(as_text=True))
    assert "Greta" not in response.get_data(as_text=True)


def test_members_see_the_list(client, community, event):
    client.login(member(community).email)
    response = client.get(attendees_url(event))
    assert response.status_code == 200
    assert "Greta Going" in response.get_data(as_text=True)


def test_a_list_the_organizers_opened_is_shown_to_visitors(client, published_event, greta):
    opened = published_event(attendee_list_public=True)
    create_rsvp(opened, greta)
    response = client.get(attendees_url(opened))
    assert response.status_code == 200
    assert "Greta Going" in response.get_data(as_text=True)


def test_the_list_of_a_members_only_event_asks_to_log_in_without_the_title(
    client, community, published_event, greta
):
    hidden = published_event(visibility=EventVisibility.MEMBERS, title="Secret founders' dinner")
    create_rsvp(hidden, greta)
    url = attendees_url(hidden)

    prompt = client.get(url)

    assert_login_prompt(
        prompt,
        heading="Log in to see this event",
        detail="This event is for members of Northfield Alumni.",
        back_to=url,
    )
    html = prompt.get_data(as_text=True)
    assert "Secret founders" not in html and "Greta" not in html
    landing, answer = log_in_through(client, prompt, member(community).email)
    assert landing == url and "Greta Going" in answer.get_data(as_text=True)


def test_the_list_of_a_draft_is_404(client, community, published_event):
    draft = published_event(publish=False)
    assert client.get(attendees_url(draft)).status_code == 404
    client.login(member(community).email)
    assert client.get(attendees_url(draft)).status_code == 404


def test_the_list_of_a_past_event_asks_to_log_in_to_see_who_came(client, community, published_event, greta):
    over = published_event(day=(utcnow() - timedelta(days=30)).date())
    create_rsvp(over, greta)
    prompt = client.get(attendees_url(over))
    assert_login_prompt(
        prompt,
        heading="Log in to see who came",
        detail=f"The list of who came to “{TITLE}” is for members of Northfield Alumni.",
        back_to=attendees_url(over),
    )
    assert "Greta" not in prompt.get_data(as_text=True)
    _, answer = log_in_through(client, prompt, member(community).email)
    assert "Who came" in answer.get_data(as_text=True) and "Greta Going" in answer.get_data(as_text=True)
