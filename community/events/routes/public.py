"""Public event pages, the community's list of events and the front page's events.

URLs here are public and stable (calendars and other sites link to them):
/c/<slug>/events/<id>, /c/<slug>/events, and the site's front page.
"""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user

from community.communities.access import load_community, viewer_membership
from community.communities.models import Community, Membership
from community.communities.queries import community_page_state
from community.core import sections
from community.core.models import utcnow
from community.core.pagination import page_arg
from community.core.public_pages import for_visitors
from community.events import queries
from community.events.access import load_visible_event
from community.events.pages import render_event_page
from community.events.routes.covers import COVER_RULE, event_cover

bp = Blueprint("events", __name__)
bp.add_url_rule(COVER_RULE, view_func=event_cover, methods=["GET"])  # its own module: images, not pages


def _viewer():
    return current_user if current_user.is_authenticated else None


@bp.get("/c/<slug>/events/<int:event_id>")
@for_visitors(queries.event_page_state)
def event_page(slug: str, event_id: int):
    community, event, membership = load_visible_event(slug, event_id)
    return render_event_page(community, event, membership)


@bp.get("/c/<slug>/events/<int:event_id>-<path:words>")
def event_page_with_words(slug: str, event_id: int, words: str):
    """Links with the title in them ("/c/x/events/12-summer-reunion") lead to the canonical URL."""
    community, event, _ = load_visible_event(slug, event_id)
    return redirect(url_for("events.event_page", slug=community.slug, event_id=event.id), 301)


@bp.get("/c/<slug>/events")
@for_visitors(community_page_state)
def community_events(slug: str):
    """Upcoming events, or past ones (?when=past), that this viewer may see."""
    community = load_community(slug)
    membership = viewer_membership(community)
    past = request.args.get("when") == "past"
    pagination = queries.community_events(community, membership, past=past, page=page_arg(), now=utcnow())
    return render_template(
        "events/community_events.html",
        community=community,
        membership=membership,
        past=past,
        pagination=pagination,
        cards=queries.event_cards(list(pagination.items), _viewer()),
    )


def front_page_section(page: int) -> dict:
    """The front page's "upcoming events" (core renders it without importing events)."""
    pagination = queries.public_upcoming(page=page, now=utcnow())
    return {
        "template": "events/_front_page.html",
        "pagination": pagination,
        "cards": queries.event_cards(list(pagination.items), _viewer()),
    }


def community_home_section(community: Community, membership: Membership | None) -> dict:
    """A community home page's next few events (communities renders it without importing events)."""
    pagination = queries.community_events(community, membership, past=False, page=1, now=utcnow(), per_page=4)
    return {
        "template": "events/_community_home.html",
        "community": community,
        "pagination": pagination,
        "cards": queries.event_cards(list(pagination.items), _viewer()),
    }


@bp.record_once
def _provide_sections(state) -> None:
    sections.provide(state.app, sections.FRONT_PAGE_EVENTS, front_page_section)
    sections.provide(state.app, sections.COMMUNITY_EVENTS, community_home_section)
    sections.provide(state.app, sections.PAGES_NEXT_CHANGE, queries.next_change)
