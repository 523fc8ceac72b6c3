"""Answering an event (going / can't go), "show me in the list", who's going, and the
attendee's ticket; and what the event pages show of seats (registered with events).

The URLs stay under the event's (/c/<slug>/events/<id>/...): emails and calendars link there.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from community.auth.models import User
from community.communities.access import load_community
from community.communities.models import Community, Membership
from community.core import sections
from community.core.access import Disclosure, Prompt, require
from community.core.errors import DomainError
from community.core.forms import EmptyForm
from community.core.models import utcnow
from community.core.pagination import page_arg
from community.events import hooks
from community.events.access import load_visible_event, members_only_prompt
from community.events.models import Event
from community.events.pages import canonical_url, render_event_page
from community.events.presentation import when
from community.events.queries import event_in
from community.events.services import is_past
from community.rsvps import checkin, page, preferences, queries
from community.rsvps.capacity import SEAT_KEEPER
from community.rsvps.forms import ListedForm, rsvp_form
from community.rsvps.models import RSVPStatus
from community.rsvps.permissions import can_rsvp, can_see_attendees
from community.rsvps.services import respond

bp = Blueprint("rsvps", __name__)

#: Session key for an RSVP chosen before logging in, kept until it is confirmed.
KEPT = "kept_rsvp"

FLASHES = {
    RSVPStatus.GOING: "You're going! We've emailed you the details.",
    RSVPStatus.WAITLISTED: "The event is full, so you're on the waitlist. If a seat opens up, "
    "it's yours automatically and we'll email you.",
    RSVPStatus.PENDING: "Thanks! The organizers approve each RSVP; we'll email you when they decide.",
    RSVPStatus.NOT_GOING: "Thanks for letting the organizers know you can't make it.",
}


def _kept_for(event: Event) -> dict | None:
    kept = session.get(KEPT)
    return kept if kept and kept.get("event_id") == event.id else None


def attendance_section(
    event: Event, membership: Membership | None, viewer: User | None, now: datetime, answer: dict[str, Any]
) -> dict[str, Any]:
    """The event page's seats, who's going and the answer card (events.hooks.EVENT_ATTENDANCE);
    `answer` is the form (and error) the rsvp route shows again."""
    context = page.attendance(event, membership, viewer, now)
    kept = _kept_for(event) if viewer is not None else None
    form = answer.get("form")
    if form is None and viewer is not None:  # a visitor answers on rsvp_page: no CSRF token here
        form = rsvp_form(event, rsvp=context["my_rsvp"], kept=kept, formdata=None)
    return {
        **context,
        "form": form,
        "kept": kept,
        "rsvp_error": answer.get("error"),
        "empty_form": EmptyForm() if viewer is not None else None,
    }


@bp.get("/c/<slug>/events/<int:event_id>/rsvp")
def rsvp_page(slug: str, event_id: int):
    """A visitor's answer form: the event page, the same for every visitor, leads here, and
    the form's CSRF token (the visitor's session) starts here. Signed in: the event page."""
    community, event, membership = load_visible_event(slug, event_id)
    if current_user.is_authenticated:
        return redirect(canonical_url(event, _anchor="rsvp"))
    context = page.attendance(event, membership, None, utcnow())
    if context["closed_reason"]:
        return redirect(canonical_url(event, _anchor="rsvp"))
    primary = "not_going" if request.args.get("response") == "not_going" else "going"
    return render_template(
        "rsvps/answer.html",
        community=community,
        event=event,
        form=rsvp_form(event, formdata=None),
        primary=primary,
        when=when(event),
        **context,
    )


@bp.post("/c/<slug>/events/<int:event_id>/rsvp")
def rsvp(slug: str, event_id: int):
    """Going / can't go. Logged out: the choice is kept and the visitor logs in (or signs up)
    first, then confirms it on the event page."""
    community, event, membership = load_visible_event(slug, event_id)
    form = rsvp_form(event)
    if not form.validate_on_submit():
        return render_event_page(community, event, membership, answer={"form": form}), 422
    if not current_user.is_authenticated:
        session[KEPT] = {"event_id": event.id, **form.kept()}
        flash("Log in or create an account to finish your RSVP. We've kept your answers.", "info")
        return redirect(url_for("auth.login", next=canonical_url(event)))
    if not can_rsvp(event, membership):
        abort(404)
    choice = {"guests": form.guest_count(), "answers": form.answers(), "listed": bool(form.listed.data)}
    try:
        change = respond(event, current_user, going=form.is_going, **choice)
    except DomainError as error:
        return render_event_page(
            community, event, membership, answer={"form": form, "error": error.message}
        ), 422
    saved = FLASHES.get(change.rsvp.status, "Your RSVP is saved.")
    flash(saved if change.status_changed else "Your RSVP is updated.", "success")
    session.pop(KEPT, None)
    return redirect(canonical_url(event, _anchor="rsvp"))


@bp.post("/c/<slug>/events/<int:event_id>/rsvp/forget")
def forget_kept_rsvp(slug: str, event_id: int):
    """Drop an RSVP kept through logging in, without answering."""
    _, event, _ = load_visible_event(slug, event_id)
    if EmptyForm().validate_on_submit():
        session.pop(KEPT, None)
    return redirect(canonical_url(event))


@bp.post("/c/<slug>/events/<int:event_id>/rsvp/listed")
def rsvp_listed(slug: str, event_id: int):
    """Appear in "who's going" or not, without changing the RSVP."""
    _, event, _ = load_visible_event(slug, event_id)
    if not current_user.is_authenticated:
        abort(404)
    mine = queries.rsvp_of(event, current_user)
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


def _attendees_prompt(community: Community, event: Event, membership: Membership | None) -> Prompt:
    """What the list's refusal page says (the viewer may see the event, so its title too)."""
    what = "who came" if is_past(event) else "who's going"
    detail = f"The list of {what} to “{event.title}” is for members of {community.name}."
    back = {"back_label": "Back to the event", "back_url": canonical_url(event)}
    return members_only_prompt(community, membership, what, detail, **back)


