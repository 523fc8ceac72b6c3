"""The organizer's RSVP screens of an event, under /c/<slug>/manage/events/<id>: the RSVP
list and its actions, check-in (by name, or by scanning a ticket), the attendee CSV and a
message to everyone coming; and what the event list and cancel screens show of RSVPs.

Every screen starts with events.access.require_event_organizer (logged out -> log in,
non-member 404, member 403, an event of another community 404).
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from community.core import sections
from community.core.errors import DomainError
from community.core.forms import EmptyForm, form_status
from community.core.pagination import page_arg
from community.events import hooks
from community.events.access import require_event_organizer, screen_context
from community.events.models import Event
from community.rsvps import attendance, checkin, lists, notifications, organizer
from community.rsvps.export import answer_text, attendees_csv
from community.rsvps.forms import MessageForm
from community.rsvps.models import RSVP

bp = Blueprint("rsvp_admin", __name__)

EVENT = "/c/<slug>/manage/events/<int:event_id>"


def _context(community, membership, event, **extra) -> dict:
    return {**screen_context(community, membership, event), "figures": lists.rsvp_figures_for(event), **extra}


def _rsvp_or_404(event: Event, rsvp_id: int) -> RSVP:
    rsvp = lists.rsvp_in(event, rsvp_id)
    if rsvp is None:
        abort(404)
    return rsvp


def _filter(show: str | None) -> str:
    return show if show in lists.RSVP_FILTERS else "going"


@bp.get(f"{EVENT}/rsvps")
def rsvps(slug: str, event_id: int):
    community, membership, event = require_event_organizer(slug, event_id)
    show = _filter(request.args.get("show"))
    return render_template(
        "rsvps/manage/rsvps.html",
        **_context(community, membership, event),
        show=show,
        filters=lists.RSVP_FILTERS,
        pagination=lists.rsvps_page(event, show, page_arg()),
        questions=list(event.questions),
        answer_text=answer_text,
        needs_confirmation=organizer.needs_confirmation,
    )


@bp.get(f"{EVENT}/rsvps/<int:rsvp_id>/<any(decline, waitlist):action>")
def confirm_action(slug: str, event_id: int, rsvp_id: int, action: str):
    """Asks before an action that emails people and may hand a seat on; Confirm posts it."""
    community, membership, event = require_event_organizer(slug, event_id)
    rsvp = _rsvp_or_404(event, rsvp_id)
    return render_template(
        "rsvps/manage/confirm.html",
        **_context(community, membership, event),
        rsvp=rsvp,
        action=action,
        show=_filter(request.args.get("show")),
    )


@bp.post(f"{EVENT}/rsvps/<int:rsvp_id>/<any(approve, decline, waitlist, going):action>")
def rsvp_action(slug: str, event_id: int, rsvp_id: int, action: str):
    _, _, event = require_event_organizer(slug, event_id)
    rsvp = _rsvp_or_404(event, rsvp_id)
    show = _filter(request.form.get("show"))
    if organizer.needs_confirmation(action, rsvp) and not request.form.get("confirm"):
        back = {"slug": slug, "event_id": event.id, "rsvp_id": rsvp.id, "action": action, "show": show}
        return redirect(url_for("rsvp_admin.confirm_action", **back))
    if EmptyForm().validate_on_submit():
        service = organizer.ACTIONS[action][0]
        try:
            change = service(rsvp, current_user)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(organizer.outcome(action, rsvp, change), "success")
    return redirect(url_for("rsvp_admin.rsvps", slug=slug, event_id=event.id, show=show))


# -- check-in ------------------------------------------------------------------------------------


@bp.get(f"{EVENT}/checkin")
def checkin_list(slug: str, event_id: int):
    community, membership, event = require_event_organizer(slug, event_id)
    search = request.args.get("q", "").strip()[:100]
    return render_template(
        "rsvps/manage/checkin.html",
        **_context(community, membership, event),
        search=search,
        pagination=lists.checkin_page(event, search, page_arg()),
    )


@bp.post(f"{EVENT}/rsvps/<int:rsvp_id>/<any(checkin, undo):action>")
def checkin_action(slug: str, event_id: int, rsvp_id: int, action: str):
    _, _, event = require_event_organizer(slug, event_id)
    rsvp = _rsvp_or_404(event, rsvp_id)
    if EmptyForm().validate_on_submit():
        if action == "undo":
            checkin.undo_check_in(rsvp, current_user)
            flash(f"{rsvp.user.name} is no longer checked in.", "info")
        else:
            _check_in(rsvp)
    q = request.form.get("q") or None
    return redirect(url_for("rsvp_admin.checkin_list", slug=slug, event_id=event.id, q=q))


def _check_in(rsvp: RSVP) -> None:
    try:
        if checkin.check_in(rsvp, current_user):
            flash(f"{rsvp.user.name} is checked in{_with_guests(rsvp)}.", "success")
        else:
            flash(f"{rsvp.user.name} was already checked in.", "info")
    except DomainError as error:
        flash(error.message, "error")


def _with_guests(rsvp: RSVP) -> str:
    return f" with {rsvp.guests} guest{'s' if rsvp.guests != 1 else ''}" if rsvp.guests else ""


@bp.route(f"{EVENT}/checkin/<token>", methods=["GET", "POST"])
def scan(slug: str, event_id: int, token: str):
    """What an organizer's phone opens from a ticket's QR code: looking changes nothing;
    the button checks the person in. A token not signed by us, or for another event, is 404."""
    community, membership, event = require_event_organizer(slug, event_id)
    rsvp = checkin.rsvp_for_token(event, token)
    if rsvp is None:
        abort(404)
    if request.method == "POST":
        if EmptyForm().validate_on_submit():
            _check_in(rsvp)
        return redirect(url_for("rsvp_admin.scan", slug=slug, event_id=event.id, token=token))
    return render_template(
        "rsvps/manage/scan.html", **_context(community, membership, event), rsvp=rsvp, token=token
    )


# -- export and message ------------------------------------------------------------------------


@bp.get(f"{EVENT}/attendees.csv")
def export(slug: str, event_id: int):
    community, _, event = require_event_organizer(slug, event_id)
    include_waitlist = request.args.get("include") == "waitlist"
    body = attendees_csv(event, event.questions, lists.attendees(event, include_waitlist=include_waitlist))
    filename = f"{community.slug}-event-{event.id}-attendees.csv"
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )


def _send_message(event: Event, form: MessageForm) -> int | None:
    """Send the confirmed message; None (the error shown at the message) when refused."""
    try:
        return organizer.message_attendees(
            event,
            current_user,
            subject=form.subject.data,
            body=form.body.data,
            recipients=form.recipients.data,
        )
    except DomainError as error:
        form.body.errors.append(error.message)
        return None


@bp.route(f"{EVENT}/message", methods=["GET", "POST"])
def message(slug: str, event_id: int):
    community, membership, event = require_event_organizer(slug, event_id)
    form = MessageForm()
    context = _context(community, membership, event)
    counts = {key: context["figures"].count_in(statuses) for key, statuses in organizer.RECIPIENTS.items()}
    confirming = False
    if form.validate_on_submit() and "edit" not in request.form:
        if not form.confirmed.data:
            confirming = True
        elif (sent := _send_message(event, form)) is not None:
            flash(f"Message sent to {sent} {'person' if sent == 1 else 'people'}.", "success")
            return redirect(url_for("rsvp_admin.rsvps", slug=slug, event_id=event.id))
    history = [] if confirming else organizer.message_history(event)
    return render_template(
        "rsvps/manage/message.html",
        **context,
        form=form,
        counts=counts,
        confirming=confirming,
        history=history,
    ), form_status(form)


# -- what the event screens show of RSVPs ------------------------------------------------------


def list_figures(events: list[Event]) -> dict:
    """Each row of the organizer's event list: seats going, the waitlist, pending (one query)."""
    return {
        "template": "rsvps/manage/_event_figures.html",
        "figures": lists.rsvp_figures([e.id for e in events]),
    }


def cancel_notice(event: Event) -> dict:
    """On the cancel screen: how many people the cancellation will be emailed to."""
    told = lists.rsvp_figures_for(event).count_in(notifications.INTERESTED)
    return {"template": "rsvps/manage/_cancel_notice.html", "told": told}


@bp.record_once
def _register(state) -> None:
    app = state.app
    for tab in (
        sections.Tab("RSVPs", "rsvp_admin.rsvps", 10, active=("rsvp_admin.confirm_action",)),
        sections.Tab("Check-in", "rsvp_admin.checkin_list", 20, active=("rsvp_admin.scan",)),
        sections.Tab("Message", "rsvp_admin.message", 30),
    ):
        sections.add_tab(app, sections.EVENT_MANAGE_TABS, tab)
    sections.also_current(app, sections.COMMUNITY_MANAGE_TABS, "event_admin.events", "rsvp_admin.")
    sections.provide(app, hooks.EVENT_LIST_FIGURES, list_figures)
    sections.provide(app, hooks.EVENT_CANCEL_NOTICE, cancel_notice)
    sections.provide(app, sections.MEMBER_LAST_ATTENDED, attendance.last_attended)
