"""Calendar feeds: the personal feed's settings page, and the .ics documents."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from community.communities.access import load_community, viewer_membership
from community.communities.models import Community
from community.communities.queries import community_by_slug
from community.core import sections
from community.core.cache import cached_bytes
from community.core.forms import EmptyForm
from community.core.ical.document import MEDIA_TYPE, ics_filename
from community.core.models import utcnow
from community.events.calendar import event_url
from community.events.models import Event, EventStatus, EventVisibility
from community.events.permissions import can_view_event
from community.events.queries import event_in
from community.extensions import db
from community.feeds import documents, links, queries, tokens
from community.feeds.conditional import PUBLIC_CACHE_CONTROL, answer_conditional_feeds
from community.feeds.documents import FeedState
from community.feeds.forms import IncludeCommunityEventsForm
from community.rsvps.join import rsvp_id_in
from community.rsvps.models import RSVP, RSVPStatus

bp = Blueprint("feeds", __name__)


def event_calendar_links(event: Event) -> dict:
    """Add-to-calendar links (Google, Outlook, .ics, subscribe) for an event page."""
    feed_url = url_for("feeds.community_feed", slug=event.community.slug, _external=True)
    when = {
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "all_day": event.all_day,
        "zone": event.timezone,
    }
    about = {
        "title": event.title,
        "details": event_url(event),
        "location": ", ".join(part for part in (event.venue_name, event.address) if part),
    }
    return {
        "template": "feeds/_event_links.html",
        "download_url": url_for("feeds.event_file", slug=event.community.slug, event_id=event.id),
        "google_url": links.google_add_event(**about, **when),
        "outlook_url": links.outlook_add_event(**about, **when),
        "webcal_url": links.webcal(feed_url),
        "community_name": event.community.name,
    }


def community_calendar_links(community: Community) -> dict:
    """Subscribe links for a community page."""
    feed_url = url_for("feeds.community_feed", slug=community.slug, _external=True)
    return {
        "template": "feeds/_community_links.html",
        "feed_url": feed_url,
        "webcal_url": links.webcal(feed_url),
        "google_url": links.google_subscribe(feed_url),
        "outlook_url": links.outlook_subscribe(feed_url, community.name),
    }


def account_calendar_section(user) -> dict:
    """The account page's "Calendar" card, which leads to the calendar settings."""
    return {"template": "feeds/_account_calendar.html"}


@bp.record_once
def _provide_sections(state) -> None:
    sections.provide(state.app, sections.EVENT_CALENDAR_LINKS, event_calendar_links)
    sections.provide(state.app, sections.COMMUNITY_CALENDAR_LINKS, community_calendar_links)
    sections.add_part(state.app, sections.ACCOUNT_SECTIONS, account_calendar_section, order=20)
    answer_conditional_feeds(state.app)


def personal_feed_url(row) -> str:
    return url_for("feeds.personal_feed", token=tokens.feed_token(row), _external=True)


@bp.get("/account/calendar")
@login_required
def settings():
    row = tokens.token_of(current_user)
    feed_url = personal_feed_url(row) if row is not None else None
    return render_template(
        "feeds/settings.html",
        feed_url=feed_url,
        webcal_url=links.webcal(feed_url) if feed_url else None,
        google_url=links.google_subscribe(feed_url) if feed_url else None,
        outlook_url=links.outlook_subscribe(feed_url, "Roundtable") if feed_url else None,
        include_form=IncludeCommunityEventsForm(include=row.include_community_events if row else False),
        form=EmptyForm(),
    )


@bp.post("/account/calendar/regenerate")
@login_required
def regenerate():
    if EmptyForm().validate_on_submit():
        had_one = tokens.token_of(current_user) is not None
        tokens.regenerate(current_user)
        flash(
            "Here is your new calendar address. The old one has stopped working: "
            "subscribe again in your calendar app with this one."
            if had_one
            else "Your calendar address is ready. Add it to your calendar app.",
            "success",
        )
    return redirect(url_for("feeds.settings"))


@bp.post("/account/calendar/revoke")
@login_required
def revoke():
    if EmptyForm().validate_on_submit():
        tokens.revoke(current_user)
        flash("Your calendar address no longer works. Calendar apps will stop showing its events.", "info")
    return redirect(url_for("feeds.settings"))


@bp.post("/account/calendar/include")
@login_required
def include_community_events():
    form = IncludeCommunityEventsForm()
    if form.validate_on_submit():
        tokens.set_include_community_events(current_user, bool(form.include.data))
        flash("Saved. Calendar apps pick the change up the next time they refresh.", "success")
    return redirect(url_for("feeds.settings"))