@bp.get("/c/<slug>/events/<int:event_id>/attendees")
def attendees(slug: str, event_id: int):
    """Everyone going who agreed to be listed, a page at a time. Names are for members unless
    the organizers opened the list: a visitor is asked to log in, anyone else to join."""
    community, event, membership = load_visible_event(slug, event_id)
    require(
        can_see_attendees(event, membership),
        Disclosure.EXISTS,
        _attendees_prompt(community, event, membership),
    )
    viewer = current_user if current_user.is_authenticated else None
    pagination, people = queries.attendees_page(event, viewer, page_arg())
    return render_template(
        "rsvps/attendees.html",
        community=community,
        event=event,
        pagination=pagination,
        people=people,
        count=queries.headcount(event),
        is_past=is_past(event),
    )


@bp.get("/c/<slug>/events/<int:event_id>/ticket")
@login_required
def ticket(slug: str, event_id: int):
    """The attendee's ticket: a QR code the organizers scan at the door."""
    community = load_community(slug)
    event = event_in(community, event_id)
    rsvp = queries.rsvp_of(event, current_user) if event is not None else None
    if rsvp is None or rsvp.status != RSVPStatus.GOING:
        abort(404)
    return render_template(
        "rsvps/ticket.html",
        community=community,
        event=event,
        rsvp=rsvp,
        when=when(event),
        qr=checkin.qr_data_uri(checkin.checkin_url(rsvp)),
        is_past=is_past(event),
    )


@bp.record_once
def _register(state) -> None:
    hooks.keep_seats(state.app, SEAT_KEEPER)
    sections.provide(state.app, hooks.EVENT_ATTENDANCE, attendance_section)
    sections.provide(state.app, hooks.EVENT_CARD_DETAILS, page.card_details)
