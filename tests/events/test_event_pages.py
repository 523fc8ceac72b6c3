"""The public event page: who may see it, what it says in each state, and its shared data."""

from __future__ import annotations

from datetime import timedelta

import pytest

from community.core.models import utcnow
from community.events.models import EventVisibility
from community.events.services import cancel_event, create_event
from community.extensions import db
from community.rsvps.services import respond
from tests.events.page_helpers import json_ld_of, member, page_url, text_of
from tests.factories import create_community, create_user, event_details

# -- who may see it ------------------------------------------------------------------------

VIEWERS = ["anonymous", "outsider", "member", "organizer"]
EXPECTED = {
    # visibility/status: status code per viewer, in VIEWERS order
    "public": [200, 200, 200, 200],
    "unlisted": [200, 200, 200, 200],
    "members": [401, 403, 200, 200],  # log in, then join (tests/events/test_login_prompts.py)
    "draft": [404, 404, 404, 200],
}


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_who_may_see_the_event_page(client, community, organizer, kind):
    visibility = EventVisibility.PUBLIC if kind == "draft" else EventVisibility(kind)
    event = create_event(community, organizer, event_details(visibility=visibility), publish=kind != "draft")
    db.session.commit()
    people = {
        "outsider": create_user(name="Otto Outsider"),
        "member": member(community),
        "organizer": organizer,
    }
    for viewer, expected in zip(VIEWERS, EXPECTED[kind], strict=True):
        client.logout()
        if viewer != "anonymous":
            client.login(people[viewer].email)
        response = client.get(page_url(event))
        assert response.status_code == expected, (kind, viewer)
        if expected == 200:
            assert "Class of 2016 reunion" in response.get_data(as_text=True)


def test_the_organizer_sees_a_draft_banner_and_no_rsvp_control(client, community, organizer):
    event = create_event(community, organizer, event_details())
    db.session.commit()
    client.login(organizer.email)
    page = text_of(client.get(page_url(event)).get_data(as_text=True))
    assert "Draft: not visible to members yet." in page
    assert "RSVPs open once the event is published." in page
    assert 'value="going"' not in page


def test_an_event_of_another_community_is_not_found(client, community, published_event):
    create_community(slug="southside", name="Southside Club")
    event = published_event()
    assert client.get(f"/c/southside/events/{event.id}").status_code == 404
    assert client.get(f"/c/nowhere/events/{event.id}").status_code == 404


def test_a_link_with_title_words_redirects_to_the_canonical_url(client, published_event):
    event = published_event()
    response = client.get(f"/c/NorthField/events/{event.id}-class-of-2016-reunion")
    assert response.status_code == 301
    assert response.headers["Location"] == f"/c/northfield/events/{event.id}"


# -- what it says ------------------------------------------------------------------------


def test_a_published_event_shows_when_where_capacity_and_organizers(client, published_event):
    event = published_event(
        description="Drinks and **stories**.",
        venue_name="The Old Library",
        address="1 High Street, Northfield",
        capacity=12,
    )
    html = client.get(page_url(event)).get_data(as_text=True)
    page = text_of(html)
    assert "Meetup" in page
    assert "18:30–22:00 (Europe/London)" in page
    assert "The Old Library" in page and "1 High Street, Northfield" in page
    assert "https://www.openstreetmap.org/search?query=The+Old+Library%2C+1+High+Street%2C+Northfield" in html
    assert "<iframe" not in html
    assert "12 seats left" in page
    assert "<strong>stories</strong>" in html
    assert "Organised by" in page and "Northfield Alumni" in page
    # Olu keeps the default: his name is for members of his communities, not for visitors.
    assert "Olu Organizer" not in page
    assert 'data-zone="Europe/London"' in html  # localtime.js fills in the viewer's zone
    client.login(member(event.community).email)
    assert "Olu Organizer" in text_of(client.get(page_url(event)).get_data(as_text=True))


def test_seats_left_counts_guests_and_says_one_seat(client, community, published_event):
    event = published_event(capacity=3, guests_allowed=1)
    respond(event, create_user(), going=True, guests=1)
    db.session.commit()
    assert "1 seat left" in text_of(client.get(page_url(event)).get_data(as_text=True))


