"""The community's list of events, and the constant number of queries behind the pages."""

from __future__ import annotations

from datetime import timedelta

import pytest

from community.core.models import utcnow
from community.events.models import EventVisibility
from community.events.services import cancel_event, create_event
from community.extensions import db
from community.rsvps.services import respond
from tests.events.page_helpers import bulk_rsvps, member, page_url, text_of, visitor_build_queries
from tests.factories import create_community, create_user, event_details
from tests.helpers import counting_queries


def day(offset: int):
    return (utcnow() + timedelta(days=offset)).date()


def test_upcoming_events_soonest_first_with_what_each_card_shows(client, community, published_event):
    later = published_event(title="Autumn roundtable", day=day(30), venue_name="The Old Library", capacity=20)
    sooner = published_event(title="Summer picnic", day=day(5))
    person = member(community)
    respond(later, person, going=True)
    db.session.commit()
    client.login(person.email)
    html = client.get("/c/northfield/events").get_data(as_text=True)
    page = text_of(html)
    assert page.index("Summer picnic") < page.index("Autumn roundtable")
    assert "The Old Library" in page and "19 seats left" in page
    assert "You're going" in page
    assert f'href="/c/northfield/events/{sooner.id}"' in html
    assert 'aria-current="page">Upcoming' in html


def test_lists_hide_drafts_unlisted_and_members_only_from_outsiders(
    client, community, organizer, published_event
):
    published_event(title="Open meetup", day=day(3))
    published_event(title="Secret link party", day=day(4), visibility=EventVisibility.UNLISTED)
    published_event(title="Members dinner", day=day(5), visibility=EventVisibility.MEMBERS)
    create_event(community, organizer, event_details(title="Half-planned draft", day=day(6)))
    db.session.commit()

    outsider_page = text_of(client.get("/c/northfield/events").get_data(as_text=True))
    assert "Open meetup" in outsider_page
    assert "Members dinner" not in outsider_page
    assert "Secret link party" not in outsider_page and "Half-planned draft" not in outsider_page

    client.login(member(community).email)
    member_page = text_of(client.get("/c/northfield/events").get_data(as_text=True))
    assert "Members dinner" in member_page and "Members only" in member_page
    assert "Secret link party" not in member_page and "Half-planned draft" not in member_page


def test_past_events_newest_first_and_cancelled_ones_marked(client, community, organizer, published_event):
    published_event(title="Old reunion", day=day(-60))
    published_event(title="Recent talk", day=day(-5))
    called_off = published_event(title="Called-off social", day=day(8))
    cancel_event(called_off, organizer, reason="Rain")
    db.session.commit()
    past = text_of(client.get("/c/northfield/events?when=past").get_data(as_text=True))
    assert past.index("Recent talk") < past.index("Old reunion")
    assert "Called-off social" not in past
    upcoming = text_of(client.get("/c/northfield/events").get_data(as_text=True))
    assert "Called-off social" in upcoming and "Cancelled" in upcoming


def test_empty_states(client, community):
    assert "No upcoming events." in text_of(client.get("/c/northfield/events").get_data(as_text=True))
    assert "No past events yet." in text_of(
        client.get("/c/northfield/events?when=past").get_data(as_text=True)
    )
    assert client.get("/c/nowhere/events").status_code == 404


def test_the_list_is_paginated(client, community, organizer):
    for n in range(22):
        create_event(
            community, organizer, event_details(title=f"Weekly meetup {n:02d}", day=day(n + 1)), publish=True
        )
    db.session.commit()
    first = text_of(client.get("/c/northfield/events").get_data(as_text=True))
    second = text_of(client.get("/c/northfield/events?page=2").get_data(as_text=True))
    assert "Weekly meetup 19" in first and "Weekly meetup 20" not in first
    assert "Weekly meetup 20" in second and "Weekly meetup 21" in second


