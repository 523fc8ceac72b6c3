"""Issue 14 in a real browser: a member sets two goals on My goals (attend 1 event a month, make
1 new connection a month), is checked in at tonight's roundtable by its organizer and connects
with someone she met there, and sees both progress bars fill; her signed-in home shows her
events, a fading connection with the event he is going to, and her goals."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from playwright.sync_api import Page, expect

from community.core.models import utcnow
from community.events.timing import to_local
from community.extensions import db
from community.introductions import connections
from community.rsvps.checkin import check_in
from community.rsvps.models import RSVP
from tests.factories import (
    DEFAULT_PASSWORD,
    create_community,
    create_event,
    create_membership,
    create_rsvp,
    create_user,
)

pytestmark = pytest.mark.browser

MIA = ("mia@example.org", "Mia Member")


def log_in(page: Page, base: str, email: str, name: str) -> None:
    page.goto(base + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text(f"Welcome back, {name}.")).to_be_visible()


def set_goal(page: Page, base: str, kind: str) -> None:
    page.goto(base + "/me/goals")
    form = page.locator("section", has=page.get_by_role("heading", name="New goal"))
    form.get_by_label("Goal").select_option(label=kind)
    form.get_by_label("How many").fill("1")
    form.get_by_label("Each").select_option("month")
    form.get_by_role("button", name="Set goal").click()
    expect(page.get_by_text("Your goal is set.")).to_be_visible()


def test_a_member_sets_goals_attends_connects_and_sees_her_progress_and_home(live_server, page: Page, app):
    organizer = create_user(email="olu@example.org", name="Olu Organizer")
    community = create_community(organizer)  # Europe/London: her goals' months follow it
    mia = create_membership(community, email=MIA[0], name=MIA[1]).user
    bo = create_membership(community, email="bo@example.org", name="Bo Chen").user
    cy = create_membership(community, email="cy@example.org", name="Cy Okafor").user
    now_here = to_local(utcnow(), "Europe/London")
    tonight = create_event(  # started this hour, ends at midnight: not over before she's checked in
        community,
        organizer,
        title="Tonight's roundtable",
        day=now_here.date(),
        start_time=time(now_here.hour, 0),
        end_time=time(23, 59),
    )
    reunion = create_event(
        community, organizer, title="Winter reunion", day=(utcnow() + timedelta(days=14)).date()
    )
    picnic = create_event(
        community, organizer, title="Spring picnic", day=(utcnow() + timedelta(days=20)).date()
    )
    for event, person in ((tonight, mia), (tonight, bo), (reunion, mia), (picnic, cy)):
        create_rsvp(event, person)
    connections.connect(mia, cy, how=connections.MET, at=utcnow() - timedelta(days=250))
    db.session.commit()

    log_in(page, live_server, *MIA)
    set_goal(page, live_server, "Attend events")
    set_goal(page, live_server, "Make new connections")
    bars = page.locator("progress.goal__bar")
    expect(bars).to_have_count(2)
    for index in range(2):
        expect(bars.nth(index)).to_have_attribute("value", "0")
    expect(page.get_by_text("0 of 1", exact=False).first).to_be_visible()

    # At the door: the organizer checks her in; afterwards she and Bo connect.
    rsvp = db.session.scalar(db.select(RSVP).where(RSVP.event_id == tonight.id, RSVP.user_id == mia.id))
    check_in(rsvp, organizer)
    connections.connect(mia, bo, how=connections.MET, event=tonight)
    db.session.commit()

    page.reload()
    for index in range(2):
        expect(bars.nth(index)).to_have_attribute("value", "1")
    expect(page.get_by_text("1 of 1 (reached)")).to_have_count(2)

    page.goto(live_server + "/")
    events = page.locator("section", has=page.get_by_role("heading", name="Your upcoming events"))
    expect(events.get_by_role("link", name="Winter reunion")).to_be_visible()
    expect(events.get_by_text("You're going").first).to_be_visible()
    fading = page.locator("section", has=page.get_by_role("heading", name="Keep in touch"))
    expect(fading).to_contain_text("Fading Cy Okafor")
    expect(fading).to_contain_text("Cy Okafor is going to Spring picnic")
    expect(fading).not_to_contain_text("Bo Chen")
    goals = page.locator("section", has=page.get_by_role("heading", name="Your goals"))
    expect(goals.locator("progress")).to_have_count(2)
    expect(goals.get_by_label("Attend events: 1 of 1 event")).to_have_attribute("value", "1")