def test_a_full_event_offers_the_waitlist(client, community, published_event):
    event = published_event(capacity=1)
    respond(event, create_user(), going=True)
    db.session.commit()
    client.login(member(community).email)
    page = text_of(client.get(page_url(event)).get_data(as_text=True))
    assert "Full — join the waitlist" in page
    assert "Join the waitlist" in page


def test_no_capacity_says_no_limit(client, published_event):
    event = published_event()
    assert "No limit" in text_of(client.get(page_url(event)).get_data(as_text=True))


def test_a_cancelled_event_stays_reachable_and_says_why(client, community, organizer, published_event):
    event = published_event()
    cancel_event(event, organizer, reason="The venue flooded.")
    db.session.commit()
    client.login(member(community).email)
    response = client.get(page_url(event))
    page = text_of(response.get_data(as_text=True))
    assert response.status_code == 200
    assert "This event is cancelled. The venue flooded." in page
    assert 'value="going"' not in response.get_data(as_text=True)


def test_a_past_event_has_ended_and_takes_no_rsvps(client, community, published_event):
    event = published_event(day=(utcnow() - timedelta(days=3)).date())
    client.login(member(community).email)
    html = client.get(page_url(event)).get_data(as_text=True)
    assert "This event has ended." in text_of(html)
    assert 'value="going"' not in html


def test_the_viewers_rsvp_state_is_shown(client, community, published_event):
    event = published_event(capacity=1, guests_allowed=2)
    going, waiting = member(community, "Gia Going"), member(community, "Wes Waiting")
    respond(event, going, going=True)
    respond(event, create_user(), going=True)
    respond(event, waiting, going=True)
    db.session.commit()

    client.login(going.email)
    assert "You're going" in text_of(client.get(page_url(event)).get_data(as_text=True))
    client.logout()
    client.login(waiting.email)
    assert "You're number 2 on the waitlist" in text_of(client.get(page_url(event)).get_data(as_text=True))


def test_approval_pending_and_offered_states(client, community, published_event):
    approval = published_event(requires_approval=True)
    person = member(community)
    client.login(person.email)
    page = text_of(client.get(page_url(approval)).get_data(as_text=True))
    assert "Request a place" in page
    respond(approval, person, going=True)
    db.session.commit()
    assert "Waiting for an organizer's approval" in text_of(
        client.get(page_url(approval)).get_data(as_text=True)
    )

    soon = published_event(capacity=1, offer_freed_seats=True, day=(utcnow() + timedelta(days=1)).date())
    first = create_user()
    respond(soon, first, going=True)
    respond(soon, person, going=True)
    change = respond(soon, first, going=False)
    db.session.commit()
    assert [r.user_id for r in change.offered] == [person.id]
    page = text_of(client.get(page_url(soon)).get_data(as_text=True))
    assert "A seat is held for you until" in page and "— claim it" in page
    assert "Claim your seat" in page


# -- who's going -------------------------------------------------------------------------


def _attendee_setup(community, published_event, **overrides):
    event = published_event(**overrides)
    shown, hidden = member(community, "Lena Listed"), member(community, "Hugo Hidden")
    respond(event, shown, going=True, listed=True)
    respond(event, hidden, going=True, listed=False)
    db.session.commit()
    return event, shown


def test_members_see_listed_attendees_only(client, community, published_event):
    event, _ = _attendee_setup(community, published_event)
    client.login(member(community, "Vera Viewer").email)
    page = text_of(client.get(page_url(event)).get_data(as_text=True))
    assert "Lena Listed" in page
    assert "Hugo Hidden" not in page
    assert "Who's going (2)" in page


def test_outsiders_see_the_count_but_no_names(client, community, published_event):
    event, _ = _attendee_setup(community, published_event)
    page = text_of(client.get(page_url(event)).get_data(as_text=True))
    assert "2 people are going. The list of names is for members of Northfield Alumni." in page
    assert "Lena Listed" not in page


