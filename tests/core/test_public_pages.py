"""Visitors' pages are built once per state and served from the cache (issue 13): what a visitor
sees changes at once with the data, a stored page never reaches anyone signed in, and a page
that is not the same for everyone (members-only, a flash message) is never stored."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from community.core.models import utcnow
from community.core.public_pages import CACHE_CONTROL, StoredPage
from community.events.models import Event, EventStatus, EventVisibility
from community.extensions import cache
from community.members.models import Profile
from community.rsvps.models import RSVP, RSVPStatus
from tests.factories import create_community, create_event, create_membership, create_rsvp, create_user


@pytest.fixture
def world(app):
    organizer = create_user(email="olu@example.org", name="Olu Organizer")
    community = create_community(organizer, slug="northfield", name="Northfield Alumni")
    event = create_event(community, organizer, title="Spring roundtable", capacity=10)
    member = create_membership(community, email="greta@example.org", name="Greta Adeyemi").user
    return community, event, organizer, member


def page_of(event: Event) -> str:
    return f"/c/northfield/events/{event.id}"


def test_a_visitor_page_carries_no_cookie_and_may_be_kept_by_a_proxy(client, world):
    _, event, _, _ = world
    for path in ("/", "/c/northfield", "/c/northfield/events", page_of(event)):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "Set-Cookie" not in response.headers, path
        assert response.headers["Cache-Control"] == CACHE_CONTROL, path
        assert response.headers["ETag"] and response.headers["Last-Modified"], path
        assert "Cookie" in response.headers["Vary"], path
        assert 'name="csrf_token"' not in response.get_data(as_text=True), path


def test_a_stored_page_costs_one_statement_and_a_conditional_get_answers_304(client, world, count_queries):
    _, event, _, _ = world
    first = client.get(page_of(event))
    with count_queries() as statements:
        again = client.get(page_of(event))
    assert again.get_data() == first.get_data()
    assert len(statements) == 1, statements
    with count_queries() as statements:
        unchanged = client.get(page_of(event), headers={"If-None-Match": first.headers["ETag"]})
    assert unchanged.status_code == 304 and unchanged.get_data() == b""
    assert len(statements) == 1, statements


def test_a_cookieless_visitor_is_answered_before_flask_with_flasks_answer(app, client, world, monkeypatch):
    """StoredPagesFirst serves what the view stored, byte for byte and header for header; with
    a cookie (here a harmless one), a query string or HEAD the answers agree too."""
    _, event, _, _ = world
    built = client.get(page_of(event))  # built by the view and stored
    views = []
    view = app.view_functions["events.event_page"]

    def counted(**view_args):
        views.append(view_args)
        return view(**view_args)

    counted.visitor_state = view.visitor_state  # what the early path looks up
    monkeypatch.setitem(app.view_functions, "events.event_page", counted)
    early = client.get(page_of(event))
    assert views == []  # Flask never dispatched it
    assert early.get_data() == built.get_data()
    assert sorted(early.headers.items()) == sorted(built.headers.items())

    client.set_cookie("theme", "dark")  # any cookie: Flask decides, and serves the stored page
    through_flask = client.get(page_of(event))
    assert len(views) == 1 and through_flask.get_data() == built.get_data()
    client.delete_cookie("theme")

    head = client.head(page_of(event))
    assert head.status_code == 200 and head.get_data() == b""
    assert head.headers["ETag"] == built.headers["ETag"]
    with_query = client.get(page_of(event) + "?from=newsletter")
    assert with_query.status_code == 200 and len(views) == 2  # a key of its own, built by the view


def test_a_cookieless_visitor_of_a_members_only_or_missing_page_gets_flasks_answer(client, world, db):
    _, event, _, _ = world
    event.visibility = EventVisibility.MEMBERS
    db.session.commit()
    assert client.get(page_of(event)).status_code == 401  # log in to see it
    assert client.get("/c/northfield/events/999999").status_code == 404
    assert client.get("/c/nowhere").status_code == 404
    assert client.get("/c/northfield/events/%00").status_code == 404


def test_an_rsvp_shows_at_once_on_the_visitors_page(client, world):
    _, event, _, member = world
    assert "10 seats left" in client.get(page_of(event)).get_data(as_text=True)
    create_rsvp(event, member)
    page = client.get(page_of(event)).get_data(as_text=True)
    assert "9 seats left" in page


def test_an_edit_a_cancellation_and_a_new_event_show_at_once(client, world, db):
    community, event, organizer, _ = world
    for path in ("/", "/c/northfield", "/c/northfield/events", page_of(event)):
        assert "Spring roundtable" in client.get(path).get_data(as_text=True)

    event.title = "Spring roundtable, new venue"
    db.session.commit()
    for path in ("/", "/c/northfield", "/c/northfield/events", page_of(event)):
        assert "Spring roundtable, new venue" in client.get(path).get_data(as_text=True), path

    event.status, event.cancel_reason = EventStatus.CANCELLED, "The venue flooded"
    db.session.commit()
    assert "The venue flooded" in client.get(page_of(event)).get_data(as_text=True)

    create_event(community, organizer, title="Summer reunion")
    for path in ("/", "/c/northfield", "/c/northfield/events"):
        assert "Summer reunion" in client.get(path).get_data(as_text=True), path


def test_a_new_name_on_a_profile_shows_where_the_person_is_listed(client, world, db):
    _, event, organizer, _ = world
    profile = db.session.get(Profile, organizer.id)
    profile.visibility = {"name": "everyone", "headline": "everyone"}  # visitors see those who agree
    db.session.commit()
    assert "Olu Organizer" in client.get("/c/northfield").get_data(as_text=True)
    organizer.name = "Olu Adebayo"
    db.session.commit()
    assert "Olu Adebayo" in client.get("/c/northfield").get_data(as_text=True)
    profile.visibility = {"name": "members"}  # and hidden from visitors again, at once
    db.session.commit()
    assert "Olu Adebayo" not in client.get("/c/northfield").get_data(as_text=True)


def test_a_member_never_gets_the_visitors_page_nor_a_visitor_hers(client, world, app):
    _, event, _, member = world
    create_rsvp(event, member, status=RSVPStatus.GOING)
    visitor_page = client.get(page_of(event)).get_data(as_text=True)
    assert "Your RSVP" not in visitor_page

    client.login(member.email)
    signed_in = client.get(page_of(event))
    assert "Your RSVP" in signed_in.get_data(as_text=True)
    assert "public" not in signed_in.headers.get("Cache-Control", "")

    client.logout()
    client = app.test_client()  # as a new visitor: no cookie left behind
    after = client.get(page_of(event)).get_data(as_text=True)
    assert "Your RSVP" not in after and "greta@example.org" not in after
    assert "Log out" not in after


def test_a_members_only_event_is_never_stored(client, world, app):
    community, _, organizer, member = world
    private = create_event(community, organizer, title="Members dinner", visibility=EventVisibility.MEMBERS)
    refused = client.get(page_of(private))
    assert refused.status_code == 401 and "Members dinner" not in refused.get_data(as_text=True)
    assert refused.headers.get("Cache-Control") != CACHE_CONTROL
    client.login(member.email)
    assert "Members dinner" in client.get(page_of(private)).get_data(as_text=True)
    client.logout()
    client = app.test_client()  # as a new visitor: no cookie left behind
    assert client.get(page_of(private)).status_code == 401


def test_a_visitor_with_a_message_waiting_gets_it_and_the_page_is_not_stored(client, world, app):
    _, event, _, _ = world
    stored = client.get(page_of(event)).get_data(as_text=True)
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "Your account is deleted.")]
    page = client.get(page_of(event)).get_data(as_text=True)
    assert "Your account is deleted." in page
    client = app.test_client()
    assert client.get(page_of(event)).get_data(as_text=True) == stored


def test_a_stored_page_is_built_again_when_the_event_starts(client, world, app, db):
    _, event, _, _ = world
    event.rsvp_deadline = None
    db.session.commit()
    client.get(page_of(event))
    [key] = [key for key in cache.cache._cache if key.startswith("page:") and f"/events/{event.id}" in key]
    stored = cache.get(key)
    assert stored.valid_until == event.starts_at

    # The moment comes (as if the clock had moved on): the next visitor gets a new page.
    cache.set(key, StoredPage(b"old page", stored.etag, stored.built_at, utcnow() - timedelta(seconds=1)))
    assert client.get(page_of(event)).get_data() != b"old page"
    assert cache.get(key).valid_until == event.starts_at


def test_a_visitor_answers_on_the_rsvp_page_and_logs_in_to_finish(client, world, db):
    _, event, _, member = world
    page = client.get(page_of(event)).get_data(as_text=True)
    assert f'action="/c/northfield/events/{event.id}/rsvp"' in page and 'method="get"' in page

    answer = client.get(f"/c/northfield/events/{event.id}/rsvp?response=going")
    assert answer.status_code == 200 and 'name="csrf_token"' in answer.get_data(as_text=True)
    assert "Set-Cookie" in answer.headers  # the visitor's session starts here

    kept = client.submit(f"/c/northfield/events/{event.id}/rsvp", {"response": "going", "listed": "y"})
    assert kept.status_code == 302 and "/login" in kept.headers["Location"]
    client.login(member.email)
    confirm = client.get(page_of(event)).get_data(as_text=True)
    assert "Confirm your RSVP" in confirm


def test_the_rsvp_page_sends_someone_signed_in_back_to_the_event(client, world):
    _, event, _, member = world
    client.login(member.email)
    response = client.get(f"/c/northfield/events/{event.id}/rsvp")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/events/{event.id}#rsvp")


def test_versions_rise_only_in_the_community_that_changed(app, db, world):
    from community.core.page_versions import version_of

    community, event, organizer, member = world
    other = create_community(create_user(), slug="lyon", name="Lyon Club")
    before = version_of(community.id), version_of(other.id)
    create_rsvp(event, member)
    assert (version_of(community.id), version_of(other.id)) == (before[0] + 1, before[1])
    # Neither a reminder sent nor a visit is on any page: no new version.
    rsvp = db.session.scalars(select(RSVP).where(RSVP.event_id == event.id)).one()
    rsvp.reminder_sent_at = utcnow()
    member.last_seen_at = utcnow()
    db.session.commit()
    assert version_of(community.id) == before[0] + 1
