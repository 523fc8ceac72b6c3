"""Helpers for the public event page tests: people in roles, RSVPs in bulk, the page as text."""

from __future__ import annotations

import json
import re
from html import unescape

from sqlalchemy import insert

from community.auth.models import User
from community.communities.models import Membership, MembershipStatus, Role
from community.core.models import utcnow
from community.events.models import Event
from community.extensions import db
from community.rsvps.models import RSVP, RSVPStatus
from tests.factories import create_membership


def member(community, name: str = "Mina Member", role: Role = Role.MEMBER) -> User:
    return create_membership(community, role=role, name=name).user


def page_url(event: Event) -> str:
    return f"/c/{event.community.slug}/events/{event.id}"


def bulk_rsvps(
    event: Event, count: int, status: RSVPStatus = RSVPStatus.GOING, listed: bool = True, members: bool = True
) -> None:
    """`count` people with an RSVP each (and, by default, a membership of the event's
    community, so that members see their names), inserted in a few statements."""
    start = db.session.query(User).count()
    now = utcnow()
    db.session.execute(
        insert(User),
        [
            {
                "email": f"bulk{start + i}@example.org",
                "name": f"Bulk Person {start + i}",
                "password_hash": "x",
                "email_verified_at": now,
            }
            for i in range(count)
        ],
    )
    ids = [uid for (uid,) in db.session.query(User.id).order_by(User.id.desc()).limit(count)]
    if members:
        db.session.execute(
            insert(Membership),
            [
                {
                    "community_id": event.community_id,
                    "user_id": uid,
                    "role": Role.MEMBER,
                    "status": MembershipStatus.ACTIVE,
                    "joined_at": now,
                }
                for uid in ids
            ],
        )
    db.session.execute(
        insert(RSVP),
        [
            {
                "event_id": event.id,
                "user_id": uid,
                "status": status,
                "guests": 0,
                "listed": listed,
                "answers": {},
                "queued_at": now,
            }
            for uid in ids
        ],
    )
    db.session.commit()


JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def json_ld_of(html: str) -> dict:
    match = JSON_LD.search(html)
    assert match, "no JSON-LD block on the page"
    return json.loads(match.group(1))


def text_of(html: str) -> str:
    """The page's text with tags removed and whitespace collapsed, for exact phrases."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def event_form(**overrides) -> dict:
    """The smallest valid new-event form, as a browser posts it; an override of None leaves
    the field out."""
    data = {
        "kind": "meetup",
        "title": "Summer drinks",
        "start_date": "2031-06-14",
        "start_time": "18:30",
        "end_time": "22:00",
        "timezone": "Europe/London",
        "guests_allowed": "0",
        "claim_window_minutes": "120",
        "visibility": "public",
        "repeat": "none",
        "repeat_end": "count",
        "repeat_count": "4",
        "repeat_ordinal": "1",
        "action": "publish",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def visitor_build_queries(app, url: str) -> tuple[int, str]:
    """The statements a visitor's page costs when it is built (not served from the cache), and
    its text: the front page is a visitor's (someone signed in gets their own home)."""
    from community.extensions import cache
    from tests.helpers import counting_queries

    visitor = app.test_client()
    cache.clear()
    with counting_queries(db.engine) as statements:
        response = visitor.get(url)
    assert response.status_code == 200
    return len(statements), text_of(response.get_data(as_text=True))
