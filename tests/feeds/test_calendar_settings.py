"""The personal feed address: created, shown again, replaced, turned off."""

from __future__ import annotations

import re

from sqlalchemy import select

from community.feeds import tokens
from community.feeds.models import CalendarToken

FEED_URL = re.compile(r'id="feed-url"[^>]*value="http://localhost/calendar/([A-Za-z0-9_-]+)\.ics"')


def feed_token_on_page(client) -> str | None:
    match = FEED_URL.search(client.get("/account/calendar").get_data(as_text=True))
    return match.group(1) if match else None


def test_settings_need_login(client):
    response = client.get("/account/calendar")

    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=%2Faccount%2Fcalendar"


def back_to_settings(response) -> None:
    """Every settings form answers with a redirect to the settings page."""
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/calendar"


def test_create_show_again_regenerate_and_revoke(logged_in, db, user):
    page = logged_in.get("/account/calendar").get_data(as_text=True)
    assert "Create my calendar address" in page
    assert feed_token_on_page(logged_in) is None

    back_to_settings(logged_in.submit("/account/calendar/regenerate"))
    assert "Your calendar address is ready." in logged_in.get("/account/calendar").get_data(as_text=True)
    first = feed_token_on_page(logged_in)
    assert first and len(first) >= 40
    assert feed_token_on_page(logged_in) == first  # shown again, the same, on every visit
    assert tokens.owner_of(first)[0].id == user.id

    back_to_settings(logged_in.submit("/account/calendar/regenerate"))
    assert "The old one has stopped working" in logged_in.get("/account/calendar").get_data(as_text=True)
    second = feed_token_on_page(logged_in)
    assert second != first
    assert tokens.owner_of(first) is None  # the old address stops working at once
    assert tokens.owner_of(second)[0].id == user.id

    back_to_settings(logged_in.submit("/account/calendar/revoke"))
    assert tokens.owner_of(second) is None
    assert feed_token_on_page(logged_in) is None


def test_the_token_itself_is_never_stored(logged_in, db, user):
    logged_in.submit("/account/calendar/regenerate")
    token = feed_token_on_page(logged_in)

    row = db.session.scalar(select(CalendarToken))
    stored = " ".join(str(getattr(row, column.key)) for column in CalendarToken.__table__.columns)
    assert token not in stored


def test_subscribe_links_for_each_client(logged_in, user):
    logged_in.submit("/account/calendar/regenerate")
    token = feed_token_on_page(logged_in)
    page = logged_in.get("/account/calendar").get_data(as_text=True)

    assert f'href="webcal://localhost/calendar/{token}.ics"' in page
    assert "https://calendar.google.com/calendar/render?cid=webcal%3A%2F%2Flocalhost%2Fcalendar%2F" in page
    assert "https://outlook.live.com/calendar/0/addfromweb?url=webcal%3A%2F%2F" in page
    assert "Thunderbird" in page


def test_state_changes_need_post_and_csrf(logged_in, db, user):
    assert logged_in.get("/account/calendar/regenerate").status_code == 405
    assert logged_in.post("/account/calendar/regenerate").status_code == 400
    assert db.session.scalar(select(CalendarToken)) is None


def test_include_community_events_choice(logged_in, db, user):
    back_to_settings(logged_in.submit("/account/calendar/include", {"include": "y"}))
    assert db.session.scalar(select(CalendarToken)).include_community_events is True
    back_to_settings(logged_in.submit("/account/calendar/include", {}))
    db.session.expire_all()
    assert db.session.scalar(select(CalendarToken)).include_community_events is False