def test_a_public_attendee_list_shows_names_the_people_made_public(client, community, published_event):
    from community.members.services import ensure_profile

    event, _ = _attendee_setup(community, published_event, attendee_list_public=True)
    public = member(community, "Pia Public")
    profile = ensure_profile(public)
    profile.headline = "Engineer at Acme"
    profile.visibility = {"name": "everyone", "headline": "everyone"}
    respond(event, public, going=True)
    db.session.commit()
    page = text_of(client.get(page_url(event)).get_data(as_text=True))
    assert "Pia Public Engineer at Acme" in page
    # Lena's name is for members only (the default), so the public does not see it.
    assert "Lena Listed" not in page and "Hugo Hidden" not in page


def test_going_people_can_hide_themselves_without_changing_their_rsvp(client, community, published_event):
    event, lena = _attendee_setup(community, published_event)
    client.login(lena.email)
    response = client.submit(page_url(event) + "/rsvp/listed", {})
    assert response.status_code == 302
    page = text_of(client.get(page_url(event)).get_data(as_text=True))
    assert "You're no longer shown in the list of who's going." in page
    assert "You're going" in page
    client.submit(page_url(event) + "/rsvp/listed", {"listed": "y"})
    assert "You're shown in the list of who's going." in text_of(
        client.get(page_url(event)).get_data(as_text=True)
    )


def test_the_online_link_is_only_for_people_going(client, community, published_event):
    event = published_event(online_url="https://meet.example.org/secret-room")
    person = member(community)
    client.login(person.email)
    html = client.get(page_url(event)).get_data(as_text=True)
    assert "secret-room" not in html
    assert "The online link is shown to people who are going." in html
    respond(event, person, going=True)
    db.session.commit()
    assert "https://meet.example.org/secret-room" in client.get(page_url(event)).get_data(as_text=True)


# -- sharing -----------------------------------------------------------------------------


def test_opengraph_and_json_ld_describe_the_event(client, published_event):
    event = published_event(
        description="Bring </script><script>alert(1)</script> & friends. " + "Long words here. " * 20,
        venue_name="The Old Library",
        address="1 High Street",
        capacity=30,
    )
    response = client.get(page_url(event))
    html = response.get_data(as_text=True)
    assert "<script>alert(1)" not in html
    assert f'<meta property="og:url" content="http://localhost/c/northfield/events/{event.id}">' in html
    assert '<meta property="og:type" content="website">' in html
    assert '<meta property="og:title" content="Class of 2016 reunion">' in html
    assert '<meta property="og:site_name" content="Roundtable">' in html
    data = json_ld_of(html)
    assert data["@type"] == "Event"
    assert data["name"] == "Class of 2016 reunion"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["startDate"].endswith(("+01:00", "+00:00")) and "T18:30" in data["startDate"]
    assert data["location"] == {"@type": "Place", "name": "The Old Library", "address": "1 High Street"}
    assert data["organizer"]["name"] == "Northfield Alumni"
    assert data["maximumAttendeeCapacity"] == 30 and data["remainingAttendeeCapacity"] == 30
    assert data["url"] == f"http://localhost/c/northfield/events/{event.id}"
    assert data["description"].startswith("Bring </script><script>alert(1)</script> & friends.")


def test_json_ld_of_an_online_cancelled_event_hides_the_link(client, organizer, published_event):
    event = published_event(online_url="https://meet.example.org/secret-room")
    cancel_event(event, organizer, reason="Nobody could come.")
    db.session.commit()
    html = client.get(page_url(event)).get_data(as_text=True)
    data = json_ld_of(html)
    assert data["eventStatus"] == "https://schema.org/EventCancelled"
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert data["location"] == {"@type": "VirtualLocation", "url": data["url"]}
    assert "secret-room" not in html


def test_members_only_events_have_no_shared_data(client, community, published_event):
    event = published_event(visibility=EventVisibility.MEMBERS)
    client.login(member(community).email)
    html = client.get(page_url(event)).get_data(as_text=True)
    assert "application/ld+json" not in html and "og:title" not in html
    assert '<meta name="robots" content="noindex">' in html
