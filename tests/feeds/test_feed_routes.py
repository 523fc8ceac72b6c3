"""The feeds as served: who sees what, caching, stability, and the join link.

Every served document is read by icalendar, the strict `ical`, and Mozilla's ical.js.
"""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from community.core.ical import vevent
from community.core.ical.document import feed_document
from community.core.models import utcnow
from community.events.calendar import calendar_entry
from community.events.models import EventVisibility
from community.events.services import cancel_event, create_event, update_event
from community.events.timing import to_local
from community.extensions import cache, db
from community.feeds import documents, queries, tokens
from community.feeds.models import CalendarToken, StoredVEvent
from community.rsvps.services import respond
from tests.factories import create_membership, create_user, event_details


def uid(event) -> str:
    return f"event-{event.id}@localhost"


@pytest.fixture
def events(db, community, organizer):
    """A public event, a members-only one, an unlisted one, a draft and a long-past one."""
    made = {
        "public": create_event(
            community, organizer, event_details(title="Spring reunion 🎉, Lyon; bring friends"), publish=True
        ),
        "members": create_event(
            community,
            organizer,
            event_details(title="Members' supper", visibility=EventVisibility.MEMBERS),
            publish=True,
        ),
        "unlisted": create_event(
            community,
            organizer,
            event_details(title="Unlisted walk", visibility=EventVisibility.UNLISTED),
            publish=True,
        ),
        "draft": create_event(community, organizer, event_details(title="Draft gala")),
        "old": create_event(
            community,
            organizer,
            event_details(title="Ancient picnic", day=utcnow().date() - timedelta(days=500)),
            publish=True,
        ),
    }
    db.session.commit()
    return made


def test_community_feed_lists_only_public_events_of_the_last_year_and_to_come(client, events, read):
    response = client.get("/c/northfield/calendar.ics")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = read(response.data)
    assert calendar.method == "PUBLISH"
    assert calendar.name == "Northfield Alumni"
    assert [e.summary for e in calendar.events] == ["Spring reunion 🎉, Lyon; bring friends"]
    assert calendar.events[0].uid == uid(events["public"])
    assert calendar.events[0].attendees == []


def test_public_feed_never_carries_attendees_or_personal_emails(client, events, organizer):
    person = create_user(email="ruth.attendee@example.org", name="Ruth Attendee")
    respond(events["public"], person, going=True)
    db.session.commit()

    body = client.get("/c/northfield/calendar.ics").get_data(as_text=True)

    assert "ATTENDEE" not in body
    assert "Ruth Attendee" not in body and "ruth.attendee@example.org" not in body
    assert organizer.email not in body
    [organizer_line] = [line for line in body.splitlines() if line.startswith("ORGANIZER")]
    assert "Northfield Alumni" in organizer_line
    assert organizer_line.endswith(":mailto:no-reply@roundtable.localhost")


def test_a_cancelled_event_stays_in_the_feed_as_cancelled(client, events, organizer, read):
    cancel_event(events["public"], organizer, reason="The venue flooded.")
    db.session.commit()

    [event] = read(client.get("/c/northfield/calendar.ics").data).events

    assert event.status == "CANCELLED"
    assert event.sequence == 1
    assert "The venue flooded." in event.description


def test_event_file_downloads_and_respects_visibility(app, client, events, read):
    response = client.get(f"/c/northfield/events/{events['public'].id}.ics")
    assert response.status_code == 200
    assert (
        response.headers["Content-Disposition"]
        == 'attachment; filename="spring-reunion-lyon-bring-friends.ics"'
    )
    [event] = read(response.data).events
    assert event.uid == uid(events["public"])
    local = to_local(events["public"].starts_at, "Europe/London")
    assert event.start == local.replace(tzinfo=None).isoformat()
    assert event.start_zone == "Europe/London"

    assert client.get(f"/c/northfield/events/{events['members'].id}.ics").status_code == 404
    assert client.get(f"/c/northfield/events/{events['draft'].id}.ics").status_code == 404
    assert client.get(f"/c/northfield/events/{events['unlisted'].id}.ics").status_code == 200  # link only


