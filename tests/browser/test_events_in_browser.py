"""Issue 4 in a real browser: an organizer creates a reunion for two; three members RSVP,
the third is waitlisted; one cancels, the third is promoted (and emailed); the organizer
checks someone in at the door."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from community.core.models import utcnow
from tests.conftest import outbox_messages
from tests.factories import DEFAULT_PASSWORD, create_community, create_membership, create_user

pytestmark = pytest.mark.browser

ORGANIZER = ("olu@example.org", "Olu Bankole")
MEMBERS = [
    ("ruth@example.org", "Ruth Adebayo"),
    ("chidi@example.org", "Chidi Okafor"),
    ("mei@example.org", "Mei Tanaka"),
]
TITLE = "Class of 2016: ten years on"


def log_in(page: Page, base: str, email: str, name: str) -> None:
    page.goto(base + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text(f"Welcome back, {name}.")).to_be_visible()


def rsvp_state(page: Page):
    """The RSVP card's sentence saying where the viewer stands."""
    return page.locator("#rsvp .rsvp-state")


def seats(page: Page):
    """The RSVP card's capacity line (before the viewer answers)."""
    return page.locator("#rsvp .rsvp-capacity strong")


def test_reunion_for_two_waitlist_promotion_and_check_in(live_server, page: Page, browser: Browser, app):
    community = create_community(create_user(email=ORGANIZER[0], name=ORGANIZER[1]))
    for email, name in MEMBERS:
        create_membership(community, email=email, name=name)
    day = (utcnow() + timedelta(days=14)).date()

    # The organizer creates and publishes a reunion with two seats.
    log_in(page, live_server, *ORGANIZER)
    page.goto(live_server + "/c/northfield/manage/events/new")
    expect(page.get_by_role("heading", level=1, name="New event")).to_be_visible()
    page.get_by_label("Kind", exact=True).select_option(label="Reunion")
    page.get_by_label("Title", exact=True).fill(TITLE)
    page.get_by_label("Cohorts (reunions)").fill("Class of 2016")
    page.get_by_label("Starts on").fill(day.isoformat())
    page.get_by_label("Start time").fill("18:30")
    page.get_by_label("End time").fill("22:00")
    page.get_by_label("Venue").fill("The Old Library")
    page.get_by_label("Capacity", exact=True).fill("2")
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_text("The event is published: members can see it and RSVP.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/c/northfield/manage/events/\d+/rsvps$"))
    event_path = re.search(r"/manage/events/(\d+)/", page.url)
    assert event_path
    event_id = event_path.group(1)
    event_url = f"{live_server}/c/northfield/events/{event_id}"

    # Three members, each in a browser of their own, answer in turn.
    contexts: list[BrowserContext] = []
    try:
        pages = []
        for email, name in MEMBERS:
            context = browser.new_context(viewport=page.viewport_size)
            contexts.append(context)
            member = context.new_page()
            member.set_default_timeout(10_000)
            log_in(member, live_server, email, name)
            member.goto(event_url)
            expect(member.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
            pages.append(member)
        first, second, third = pages

        expect(seats(first)).to_have_text("2 seats left")
        first.get_by_role("button", name="Going", exact=True).click()
        expect(first.get_by_text("You're going! We've emailed you the details.")).to_be_visible()
        expect(rsvp_state(first)).to_have_text("You're going")

        second.reload()
        expect(seats(second)).to_have_text("1 seat left")
        second.get_by_role("button", name="Going", exact=True).click()
        expect(rsvp_state(second)).to_have_text("You're going")

        third.reload()
        expect(seats(third)).to_have_text("Full — join the waitlist")
        third.get_by_role("button", name="Join the waitlist").click()
        expect(third.get_by_text("The event is full, so you're on the waitlist.")).to_be_visible()
        expect(rsvp_state(third)).to_have_text("You're number 1 on the waitlist")

        # The first can't make it after all: their seat goes to the third.
        first.reload()
        first.get_by_text("Change", exact=True).click()
        first.get_by_role("button", name="Can't go").click()
        expect(first.get_by_text("Thanks for letting the organizers know you can't make it.")).to_be_visible()
        expect(rsvp_state(first)).to_have_text("You said you can't go")

        third.reload()
        expect(rsvp_state(third)).to_have_text("You're going")
        with app.app_context():
            [promoted] = outbox_messages(kind="events.promoted")
            assert promoted.to_address == MEMBERS[2][0]
            assert promoted.subject == f"A seat opened up: you're going to {TITLE}"
            assert outbox_messages(kind="events.promoted", to=MEMBERS[0][0]) == []
    finally:
        for context in contexts:
            context.close()

    # At the door, the organizer finds the promoted member by name and checks them in.
    page.goto(f"{live_server}/c/northfield/manage/events/{event_id}/rsvps")
    page.get_by_role("navigation", name="This event").get_by_role("link", name="Check-in").click()
    count = page.locator(".checkin__count")
    expect(count).to_have_text("0 of 2 checked in")
    page.get_by_label("Find someone by name").fill("Tanaka")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_text("Showing names with “Tanaka”.")).to_be_visible()
    rows = page.locator(".checkin-row")
    expect(rows).to_have_count(1)
    expect(rows.locator(".checkin-row__name")).to_have_text("Mei Tanaka")
    rows.get_by_role("button", name="Check in Mei Tanaka").click()
    expect(page.get_by_text("Mei Tanaka is checked in.")).to_be_visible()
    expect(count).to_have_text("1 of 2 checked in")
    expect(rows.get_by_role("button", name="Undo check-in of Mei Tanaka")).to_be_visible()
    expect(rows.get_by_text(re.compile(r"checked in at \d\d:\d\d"))).to_be_visible()
