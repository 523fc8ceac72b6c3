"""Public event pages, RSVPs, the community's list of events and the front page's events.

URLs here are public and stable (calendars and other sites link to them):
/c/<slug>/events/<id>, /c/<slug>/events, and the site's front page.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user

from community.communities.access import load_community, viewer_membership
from community.communities.models import Community, Membership
from community.core import sections
from community.core.errors import DomainError
from community.core.forms import EmptyForm
from community.core.models import utcnow
from community.core.pagination import page_arg
from community.events import notifications, preferences, queries, rsvps
from community.events.forms import ListedForm, RSVPForm, rsvp_form
from community.events.models import Event, RSVPStatus
from community.events.pages import canonical_url, event_page_context
from community.events.permissions import can_rsvp, can_see_attendees, can_view_event

bp = Blueprint("events", __name__)

#: Session key for an RSVP chosen before logging in, kept until it is confirmed.
KEPT = "kept_rsvp"

FLASHES = {
    RSVPStatus.GOING: "You're going! We've emailed you the details.",
    RSVPStatus.WAITLISTED: "The event is full, so you're on the waitlist. If a seat opens up, "
    "it's yours automatically and we'll email you.",
    RSVPStatus.PENDING: "Thanks! The organizers approve each RSVP; we'll email you when they decide.",
    RSVPStatus.NOT_GOING: "Thanks for letting the organizers know you can't make it.",
}


def _viewer():
    return current_user if current_user.is_authenticated else None


def _load(slug: str, event_id: int):
    """:raises NotFound: no such event, or one this viewer may not see (drafts, members-only)."""
    community = load_community(slug)
    event = queries.event_in(community, event_id)
    membership = viewer_membership(community)
    if event is None or not can_view_event(event, membership):
        abort(404)
    return community, event, membership


def _kept_for(event: Event) -> dict | None:
    kept = session.get(KEPT)
    return kept if kept and kept.get("event_id") == event.id else None


def _render_event(community, event, membership, form: RSVPForm | None = None, error: str | None = None):
    viewer = _viewer()
    context = event_page_context(community, event, membership, viewer, utcnow())
    kept = _kept_for(event) if viewer is not None else None
    if form is None:
        form = rsvp_form(event, rsvp=context["my_rsvp"], kept=kept, formdata=None)
    return render_template(
        "events/event.html",
        form=form,
        kept=kept,
        rsvp_error=error,
        empty_form=EmptyForm(),
        **context,
    )


@bp.get("/c/<slug>/events/<int:event_id>")
def event_page(slug: str, event_id: int):
    community, event, membership = _load(slug, event_id)
    return _render_event(community, event, membership)


@bp.get("/c/<slug>/events/<int:event_id>-<path:words>")
def event_page_with_words(slug: str, event_id: int, words: str):
    """Links with the title in them ("/c/x/events/12-summer-reunion") lead to the canonical URL."""
    community, event, _ = _load(slug, event_id)
    return redirect(url_for("events.event_page", slug=community.slug, event_id=event.id), 301)


@bp.post("/c/<slug>/events/<int:event_id>/rsvp")
def rsvp(slug: str, event_id: int):
    """Going / can't go. Logged out: the choice is kept and the visitor logs in (or signs up)
    first, then confirms it on the event page."""
    community, event, membership = _load(slug, event_id)
    form = rsvp_form(event)
    if not form.validate_on_submit():
        return _render_event(community, event, membership, form=form), 422
    if not current_user.is_authenticated:
        session[KEPT] = {"event_id": event.id, **form.kept()}
        flash("Log in or create an account to finish your RSVP. We've kept your answers.", "info")
        return redirect(url_for("auth.login", next=canonical_url(event)))
    if not can_rsvp(event, membership):
        abort(404)
    before = rsvps.rsvp_of(event, current_user)
    old_status = before.status if before is not None else None
    try:
        change = rsvps.respond(
            event,
            current_user,
            going=form.is_going,
            guests=form.guest_count(),
            answers=form.answers(),
            listed=bool(form.listed.data),
        )
    except DomainError as error:
        return _render_event(community, event, membership, form=form, error=error.message), 422
    if change.rsvp.status != old_status:
        notifications.rsvp_confirmation(change.rsvp)
        flash(FLASHES.get(change.rsvp.status, "Your RSVP is saved."), "success")
    else:
        flash("Your RSVP is updated.", "success")
    notifications.seats_given(change)
    session.pop(KEPT, None)
    return redirect(canonical_url(event, _anchor="rsvp"))


@bp.post("/c/<slug>/events/<int:event_id>/rsvp/forget")
def forget_kept_rsvp(slug: str, event_id: int):
    """Drop an RSVP kept through logging in, without answering."""
    _, event, _ = _load(slug, event_id)
    if EmptyForm().validate_on_submit():
        session.pop(KEPT, None)
    return redirect(canonical_url(event))


@bp.post("/c/<slug>/events/<int:event_id>/rsvp/listed")
def rsvp_listed(slug: str, event_id: int):
    """Appear in "who's going" or not, without changing the RSVP."""
    _, event, _ = _load(slug, event_id)
    if not current_user.is_authenticated:
        abort(404)
    mine = rsvps.rsvp_of(event, current_user)
    form = ListedForm()
    if mine is None or not form.validate_on_submit():
        abort(400)
    preferences.set_listed(mine, bool(form.listed.data))
    flash(
        "You're shown in the list of who's going."
        if mine.listed
        else "You're no longer shown in the list of who's going.",
        "success",
    )
    return redirect(canonical_url(event, _anchor="attendees"))


@bp.get("/c/<slug>/events/<int:event_id>/attendees")
def attendees(slug: str, event_id: int):
    """Everyone going who agreed to be listed, a page at a time."""
    community, event, membership = _load(slug, event_id)
    if not can_see_attendees(event, membership):
        abort(404)
    pagination, people = queries.attendees_page(event, _viewer(), page_arg())
    return render_template(
        "events/attendees.html",
        community=community,
        event=event,
        pagination=pagination,
        people=people,
        count=queries.headcount(event),
    )


@bp.get("/c/<slug>/events")
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
