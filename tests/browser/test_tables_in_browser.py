"""Issue 12 in a real browser, on the demo: the organizer makes a three-round plan for the next
product roundtable (the demo already published one), pins Mia Member, re-plans, publishes and
prints round 1; Mia then sees her tables on her ticket, on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from community.auth.models import User
from community.core.models import utcnow
from community.demo.cli import DEMO_PASSWORD
from community.events.models import Event
from community.extensions import db
from community.tables import queries

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def log_in(tab_page: Page, base: str, email: str) -> None:
    tab_page.goto(base + "/login")
    tab_page.get_by_label("Email").fill(email)
    tab_page.get_by_label("Password").fill(DEMO_PASSWORD)
    tab_page.get_by_role("button", name="Log in").click()
    expect(tab_page.get_by_text("Welcome back")).to_be_visible()


def demo_roundtable(app) -> Event:
    """The demo's next product roundtable, with its published plan."""
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    event = db.session.scalar(
        select(Event)
        .where(Event.title.startswith("Product Roundtable"), Event.starts_at > utcnow())
        .order_by(Event.starts_at)
        .limit(1)
    )
    assert queries.published_plan(event) is not None
    return event


@pytest.mark.parametrize("page", [LAPTOP], ids=["laptop"], indirect=True)
def test_the_organizer_replans_the_demo_roundtable_and_mia_sees_her_tables(app, live_server, page, browser):
    event = demo_roundtable(app)
    seated = len(queries.tables_people(queries.published_plan(event)))
    tab = f"{live_server}/c/{event.community.slug}/manage/events/{event.id}/tables"
    log_in(page, live_server, "organizer@example.org")
    page.goto(tab)
    expect(page.get_by_text("Attendees see their tables.")).to_be_visible()
    page.get_by_label("People per table").fill("4")
    page.get_by_label("Rounds").fill("3")
    page.get_by_role("button", name="Make plan").click()
    expect(page.get_by_text("Plan made: Everyone meets")).to_be_visible()
    expect(page.get_by_text("Attendees still see the plan published")).to_be_visible()

    page.get_by_label("Person", exact=True).select_option(label="Mia Member")
    page.get_by_label("Round", exact=True).select_option(label="Round 2")
    page.get_by_label("Table", exact=True).select_option(label="Table 5")
    page.get_by_role("button", name="Pin and re-plan").click()
    expect(page.get_by_text("Mia Member: round 2, Table 5")).to_be_visible()
    page.get_by_role("button", name="Re-plan", exact=True).click()
    expect(page.get_by_text("New plan made (the one before is kept below)")).to_be_visible()
    expect(page.locator(".table-plans__history tbody tr")).to_have_count(5)  # the demo's two, and three

    page.get_by_role("link", name="Publish…").click()
    expect(page.get_by_role("heading", name="Publish this table plan?")).to_be_visible()
    page.get_by_role("button", name="Publish and email attendees").click()
    expect(page.get_by_text(f"{seated} people were emailed")).to_be_visible()
    expect(page.get_by_text("Attendees see their tables.")).to_be_visible()

    page.get_by_role("link", name="Print round 1").click()
    expect(page.get_by_role("heading", name="Round 1 of 3")).to_be_visible()
    expect(page.locator(".table-print__table")).to_have_count(5)

    db.session.expire_all()
    mia = db.session.scalar(select(User).where(User.email == "member@example.org"))
    plan = queries.current_plan(event)
    assert plan.published_at is not None
    assert str(mia.id) in queries.rounds_of(plan)[1][4]  # the pin held through the re-plan
    mine = queries.your_tables(plan, mia)
    assert mine[1].sentence.startswith("Round 2: table 5, with ")

    phone = browser.new_context(viewport=PHONE).new_page()
    log_in(phone, live_server, "member@example.org")
    phone.goto(f"{live_server}/c/{event.community.slug}/events/{event.id}/ticket")
    card = phone.locator(".your-tables")
    expect(card.get_by_role("heading", name="Your tables")).to_be_visible()
    for row in mine:
        expect(card.get_by_text(row.sentence)).to_be_visible()
    phone.context.close()
