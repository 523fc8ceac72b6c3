"""The Insights figures are kept per state (insights/state.py): a repeat view reads them from the
cache in one statement, and any change they depend on shows at once."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from community.core.audit import AuditEntry
from community.extensions import db
from community.insights import state
from community.rsvps.models import RSVP
from tests.insights.test_routes import PAGE, _world


def _attendance_cells(client, title: str = "Meetup 1") -> list[str]:
    page = client.get(f"{PAGE}?period=12").get_data(as_text=True)
    cells = re.search(rf'<th scope="row">{title}</th>(.*?)</tr>', page, flags=re.S).group(1)
    return re.findall(r'data-label="[^"]+">([^<]*)<', cells)[1:]


def test_a_repeat_view_reads_the_figures_in_fewer_statements(client, history, count_queries):
    _world(history)
    client.login(history.owner.email)
    with count_queries() as first:
        before = _attendance_cells(client)
    with count_queries() as again:
        assert _attendance_cells(client) == before == ["3", "2", "33%", "5"]
    assert len(again) < len(first) - 8, (len(first), len(again))


def test_a_check_in_shows_at_once(client, history):
    members = _world(history)
    client.login(history.owner.email)
    assert _attendance_cells(client) == ["3", "2", "33%", "5"]
    rsvp = db.session.scalar(select(RSVP).where(RSVP.user_id == members[2].id).order_by(RSVP.event_id))
    rsvp.checked_in_at = history.ago(1)
    db.session.commit()
    assert _attendance_cells(client) == ["3", "3", "0%", "5"]


def test_introductions_and_leavers_show_at_once(client, history):
    members = _world(history)
    client.login(history.owner.email)
    page = client.get(f"{PAGE}/introductions.csv").get_data(as_text=True)
    history.introduction(members[0], members[2], history.now - timedelta(hours=1))
    assert client.get(f"{PAGE}/introductions.csv").get_data(as_text=True) != page
    growth = client.get(f"{PAGE}/members.csv").get_data(as_text=True)
    db.session.add(AuditEntry(community_id=history.community.id, action="member.left", detail=""))
    db.session.commit()
    assert client.get(f"{PAGE}/members.csv").get_data(as_text=True) != growth


def test_the_key_moves_when_an_event_starts_or_a_boundary_passes(history):
    soon = history.event("Starting soon", history.now + timedelta(hours=1))
    key = state.state_key(history.community.id, "12", history.ago(12), history.now)
    assert state.state_key(history.community.id, "12", history.ago(12), history.now) == key
    later = soon.starts_at + timedelta(minutes=1)
    assert state.state_key(history.community.id, "12", history.ago(12), later) != key
