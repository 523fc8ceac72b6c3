"""Issue 11 in a real browser: two attendees of a roundtable opt in to introductions; one opens
"Meet people" and asks the other for an introduction from a suggestion; the other accepts from
the link in the email; both then see each other's contact details and each other in My network."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from community.events.models import EventKind
from community.extensions import db
from community.members.models import Profile
from tests.conftest import outbox_messages
from tests.factories import (
    DEFAULT_PASSWORD,
    create_community,
    create_event,
    create_membership,
    create_rsvp,
    create_user,
)

pytestmark = pytest.mark.browser

GRETA = ("greta@example.org", "Greta Lindqvist")
BRUNO = ("bruno@example.org", "Bruno Costa")


def log_in(page: Page, base: str, email: str, name: str, *, at: str = "/login") -> None:
    page.goto(base + at)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text(f"Welcome back, {name}.")).to_be_visible()


def opt_in(page: Page, base: str, meet_path: str, talk_about: str) -> None:
    page.goto(base + meet_path)
    page.get_by_label("Introduce me to others at this event").check()
    page.get_by_label("I'd like to talk about …").fill(talk_about)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Your introduction settings")).to_be_visible()


def test_two_attendees_meet_through_a_double_opt_in_introduction(
    live_server, page: Page, browser: Browser, app
):
    organizer = create_user(email="olu@example.org", name="Olu Organizer")
    community = create_community(organizer)
    people = {}
    for email, name in (GRETA, BRUNO):
        people[email] = create_membership(community, email=email, name=name).user
    db.session.get(Profile, people[GRETA[0]].id).can_help_with = ["PM career advice"]
    db.session.get(Profile, people[BRUNO[0]].id).looking_for = ["moving into product management"]
    event = create_event(community, organizer, title="Product roundtable", kind=EventKind.ROUNDTABLE)
    for person in people.values():
        create_rsvp(event, person)
    db.session.commit()
    meet_path = f"/c/northfield/events/{event.id}/meet"

    # Greta opts in, in a browser of her own.
    greta_context = browser.new_context(viewport=page.viewport_size)
    try:
        greta = greta_context.new_page()
        greta.set_default_timeout(10_000)
        log_in(greta, live_server, *GRETA)
        opt_in(greta, live_server, meet_path, "careers in product")

        # Bruno opts in and sees Greta suggested, with the reason in plain words.
        log_in(page, live_server, *BRUNO)
        opt_in(page, live_server, meet_path, "getting a first PM job")
        suggestion = page.locator(".suggestion", has_text=GRETA[1])
        expect(suggestion).to_contain_text(
            "Greta Lindqvist can help with PM career advice, which you are looking for"
        )
        suggestion.get_by_text("Ask for an introduction").click()
        suggestion.get_by_label(f"Your note to {GRETA[1]}").fill(
            "I'd love your advice on moving into product."
        )
        suggestion.get_by_role("button", name="Send request").click()
        expect(page.get_by_text(f"Request sent to {GRETA[1]}")).to_be_visible()

        # Greta follows the link in her email and says yes.
        (request,) = outbox_messages("introductions.request", to=GRETA[0])
        link = re.search(r"https?://\S+/me/introductions", request.body_text).group(0)
        greta.goto(live_server + urlsplit(link).path)  # the test app's links name its SERVER_NAME
        expect(greta.get_by_text("I'd love your advice on moving into product.")).to_be_visible()
        greta.get_by_role("button", name="Yes, introduce us").click()
        expect(greta.get_by_text(BRUNO[0])).to_be_visible()  # his contact details, now shared

        # Both see each other's contact details, and each other in My network.
        page.goto(live_server + "/me/introductions")
        expect(page.get_by_text(GRETA[0])).to_be_visible()
        for viewer, other in ((page, GRETA[1]), (greta, BRUNO[1])):
            viewer.goto(live_server + "/me/network")
            expect(viewer.get_by_role("link", name=other, exact=True)).to_be_visible()
            expect(viewer.get_by_text("Product roundtable").first).to_be_visible()
        greta.wait_for_load_state("networkidle")
    finally:
        greta_context.close()