def _serve(state: FeedState, build: Callable[[], bytes], *, private: bool, filename: str | None = None):
    """The calendar, or 304 when the client's copy is current: decided from the state alone,
    before anything is built. HEAD is answered like GET, without the body."""
    last_modified = state.last_modified.replace(microsecond=0)
    not_modified = (
        request.if_none_match.contains(state.etag)
        if request.if_none_match
        else request.if_modified_since is not None and last_modified <= request.if_modified_since
    )
    response = Response(status=304) if not_modified else Response(build(), content_type=MEDIA_TYPE)
    response.set_etag(state.etag)
    response.last_modified = last_modified
    if private:
        response.headers["Cache-Control"] = "private, max-age=300"
        response.headers["X-Robots-Tag"] = "noindex"
    else:
        response.headers["Cache-Control"] = PUBLIC_CACHE_CONTROL
    if filename and not not_modified:
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _gone() -> Response:
    """A suspended community's calendars answer 410 Gone in plain text: a calendar app shows
    no page, and 410 tells it to stop asking (and drop the events)."""
    gone = Response("This community is suspended.\n", status=410, content_type="text/plain; charset=utf-8")
    gone.cache_control.no_store = True
    return gone


def _feed_community(slug: str) -> Community:
    """The community of a calendar document.

    :raises HTTPException: 404 for no such community, 410 for a suspended one."""
    community = community_by_slug(slug)
    if community is None:
        abort(404)
    if community.is_suspended:
        abort(_gone())
    return community


@bp.get("/c/<slug>/events/<int:event_id>.ics")
def event_file(slug: str, event_id: int):
    """One event to download and add to a calendar; visible to whoever may see its page."""
    community = _feed_community(slug)
    event = event_in(community, event_id)
    if event is None or not can_view_event(event, viewer_membership(community)):
        abort(404)
    state = documents.event_state(event)
    return _serve(
        state,
        lambda: documents.event_document(event, state),
        private=event.visibility != EventVisibility.PUBLIC,
        filename=ics_filename(event.title),
    )


@bp.get("/c/<slug>/calendar.ics")
def community_feed(slug: str):
    """The community's public events, upcoming and of the past year, to subscribe to.
    Conditional GETs are mostly answered before Flask (feeds.conditional), from the same state."""
    version = queries.community_feed_version(slug)
    if version is None:
        abort(404)
    if version.suspended:
        abort(_gone())
    day = documents.feed_day(utcnow())
    state = documents.community_state(version, day, current_app.config)

    def build() -> bytes:
        community = db.session.get(Community, version.community_id)
        return documents.community_document(community, queries.community_feed_rows(community, day), state)

    # The same state is the same document (its DTSTAMP is the state's last change), so the
    # assembled bytes are kept under the ETag: a fresh request skips the rows and VEVENTs.
    return _serve(state, lambda: cached_bytes(f"feed:{state.etag}", build), private=False)


@bp.get("/calendar/<token>.ics")
def personal_feed(token: str):
    """A person's events; an unknown, replaced or revoked token is a plain 404."""
    found = tokens.owner_of(token)
    if found is None:
        abort(404)
    user, row = found
    entries = queries.personal_feed_entries(
        user, include_community_events=row.include_community_events, now=utcnow()
    )
    entries = [entry for entry in entries if not entry.event.community.is_suspended]  # loaded with them
    state = documents.personal_state(user, entries, row.include_community_events)
    return _serve(state, lambda: documents.personal_document(user, entries, state), private=True)


@bp.get("/c/<slug>/events/<int:event_id>/join/<token>")
def join_online(slug: str, event_id: int, token: str):
    """The per-attendee link in calendars and invitations: to the current meeting link, for
    as long as the person is going."""
    community = load_community(slug)
    event = event_in(community, event_id)
    rsvp_id = rsvp_id_in(token, event_id)
    rsvp = db.session.get(RSVP, rsvp_id) if rsvp_id is not None and event is not None else None
    if rsvp is None or rsvp.event_id != event.id:
        abort(404)
    if rsvp.status != RSVPStatus.GOING or event.status == EventStatus.CANCELLED or not event.online_url:
        return render_template(
            "feeds/join_unavailable.html", event=event, community=community, rsvp=rsvp
        ), 410
    response = redirect(event.online_url)
    response.headers["Cache-Control"] = "no-store"  # the link may change; always ask again
    return response