def test_uid_stays_and_sequence_rises_when_the_time_changes(client, community, organizer, events):
    event = events["public"]
    before = client.get(f"/c/northfield/events/{event.id}.ics").get_data(as_text=True)

    update_event(
        event,
        organizer,
        event_details(title="Spring reunion (new time)", start_time=time(19), end_time=time(23)),
    )
    db.session.commit()
    after = client.get(f"/c/northfield/events/{event.id}.ics").get_data(as_text=True)

    assert f"UID:{uid(event)}" in before and f"UID:{uid(event)}" in after
    assert "SEQUENCE:0" in before and "SEQUENCE:1" in after


def test_conditional_get_answers_304_until_something_changes(client, organizer, events):
    first = client.get("/c/northfield/calendar.ics")
    etag = first.headers["ETag"]
    assert not etag.startswith("W/")  # strong: the same state always gives the same bytes
    assert client.get("/c/northfield/calendar.ics").data == first.data

    again = client.get("/c/northfield/calendar.ics", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag
    since = client.get(
        "/c/northfield/calendar.ics", headers={"If-Modified-Since": first.headers["Last-Modified"]}
    )
    assert since.status_code == 304

    update_event(
        events["public"], organizer, event_details(title="Spring reunion", venue_name="The Boathouse")
    )
    db.session.commit()
    changed = client.get("/c/northfield/calendar.ics", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag


def test_head_answers_like_get_without_a_body(client, events):
    get = client.get("/c/northfield/calendar.ics")
    head = client.head("/c/northfield/calendar.ics")
    assert head.status_code == 200 and head.data == b""
    assert head.headers["ETag"] == get.headers["ETag"]
    assert head.headers["Content-Type"] == "text/calendar; charset=utf-8"


@pytest.fixture
def feed_owner(db, community):
    person = create_membership(community, email="mia@example.org", name="Mia Member").user
    row = tokens.regenerate(person)
    db.session.commit()
    return person, tokens.feed_token(row)


def test_personal_feed_shows_going_and_waitlisted_as_tentative_with_a_join_link(
    client, community, organizer, feed_owner, read
):
    person, token = feed_owner
    online = create_event(
        community, organizer, event_details(title="Online roundtable", online_url="https://meet.example.org/secret-room"),
        publish=True,
    )  # fmt: skip
    full = create_event(community, organizer, event_details(title="Tiny dinner", capacity=1), publish=True)
    skipped = create_event(community, organizer, event_details(title="Not for me"), publish=True)
    respond(online, person, going=True)
    respond(full, create_user(), going=True)
    respond(full, person, going=True)  # waitlisted
    respond(skipped, person, going=False)
    db.session.commit()

    response = client.get(f"/calendar/{token}.ics")

    assert response.status_code == 200
    assert "private" in response.headers["Cache-Control"]
    calendar = read(response.data)
    by_summary = {e.summary: e for e in calendar.events}
    assert set(by_summary) == {"Online roundtable", "Tiny dinner"}
    assert by_summary["Online roundtable"].status == "CONFIRMED"
    assert by_summary["Tiny dinner"].status == "TENTATIVE"
    body = response.get_data(as_text=True)
    assert "secret-room" not in body  # only the stable per-attendee link
    assert f"/c/northfield/events/{online.id}/join/" in body


def test_personal_feed_can_include_members_only_events_of_my_communities(client, events, feed_owner):
    person, token = feed_owner
    assert "Members' supper" not in client.get(f"/calendar/{token}.ics").get_data(as_text=True)

    tokens.set_include_community_events(person, True)
    db.session.commit()
    body = client.get(f"/calendar/{token}.ics").get_data(as_text=True)

    assert "Members' supper" in body
    assert "Unlisted walk" not in body and "Draft gala" not in body


def test_unknown_replaced_and_revoked_tokens_get_a_plain_404(client, db, feed_owner):
    person, token = feed_owner
    assert client.get("/calendar/" + "x" * 43 + ".ics").status_code == 404

    tokens.regenerate(person)
    db.session.commit()
    replaced = client.get(f"/calendar/{token}.ics")
    assert replaced.status_code == 404
    assert "calendar" not in replaced.get_data(as_text=True).lower().split("<main")[1][:400]

    tokens.revoke(person)
    db.session.commit()
    assert db.session.scalar(select(CalendarToken)) is None


def test_join_link_redirects_only_while_going(client, community, organizer, feed_owner):
    person, token = feed_owner
    event = create_event(
        community, organizer, event_details(title="Online roundtable", online_url="https://meet.example.org/room-1"),
        publish=True,
    )  # fmt: skip
    respond(event, person, going=True)
    db.session.commit()
    body = client.get(f"/calendar/{token}.ics").get_data(as_text=True).replace("\r\n ", "")
    join_path = body.split(f"/c/northfield/events/{event.id}/join/")[1].split()[0].split("\\")[0]
    path = f"/c/northfield/events/{event.id}/join/{join_path}"

    assert client.get(path).headers["Location"] == "https://meet.example.org/room-1"
    update_event(
        event,
        organizer,
        event_details(title="Online roundtable", online_url="https://meet.example.org/room-2"),
    )
    db.session.commit()
    assert client.get(path).headers["Location"] == "https://meet.example.org/room-2"  # same link, new room

    respond(event, person, going=False)
    db.session.commit()
    assert client.get(path).status_code == 410
    assert client.get(path[:-4] + "abcd").status_code == 404


def test_event_and_community_pages_offer_every_calendar(client, events):
    event = events["public"]
    page = client.get(f"/c/northfield/events/{event.id}").get_data(as_text=True)
    assert f'href="/c/northfield/events/{event.id}.ics"' in page
    assert "https://calendar.google.com/calendar/render?action=TEMPLATE&amp;text=Spring%20reunion" in page
    assert "https://outlook.live.com/calendar/0/deeplink/compose?" in page
    assert 'href="webcal://localhost/c/northfield/calendar.ics"' in page

    home = client.get("/c/northfield").get_data(as_text=True)
    assert 'href="webcal://localhost/c/northfield/calendar.ics"' in home
    assert (
        "https://calendar.google.com/calendar/render?cid=webcal%3A%2F%2Flocalhost%2Fc%2Fnorthfield%2Fcalendar.ics"
        in home
    )
    assert "https://outlook.live.com/calendar/0/addfromweb?url=webcal%3A%2F%2Flocalhost" in home
    assert "Thunderbird" in home and "Apple Calendar" in home


def test_stored_vevents_serve_the_feed_and_follow_changes(client, events, organizer):
    first = client.get("/c/northfield/calendar.ics").data
    [row] = db.session.scalars(select(StoredVEvent)).all()
    assert row.event_id == events["public"].id
    assert b"SUMMARY:Spring reunion" in row.vevent

    # The feed is made from what is stored: edit the stored copy and the feed shows it.
    row.vevent = row.vevent.replace(b"SUMMARY:Spring reunion", b"SUMMARY:From storage")
    db.session.commit()
    vevent.vevent_bytes.cache_clear()  # as in a worker that has just started (its own
    cache.clear()  # process cache empty too)
    assert b"SUMMARY:From storage" in client.get("/c/northfield/calendar.ics").data

    # A change to the event makes the stored copy stale: it is serialised and stored again.
    update_event(
        events["public"], organizer, event_details(title="Spring reunion, new room", venue_name="Room 2")
    )
    db.session.commit()
    again = client.get("/c/northfield/calendar.ics").data
    assert b"SUMMARY:Spring reunion\\, new room" in again and b"From storage" not in again
    db.session.expire_all()
    assert b"Room 2" in db.session.scalar(select(StoredVEvent.vevent))
    assert first != again


def test_a_stored_feed_is_byte_for_byte_a_fresh_one(app, client, events):
    stored = client.get("/c/northfield/calendar.ics").data
    with app.test_request_context():
        fresh_events = [events["public"]]
        version = queries.community_feed_version("northfield")
        state = documents.community_state(version, documents.feed_day(utcnow()), app.config)
        fresh = feed_document(
            "Northfield Alumni",
            [calendar_entry(event) for event in fresh_events],
            timezone_hint="Europe/London",
            source_url="http://localhost/c/northfield/calendar.ics",
            now=state.last_modified,
        )
    assert stored == fresh


def test_a_304_is_one_statement_with_the_headers_of_the_feed(client, events, count_queries):
    first = client.get("/c/northfield/calendar.ics")
    with count_queries() as statements:  # answered before Flask (feeds.conditional)
        again = client.get("/c/northfield/calendar.ics", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    assert len(statements) == 1 and "page_version" in statements[0]  # the feed's version, nothing more
    for header in ("ETag", "Last-Modified", "Cache-Control", "Content-Security-Policy", "X-Frame-Options"):
        assert again.headers[header] == first.headers[header], header
    assert "Set-Cookie" not in again.headers


def test_when_the_early_read_fails_flask_answers_the_same(app, client, events, monkeypatch):
    first = client.get("/c/northfield/calendar.ics")

    def fails(slug):
        raise OperationalError("SELECT", {}, ConnectionError("server closed the connection"))

    monkeypatch.setattr(app.extensions["feeds.conditional"], "read", fails)
    again = client.get("/c/northfield/calendar.ics", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.headers["ETag"] == first.headers["ETag"]


def test_a_304_for_a_stale_copy_or_an_odd_request_goes_to_the_whole_feed(client, events, db):
    etag = client.get("/c/northfield/calendar.ics").headers["ETag"]
    stale = client.get("/c/northfield/calendar.ics", headers={"If-None-Match": '"an-older-copy"'})
    assert stale.status_code == 200 and b"Spring reunion" in stale.data
    with_query = client.get("/c/northfield/calendar.ics?x=%00", headers={"If-None-Match": etag})
    assert with_query.status_code == 400  # as for any control character in a query string
    unknown = client.get("/c/nowhere/calendar.ics", headers={"If-None-Match": etag})
    assert unknown.status_code == 404

    events["public"].community.suspended_at = utcnow()
    db.session.commit()
    gone = client.get("/c/northfield/calendar.ics", headers={"If-None-Match": etag})
    assert gone.status_code == 410 and b"suspended" in gone.data


def test_rsvps_and_new_members_leave_the_feed_as_it_was(client, events, community, count_queries):
    """They change the community's pages, not its calendar: calendar apps keep their copy."""
    first = client.get("/c/northfield/calendar.ics")
    guest = create_user(email="guest@example.org", name="Guest")
    create_membership(community, guest)
    respond(events["public"], guest, going=True)
    db.session.commit()
    again = client.get("/c/northfield/calendar.ics", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_the_feed_moves_its_year_of_history_once_a_day(client, community, organizer, monkeypatch):
    """An event leaves the feed on the first day after its year is up, with no write: the
    day is part of the feed's state."""
    ended = create_event(community, organizer, event_details(title="Last summer's picnic"), publish=True)
    db.session.commit()
    today = documents.feed_day(utcnow())
    ended.starts_at = today - queries.HISTORY - timedelta(hours=3)
    ended.ends_at = today - queries.HISTORY + timedelta(hours=1)  # inside today's window
    db.session.commit()
    first = client.get("/c/northfield/calendar.ics")
    assert b"Last summer's picnic" in first.data

    tomorrow = utcnow() + timedelta(days=1)
    for module in ("routes", "conditional"):
        monkeypatch.setattr(f"community.feeds.{module}.utcnow", lambda: tomorrow)
    later = client.get("/c/northfield/calendar.ics", headers={"If-None-Match": first.headers["ETag"]})
    assert later.status_code == 200 and b"Last summer's picnic" not in later.data
    assert later.headers["ETag"] != first.headers["ETag"]


def test_a_fresh_request_for_an_unchanged_feed_is_served_from_the_cache(
    client, events, organizer, count_queries
):
    first = client.get("/c/northfield/calendar.ics")
    with count_queries() as statements:
        again = client.get("/c/northfield/calendar.ics")  # no If-None-Match: the whole feed
    assert again.status_code == 200 and again.data == first.data
    assert len(statements) == 1  # the feed's version: no community, no events, no VEVENTs

    update_event(events["public"], organizer, event_details(title="Spring reunion, moved"))
    db.session.commit()
    changed = client.get("/c/northfield/calendar.ics")
    assert b"SUMMARY:Spring reunion\\, moved" in changed.data  # a change shows at once
    assert changed.headers["ETag"] != first.headers["ETag"]


def test_an_unreachable_cache_still_serves_the_feed(app, client, events):
    app.config.update(CACHE_TYPE="RedisCache", CACHE_REDIS_URL="redis://127.0.0.1:1/0")
    cache.init_app(app)  # a Redis nobody listens on; one_test restores the app's cache
    response = client.get("/c/northfield/calendar.ics")
    assert response.status_code == 200 and b"SUMMARY:Spring reunion" in response.data


def test_an_event_leaving_the_feed_changes_the_etag(client, events, organizer):
    etag = client.get("/c/northfield/calendar.ics").headers["ETag"]
    db.session.delete(events["public"])
    db.session.commit()
    response = client.get("/c/northfield/calendar.ics", headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert b"Spring reunion" not in response.data
