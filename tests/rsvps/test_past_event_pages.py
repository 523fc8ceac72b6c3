"""A past event reads as the past: "Who came (21)", "You went", nothing to answer; lists of
past events say "You went" and nothing of seats; a cancelled one says who had said yes. The
ticket and the attendee list read the same way once the event is over."""

from __future__ import annotations

from datetime import timedelta

from flask import render_template

from community.core.models import utcnow
from community.events.services import cancel_event
from community.extensions import db
from community.rsvps import queries
from community.rsvps.models import RSVPStatus
from community.rsvps.page import rsvp_state
from community.rsvps.services import respond
from tests.events.page_helpers import bulk_rsvps, member, page_url, text_of
from tests.factories import create_rsvp


def past_day():
    return (utcnow() - timedelta(days=3)).date()


def test_a_past_event_says_who_came_and_you_went(client, community, published_event):
    event = published_event(day=past_day(), capacity=50, guests_allowed=2)
    bulk_rsvps(event, 20)
    person = member(community, "Gia Going")
    create_rsvp(event, person, guests=1)
    client.login(person.email)

    html = client.get(page_url(event)).get_data(as_text=True)
    page = text_of(html)

    assert "Who came (21)" in page and "Who's going" not in page
    assert "You went with 1 guest" in page
    assert "You're going" not in page and "Are you going?" not in page
    assert 'value="going"' not in html and "Change" not in page
    assert "Your ticket for the door" not in page
    assert "seats left" not in page and "21 went (+1 guest)" in page


def test_a_visitor_to_a_past_event_gets_no_rsvp_card(client, community, published_event):
    event = published_event(day=past_day())
    bulk_rsvps(event, 3)
    html = client.get(page_url(event)).get_data(as_text=True)
    page = text_of(html)
    assert 'id="rsvp"' not in html
    assert "This event has ended." in page
    assert "Who came (3)" in page and "3 people went. The list of names is for members" in page


def test_past_answers_other_than_yes_read_in_the_past(community, published_event):
    event = published_event(day=past_day())
    now = utcnow()
    said = {
        RSVPStatus.NOT_GOING: "You said you couldn't go",
        RSVPStatus.WAITLISTED: "You were on the waitlist",
        RSVPStatus.PENDING: "Your request was still waiting for approval",
    }
    for status, sentence in said.items():
        rsvp = create_rsvp(event, member(community, f"Person {status.value}"), status=status)
        assert rsvp_state(rsvp, event, now) == sentence


def test_a_cancelled_event_says_who_had_said_yes(client, community, organizer, published_event):
    event = published_event()
    person = member(community)
    respond(event, person, going=True)
    cancel_event(event, organizer, reason="The venue flooded.")
    db.session.commit()
    client.login(person.email)
    page = text_of(client.get(page_url(event)).get_data(as_text=True))
    assert "You had said you would go" in page and "You're going" not in page
    assert "Who was going (1)" in page


def test_lists_of_past_events_say_you_went_and_nothing_of_seats(client, community, published_event):
    went = published_event(title="Spring social", day=past_day(), capacity=30)
    coming = published_event(title="Autumn social", capacity=30)
    person = member(community)
    create_rsvp(went, person)
    create_rsvp(coming, person)
    client.login(person.email)

    past = text_of(client.get("/c/northfield/events?when=past").get_data(as_text=True))
    upcoming = text_of(client.get("/c/northfield/events").get_data(as_text=True))

    assert "Spring social" in past and "You went" in past
    assert "You're going" not in past and "seats left" not in past
    assert "Autumn social" in upcoming and "You're going" in upcoming and "29 seats left" in upcoming


def test_the_ticket_of_a_past_event_opens_no_door(app, community, published_event):
    event = published_event(day=past_day())
    rsvp = create_rsvp(event, member(community, "Tess Ticket"), guests=0)
    values = dict(community=community, event=event, rsvp=rsvp, when="Yesterday", qr="data:image/png;base64,")
    with app.test_request_context():
        before = text_of(render_template("rsvps/ticket.html", **values))
        after_html = render_template("rsvps/ticket.html", is_past=True, **values)
    after = text_of(after_html)
    assert "Show this code at the door" in before
    assert "This event has ended. You went: this ticket is no longer needed." in after
    assert "Show this code at the door" not in after and "QR code for checking in" not in after_html


def test_the_attendee_list_of_a_past_event_says_who_came(app, community, published_event):
    event = published_event(day=past_day())
    bulk_rsvps(event, 4)
    with app.test_request_context():
        pagination, people = queries.attendees_page(event, None, 1)
        values = dict(community=community, event=event, pagination=pagination, people=people)
        upcoming = text_of(render_template("rsvps/attendees.html", count=queries.headcount(event), **values))
        past = text_of(
            render_template("rsvps/attendees.html", count=queries.headcount(event), is_past=True, **values)
        )
    assert "Who's going" in upcoming and "4 going" in upcoming
    assert "Who came" in past and "4 went" in past and "Who's going" not in past