def test_the_front_page_lists_public_events_across_communities(client, community, organizer, published_event):
    other = create_community(slug="southside", name="Southside Club")
    published_event(title="Northfield open evening", day=day(9))
    create_event(other, organizer, event_details(title="Southside quiz", day=day(2)), publish=True)
    published_event(title="Members dinner", day=day(3), visibility=EventVisibility.MEMBERS)
    published_event(title="Last year's gala", day=day(-300))
    db.session.commit()
    page = text_of(client.get("/").get_data(as_text=True))
    assert "Keep your people meeting." in page  # the hero stays for visitors
    assert page.index("Southside quiz") < page.index("Northfield open evening")
    assert "Southside Club" in page
    assert "Members dinner" not in page and "Last year's gala" not in page


def test_the_front_page_without_events(client):
    assert "No public events coming up." in text_of(client.get("/").get_data(as_text=True))


# -- query counts --------------------------------------------------------------------------


def _queries_for(app, client, url) -> int:
    client.get(url)  # warm up: login user, caches
    with counting_queries(db.engine) as statements:
        response = client.get(url)
    assert response.status_code == 200
    return len(statements)


@pytest.mark.parametrize("public_list", [False, True])
def test_the_event_page_runs_the_same_queries_for_5_and_500_rsvps(
    app, client, community, published_event, public_list
):
    small = published_event(title="Small", capacity=600, attendee_list_public=public_list)
    large = published_event(title="Large", capacity=600, attendee_list_public=public_list)
    bulk_rsvps(small, 5)
    bulk_rsvps(large, 500)
    viewer = member(community, "Vera Viewer")
    client.login(viewer.email)
    respond(small, viewer, going=True)
    respond(large, viewer, going=True)
    db.session.commit()
    assert "See all 501 people going" in client.get(page_url(large)).get_data(as_text=True)
    assert _queries_for(app, client, page_url(small)) == _queries_for(app, client, page_url(large))


def test_lists_run_the_same_queries_for_5_and_500_rsvps(app, client, community, organizer, published_event):
    events = [published_event(title=f"North {n}", day=day(n + 1), capacity=1000) for n in range(3)]
    for event in events:
        bulk_rsvps(event, 5)
    client.login(organizer.email)
    small = {"/c/northfield/events": _queries_for(app, client, "/c/northfield/events")}
    small["/"], front = visitor_build_queries(app, "/")
    assert "995 seats left" in text_of(client.get("/c/northfield/events").get_data(as_text=True))
    assert "995 seats left" in front

    for event in events:
        bulk_rsvps(event, 495)
    large = {"/c/northfield/events": _queries_for(app, client, "/c/northfield/events")}
    large["/"], front = visitor_build_queries(app, "/")
    assert "500 seats left" in front
    assert small == large


def test_everyone_going_is_on_the_attendees_page_for_members(client, community, published_event):
    event = published_event(capacity=1000)
    bulk_rsvps(event, 130)
    url = page_url(event) + "/attendees"
    assert client.get(url).status_code == 401  # names are for members: log in first
    client.login(member(community).email)
    event_page = client.get(page_url(event)).get_data(as_text=True)
    assert f'href="{url}">See all 130 people going' in event_page
    first = text_of(client.get(url).get_data(as_text=True))
    second = text_of(client.get(url + "?page=2").get_data(as_text=True))
    assert "130 going" in first
    assert first.count("Bulk Person") == 100 and second.count("Bulk Person") == 30


def test_the_event_list_partial_takes_plain_events(app, community, published_event):
    from flask import render_template

    event = published_event(title="Plain event", venue_name="Town Hall")
    with app.test_request_context():
        html = render_template("events/_event_list.html", events=[event])
        empty = render_template("events/_event_list.html", events=[], empty_message="Nothing planned.")
    assert "Plain event" in html and "Town Hall" in html
    assert f'href="/c/northfield/events/{event.id}"' in html
    assert "Nothing planned." in empty


def test_community_home_shows_its_next_events(client):
    owner = create_user(name="Olive Owner")
    community = create_community(owner, slug="homeclub", name="Home Club")
    for title, publish in (("Spring roundtable", True), ("Secret draft", False)):
        create_event(community, owner, event_details(title=title, day=day(3)), publish=publish)
    db.session.commit()

    page = client.get("/c/homeclub").get_data(as_text=True)

    assert "Spring roundtable" in page
    assert "Secret draft" not in page
    assert "No upcoming events yet." not in page
