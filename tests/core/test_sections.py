"""The registry: a new feature adds a community manage tab, an event manage tab and an event page
part with registration calls alone, editing no template or module of another feature."""

from __future__ import annotations

import re
from datetime import time, timedelta
from pathlib import Path

import pytest
from flask import Blueprint

from community.communities.models import Role
from community.core import sections
from community.core.models import utcnow
from tests.conftest import Client, close_app, make_app
from tests.factories import create_community, create_event, create_membership, create_user


def a_new_feature(templates: Path) -> Blueprint:
    """What the next feature (introductions, table plans, ...) would write, and nothing else."""
    (templates / "newfeature").mkdir(parents=True)
    (templates / "newfeature" / "_meet.html").write_text('<section class="card">{{ part.marker }}</section>')
    bp = Blueprint("newfeature", __name__, template_folder=str(templates))

    @bp.get("/c/<slug>/manage/badges")
    def badges(slug: str):
        return "badges"

    @bp.get("/c/<slug>/manage/events/<int:event_id>/quizzes")
    def quizzes(slug: str, event_id: int):
        return "quizzes"

    def meet_people(event, membership, viewer):
        if viewer is None:
            return None  # a part may show nothing to some viewers
        return {"template": "newfeature/_meet.html", "marker": f"Meet people at {event.title}"}

    @bp.record_once
    def register(state):
        owners_only = sections.Tab("Badges", "newfeature.badges", 55, shown=lambda m: m.is_owner)
        sections.add_tab(state.app, sections.COMMUNITY_MANAGE_TABS, owners_only)
        quizzes_tab = sections.Tab("Quizzes", "newfeature.quizzes", 35)
        sections.add_tab(state.app, sections.EVENT_MANAGE_TABS, quizzes_tab)
        sections.add_part(state.app, sections.EVENT_PAGE_SECTIONS, meet_people, order=10)

    return bp


@pytest.fixture
def feature_client(app, tmp_path):
    """A second app on the same database, with the new feature registered."""
    other = make_app(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path)
    other.register_blueprint(a_new_feature(tmp_path / "templates"))
    other.test_client_class = Client
    yield other.test_client()
    close_app(other)


@pytest.fixture
def event(app):
    owner = create_user(email="owner@example.org", name="Olive Owner")
    community = create_community(owner)
    create_membership(community, email="organizer@example.org", role=Role.ORGANIZER)
    day = (utcnow() + timedelta(days=7)).date()
    return create_event(
        community, owner, title="Spring roundtable", day=day, start_time=time(18), end_time=time(20)
    )


def tab_labels(page: str, nav_label: str) -> list[str]:
    nav = re.search(rf'<nav class="tabs" aria-label="{nav_label}">(.*?)</nav>', page, re.S)
    assert nav, f"no {nav_label} tab bar"
    return re.findall(r">([^<>]+)</a>", nav.group(1))


def test_a_feature_adds_tabs_in_order_and_only_for_whom_it_says(feature_client, event):
    feature_client.login("owner@example.org")
    page = feature_client.get(f"/c/northfield/manage/events/{event.id}/edit").get_data(as_text=True)

    community_tabs = tab_labels(page, "Organizer screens")
    assert community_tabs.index("Import") < community_tabs.index("Badges") < community_tabs.index("Settings")
    assert 'href="/c/northfield/manage/badges"' in page
    event_tabs = tab_labels(page, "This event")
    assert event_tabs.index("Check-in") < event_tabs.index("Quizzes") < event_tabs.index("Edit")
    assert f'href="/c/northfield/manage/events/{event.id}/quizzes"' in page

    feature_client.logout()
    feature_client.login("organizer@example.org")
    page = feature_client.get("/c/northfield/manage").get_data(as_text=True)
    assert "Badges" not in tab_labels(page, "Organizer screens")  # owners only


def test_a_feature_adds_a_part_to_the_event_page(feature_client, event):
    anonymous = feature_client.get(f"/c/northfield/events/{event.id}").get_data(as_text=True)
    assert "Meet people at" not in anonymous
    feature_client.login("owner@example.org")
    page = feature_client.get(f"/c/northfield/events/{event.id}").get_data(as_text=True)
    assert '<section class="card">Meet people at Spring roundtable</section>' in page


def test_without_the_feature_the_pages_are_as_before(client, event):
    client.login("owner@example.org")
    page = client.get(f"/c/northfield/manage/events/{event.id}/edit").get_data(as_text=True)
    assert "Badges" not in page and "Quizzes" not in page
    assert tab_labels(page, "Organizer screens")[:4] == ["Overview", "Insights", "Members", "Invitations"]


def test_the_current_tab_is_marked(client, event):
    client.login("owner@example.org")
    page = client.get(f"/c/northfield/manage/events/{event.id}/edit").get_data(as_text=True)
    assert '<a href="/c/northfield/manage/events" aria-current="page">Events</a>' in page
    assert f'<a href="/c/northfield/manage/events/{event.id}/edit" aria-current="page">Edit</a>' in page
