"""The main action first (issue 10): on a phone the RSVP card starts within the first screen,
and on a laptop a keyboard user reaches "Going" in a few Tab presses, before the list of who's
going, however long that list is."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.factories import create_community, create_event, create_membership, create_rsvp, create_user

pytestmark = pytest.mark.browser


@pytest.fixture
def long_event(db):
    organizer = create_user(email="olu@example.org", name="Olu Organizer")
    community = create_community(organizer)
    event = create_event(
        community,
        organizer,
        title="Class of 2016: ten years on",
        description="Drinks, dinner and a class photo.\n\n" + "A long programme. " * 60,
        venue_name="The Old Library",
        address="1 College Green, Northfield",
    )
    for number in range(40):
        create_rsvp(event, create_membership(community, email=f"p{number}@example.org").user)
    return event


def test_the_rsvp_card_is_on_the_first_phone_screen(live_server, browser: Browser, long_event):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(f"{live_server}/c/northfield/events/{long_event.id}")
        box = page.locator("#rsvp").bounding_box()
        assert box is not None and box["y"] < 844, box
        going = page.get_by_role("button", name="Going").first.bounding_box()
        assert going is not None and going["y"] + going["height"] <= 844, going
        page.wait_for_load_state("networkidle")
    finally:
        context.close()


def test_a_keyboard_reaches_the_rsvp_before_the_attendee_list(live_server, browser: Browser, long_event):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    try:
        page = context.new_page()
        page.goto(f"{live_server}/c/northfield/events/{long_event.id}")
        presses = 0
        while presses < 15:
            page.keyboard.press("Tab")
            presses += 1
            if page.evaluate("document.activeElement.closest('#rsvp') !== null"):
                break
        else:
            pytest.fail("15 Tab presses did not reach the RSVP card")
        in_attendees = page.evaluate("document.activeElement.closest('.attendee-list') !== null")
        assert not in_attendees
        page.wait_for_load_state("networkidle")
    finally:
        context.close()
