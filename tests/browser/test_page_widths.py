"""No page is wider than the window: one page of each kind, on the demo data, as a visitor, a
member, an organizer and the admin, from a small phone to a wide desktop (issue 10). A long word
or a long button label must wrap, not push the page sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser
from sqlalchemy import select

from community.auth.models import User
from community.communities.import_csv import parse_csv
from community.communities.imports import create_batch, run_all
from community.communities.models import Community
from community.demo.cli import DEMO_LOGINS, DEMO_PASSWORD
from community.events.models import Event
from community.extensions import db
from community.feeds.tokens import regenerate
from community.rsvps.models import RSVP, RSVPStatus

pytestmark = pytest.mark.browser

WIDTHS = (320, 390, 768, 1366, 1920)
ALUMNI = "northfield-alumni"
#: An import with a long address and a bad row, so its result page lists both.
IMPORT_CSV = (
    b"Email,Name,Class year\n"
    b"margaret.oyelaran-whitfield.class-of-2011@alumni.northfield-university.example.org,"
    b"Margaret Oyelaran-Whitfield,2011\n"
    b"bo@example.org,Bo Chen,2012\nnot-an-address,Nobody,2013\n"
)


def event_id(title_start: str) -> int:
    return db.session.scalar(select(Event.id).where(Event.title.startswith(title_start)))


def seed_demo(app) -> dict[str, list[str]]:
    """Load the demo and add what it lacks (a finished import, the member's calendar address);
    returns the paths to visit for each login ("visitor": not signed in)."""
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    users = {
        email.split("@")[0]: db.session.scalar(select(User).where(User.email == email))
        for email, *_ in DEMO_LOGINS
    }
    alumni = db.session.scalar(select(Community).where(Community.slug == ALUMNI))
    with app.test_request_context():
        batch = create_batch(alumni, users["organizer"], "northfield-class-lists.csv", parse_csv(IMPORT_CSV))
        run_all(alumni, batch, users["organizer"])
    regenerate(users["member"])
    db.session.commit()

    reunion = event_id("Class of 2016")
    social = event_id("Cohort 12")
    ticket = db.session.execute(
        select(Community.slug, Event.id)
        .join(Event, Event.community_id == Community.id)
        .join(RSVP, RSVP.event_id == Event.id)
        .where(RSVP.user_id == users["member"].id, RSVP.status == RSVPStatus.GOING)
        .order_by(Event.starts_at.desc())
        .limit(1)
    ).one()
    event = f"/c/{ALUMNI}/events/{reunion}"
    public = ["/", "/communities", f"/c/{ALUMNI}", event, f"/c/launchpad-cohort-12/events/{social}"]
    manage = f"/c/{ALUMNI}/manage"
    return {
        "visitor": public,
        "member@example.org": [
            *public,
            f"/c/{ALUMNI}/members",
            f"{event}/attendees",
            f"/c/{ticket.slug}/events/{ticket.id}/ticket",
            "/account",
            "/account/calendar",
            "/profile",
            f"/people/{users['organizer'].id}",
        ],
        "organizer@example.org": [
            "/",
            f"/c/{ALUMNI}",
            event,
            manage,
            f"{manage}/members",
            f"{manage}/invitations",
            f"{manage}/import/{batch.id}",
            f"{manage}/events/{reunion}/rsvps",
            f"{manage}/events/{reunion}/checkin",
        ],
        "admin@example.org": ["/admin/", "/account"],
    }


def too_wide(browser: Browser, base: str, login: str, paths: list[str]) -> list[str]:
    """The pages (with the window width) whose document is wider than the window."""
    context = browser.new_context(viewport={"width": WIDTHS[0], "height": 844})
    page = context.new_page()
    page.set_default_timeout(10_000)
    if login != "visitor":
        page.goto(base + "/login")
        page.get_by_label("Email").fill(login)
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(lambda url: "/login" not in url)
    found = []
    for path in paths:
        response = page.goto(base + path)
        assert response is not None and response.ok, f"{login} {path}: {response and response.status}"
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 844})
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > width:
                found.append(f"{login} {path} at {width} px: {scroll_width} px wide")
    page.wait_for_load_state("networkidle")
    context.close()
    return found


def test_no_page_is_wider_than_the_window(live_server, browser: Browser, app):
    pages = seed_demo(app)

    found = [line for login, paths in pages.items() for line in too_wide(browser, live_server, login, paths)]

    assert found == [], "pages wider than the window:\n" + "\n".join(found)
