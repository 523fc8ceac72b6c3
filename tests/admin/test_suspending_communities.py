"""Suspending a community from /admin/: every page of it says so (410), its feeds answer 410
Gone, nobody can RSVP, and it leaves the front page and the list; restoring brings it back."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from community.admin.models import AdminAuditEntry
from community.communities.models import Community
from community.extensions import db
from community.rsvps.models import RSVP
from tests.factories import create_community, create_event, create_membership, create_user

SUSPENDED = "This community is suspended"


@pytest.fixture
def admin(db):
    return create_user(email="ada@example.org", name="Ada Admin", admin=True)


@pytest.fixture
def world(db):
    owner = create_user(name="Olive Owner")
    community = create_community(owner, directory_public=True)
    event = create_event(community, owner, title="Spring reunion")
    member = create_membership(community, name="Mia Member").user
    return community, event, member


def pages(event) -> list[str]:
    base = "/c/northfield"
    return [base, f"{base}/events", f"{base}/events/{event.id}", f"{base}/members", f"{base}/manage"]


def test_a_suspended_community_says_so_everywhere_until_it_is_restored(app, client, admin, world):
    community, event, member = world
    visitor = app.test_client()
    assert "Spring reunion" in visitor.get("/c/northfield").get_data(as_text=True)  # now stored
    assert "Spring reunion" in visitor.get("/").get_data(as_text=True)
    assert visitor.get("/c/northfield/calendar.ics").status_code == 200
    client.login(admin.email)

    confirm = client.get(f"/admin/communities/{community.id}/suspend").get_data(as_text=True)
    assert "Suspend Northfield Alumni?" in confirm
    done = client.submit(
        f"/admin/communities/{community.id}/suspend",
        {"reason": "Selling fake tickets"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Northfield Alumni is suspended" in done and "Selling fake tickets" in done

    for path in pages(event):
        response = visitor.get(path)
        assert (path, response.status_code) == (path, 410)
        assert SUSPENDED in response.get_data(as_text=True)
        assert "Spring reunion" not in response.get_data(as_text=True)
    for path in ("/c/northfield/calendar.ics", f"/c/northfield/events/{event.id}.ics"):
        feed = visitor.get(path)
        assert (feed.status_code, feed.content_type) == (410, "text/plain; charset=utf-8")
        assert feed.get_data(as_text=True) == "This community is suspended.\n"
    assert "Spring reunion" not in visitor.get("/").get_data(as_text=True)
    assert "Northfield Alumni" not in visitor.get("/communities").get_data(as_text=True)

    restored = client.submit(f"/admin/communities/{community.id}/restore", {"reason": "Refunds made"})
    assert restored.status_code == 302
    assert "Spring reunion" in visitor.get("/c/northfield").get_data(as_text=True)
    assert visitor.get("/c/northfield/calendar.ics").status_code == 200
    assert "Northfield Alumni" in visitor.get("/communities").get_data(as_text=True)
    db.session.expire_all()
    entries = db.session.scalars(select(AdminAuditEntry).order_by(AdminAuditEntry.id)).all()
    assert [(e.action, e.community_id, e.reason) for e in entries] == [
        ("community.suspended", community.id, "Selling fake tickets"),
        ("community.restored", community.id, "Refunds made"),
    ]


def test_members_cannot_rsvp_to_a_suspended_community(app, client, admin, world):
    community, event, member = world
    client.login(admin.email)
    client.submit(f"/admin/communities/{community.id}/suspend", {"reason": "Spam"})
    members_browser = app.test_client()
    members_browser.login(member.email)

    page = members_browser.get(f"/c/northfield/events/{event.id}")
    answer = members_browser.submit(
        f"/c/northfield/events/{event.id}/rsvp", {"response": "going", "listed": "y"}
    )

    assert page.status_code == 410 and SUSPENDED in page.get_data(as_text=True)
    assert answer.status_code == 410
    assert db.session.scalars(select(RSVP).where(RSVP.event_id == event.id)).all() == []


def test_suspending_twice_or_restoring_an_active_community_is_refused(client, admin, world):
    community, _, _ = world
    client.login(admin.email)
    restore = client.submit(f"/admin/communities/{community.id}/restore", {"reason": ""})
    assert restore.status_code == 422
    assert "Northfield Alumni is not suspended." in restore.get_data(as_text=True)
    client.submit(f"/admin/communities/{community.id}/suspend", {"reason": "Spam"})
    again = client.submit(f"/admin/communities/{community.id}/suspend", {"reason": "Spam again"})
    assert again.status_code == 422
    assert "Northfield Alumni is already suspended." in again.get_data(as_text=True)
    missing = client.submit(f"/admin/communities/{community.id}/suspend", {})
    db.session.expire_all()
    assert missing.status_code == 422
    assert db.session.get(Community, community.id).suspension_reason == "Spam"
    assert len(db.session.scalars(select(AdminAuditEntry)).all()) == 1
