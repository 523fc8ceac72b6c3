"""Issue 12 in a real browser: an organizer makes a three-round plan for a roundtable, pins one
person, re-plans, publishes, prints round 1; an attendee then sees their tables on their ticket."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from community.extensions import db
from community.tables import queries
from tests.factories import DEFAULT_PASSWORD
from tests.tables.conftest import roundtable  # noqa: F401, F811 (a fixture: the event and its people)

pytestmark = pytest.mark.browser


def log_in(tab_page: Page, base: str, email: str) -> None:
    tab_page.goto(base + "/login")
    tab_page.get_by_label("Email").fill(email)
    tab_page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    tab_page.get_by_role("button", name="Log in").click()
    expect(tab_page.get_by_text("Welcome back")).to_be_visible()


def test_an_organizer_plans_pins_publishes_and_prints_and_an_attendee_sees_their_tables(
    live_server, page: Page, roundtable  # noqa: F811 (the fixture imported above)
):
    tab = f"{live_server}/c/northfield/manage/events/{roundtable.event.id}/tables"
    log_in(page, live_server, "org@example.org")
    page.goto(tab)
    page.get_by_label("People per table").fill("3")
    page.get_by_label("Rounds").fill("3")
    page.get_by_role("button", name="Make plan").click()
    expect(page.get_by_text("Plan made: Everyone meets 6 new people")).to_be_visible()

    ana = roundtable.person("Ana")
    page.get_by_label("Person", exact=True).select_option(label="Ana")
    page.get_by_label("Round", exact=True).select_option(label="Round 2")
    page.get_by_label("Table", exact=True).select_option(label="Table 4")
    page.get_by_role("button", name="Pin and re-plan").click()
    expect(page.get_by_text("Ana: round 2, Table 4")).to_be_visible()
    page.get_by_role("button", name="Re-plan", exact=True).click()
    expect(page.get_by_text("New plan made (the one before is kept below)")).to_be_visible()

    page.get_by_role("link", name="Publish…").click()
    expect(page.get_by_role("heading", name="Publish this table plan?")).to_be_visible()
    page.get_by_role("button", name="Publish and email attendees").click()
    expect(page.get_by_text("12 people were emailed")).to_be_visible()

    page.get_by_role("link", name="Print round 1").click()
    expect(page.get_by_role("heading", name="Round 1 of 3")).to_be_visible()
    expect(page.locator(".table-print__table")).to_have_count(4)

    db.session.expire_all()
    plan = queries.current_plan(roundtable.event)
    assert str(ana.id) in queries.rounds_of(plan)[1][3]  # the pin held through the re-plan
    mine = queries.your_tables(plan, ana)

    page.get_by_role("button", name="Log out").click()
    log_in(page, live_server, "ana@example.org")
    page.goto(f"{live_server}/c/northfield/events/{roundtable.event.id}/ticket")
    card = page.locator(".your-tables")
    expect(card.get_by_role("heading", name="Your tables")).to_be_visible()
    for row in mine:
        expect(card.get_by_text(row.sentence)).to_be_visible()
    assert mine[1].sentence.startswith("Round 2: table 4, with ")
