"""Organizer event screens under /c/<slug>/manage/events, and the attendee's ticket.

Every organizer view starts with require_organizer (logged out -> log in, non-member 404,
member 403) and looks the event up inside that community (404 otherwise).
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from community.communities.access import load_community, require_organizer
from community.communities.models import Community
from community.core.errors import DomainError
from community.core.forms import EmptyForm, form_status
from community.core.models import utcnow
from community.core.pagination import page_arg
from community.events import checkin, manage_queries, notifications, organizer, services
from community.events.manage_fields import event_form_data
from community.events.manage_forms import EventForm
from community.events.models import Event, EventStatus, RSVPStatus
from community.events.organizer_forms import CancelForm, MessageForm
from community.events.rsvps import rsvp_of
from community.events.services import CapacityBelowGoing

bp = Blueprint("event_admin", __name__)

MANAGE = "/c/<slug>/manage/events"


def _event(community: Community, event_id: int) -> Event:
    event = manage_queries.event_in(community, event_id)
    if event is None:
        abort(404)
    return event


def _back_to_event(event: Event):
    return redirect(url_for("event_admin.rsvps", slug=event.community.slug, event_id=event.id))


def _context(community, membership, event=None, **extra) -> dict:
    figures = manage_queries.rsvp_figures_for(event) if event is not None else None
    return dict(
        community=community,
        membership=membership,
        event=event,
        figures=figures,
        when=notifications.when(event) if event is not None else None,
        is_past=services.is_past(event) if event is not None else False,
        **extra,
    )


# -- the list of events ----------------------------------------------------------------------


@bp.get(MANAGE)
def events(slug: str):
    community, membership = require_organizer(slug)
    now = utcnow()
    tab = request.args.get("tab", "upcoming")
    if tab not in manage_queries.EVENT_TABS:
        tab = "upcoming"
    pagination = manage_queries.events_page(community, tab, page_arg(), now)
    return render_template(
        "events/manage/events.html",
        **_context(community, membership),
        tab=tab,
        tabs=manage_queries.EVENT_TABS,
        tab_counts=manage_queries.event_tab_counts(community, now),
        pagination=pagination,
        event_figures=manage_queries.rsvp_figures([e.id for e in pagination.items]),
    )


# -- create and edit --------------------------------------------------------------------------


def _form_page(community, membership, form, *, event=None, status=200, confirm_move=False):
    return render_template(
        "events/manage/form.html",
        **_context(community, membership, event),
        form=form,
        confirm_move=confirm_move,
    ), status


@bp.route(f"{MANAGE}/new", methods=["GET", "POST"])
def create(slug: str):
    community, membership = require_organizer(slug)
    form = EventForm(creating=True)
    if request.method == "GET":
        form.timezone.data = community.timezone or "UTC"
    if form.validate_on_submit():
        publish = request.form.get("action") == "publish"
        rule = form.recurrence()
        try:
            if rule is None:
                created = [services.create_event(community, current_user, form.details(), publish=publish)]
            else:
                created = services.create_series(
                    community, current_user, form.details(), rule, publish=publish
                )
        except DomainError as error:
            form.title.errors.append(error.message)
            return _form_page(community, membership, form, status=422)
        what = f"{len(created)} events in the series are" if len(created) > 1 else "The event is"
        flash(
            f"{what} published: members can see it and RSVP."
            if publish
            else f"{what} saved as a draft. Only organizers can see drafts; publish when you're ready.",
            "success",
        )
        return redirect(url_for("event_admin.rsvps", slug=slug, event_id=created[0].id))
    return _form_page(community, membership, form, status=form_status(form))


@bp.route(f"{MANAGE}/<int:event_id>/edit", methods=["GET", "POST"])
def edit(slug: str, event_id: int):
    community, membership = require_organizer(slug)
    event = _event(community, event_id)
    in_series = event.series_id is not None
    if request.method == "GET":
        form = EventForm(creating=False, in_series=in_series, data=event_form_data(event))
    else:
        form = EventForm(creating=False, in_series=in_series)
    if form.validate_on_submit():
        scope = form.scope.data if in_series else "this"
        try:
            result = services.update_event(
                event,
                current_user,
                form.details(),
                scope=scope,
                move_extra_to_waitlist=bool(form.move_extra.data),
            )
            if request.form.get("action") == "publish":
                for target in result.events:
                    if target.status == EventStatus.DRAFT:
                        services.publish_event(target, current_user)
        except CapacityBelowGoing as error:
            form.capacity.errors.append(error.message)
            return _form_page(community, membership, form, event=event, status=422, confirm_move=True)
        except DomainError as error:
            form.title.errors.append(error.message)
            return _form_page(community, membership, form, event=event, status=422)
        flash(_saved_summary(result, request.form.get("action") == "publish"), "success")
        return _back_to_event(event)
    return _form_page(community, membership, form, event=event, status=form_status(form))


def _saved_summary(result: services.EventUpdate, published: bool) -> str:
    parts = ["Saved and published." if published else "Saved."]
    if len(result.events) > 1:
        parts.append(f"{len(result.events)} events of the series changed.")
    moved, promoted = len(result.moved_to_waitlist), len(result.promoted)
    if moved:
        parts.append(f"{moved} {'person' if moved == 1 else 'people'} moved to the waitlist.")
    if promoted:
        parts.append(f"{promoted} {'person' if promoted == 1 else 'people'} promoted from the waitlist.")
    if moved or promoted:
        parts.append("We emailed them.")
    return " ".join(parts)


# -- publish, cancel, duplicate ----------------------------------------------------------------


@bp.post(f"{MANAGE}/<int:event_id>/publish")
def publish(slug: str, event_id: int):
    community, _ = require_organizer(slug)
    event = _event(community, event_id)
    if EmptyForm().validate_on_submit():
        targets = services.following_in_series(event) if request.form.get("scope") == "following" else [event]
        try:
            drafts = [t for t in targets if t.status == EventStatus.DRAFT]
            for target in drafts:
                services.publish_event(target, current_user)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(
                f"Published {len(drafts)} events."
                if len(drafts) > 1
                else "Published: members can see it and RSVP.",
                "success",
            )
    return _back_to_event(event)


@bp.route(f"{MANAGE}/<int:event_id>/cancel", methods=["GET", "POST"])
def cancel(slug: str, event_id: int):
    community, membership = require_organizer(slug)
    event = _event(community, event_id)
    if event.status == EventStatus.CANCELLED:
        flash("This event is already cancelled.", "info")
        return _back_to_event(event)
    form = CancelForm()
    if event.series_id is None:
        del form.scope
    if form.validate_on_submit():
        scope = form.scope.data if event.series_id is not None else "this"
        try:
            cancelled = services.cancel_event(event, current_user, reason=form.reason.data, scope=scope)
        except DomainError as error:
            form.reason.errors.append(error.message)
        else:
            what = f"{len(cancelled)} events are" if len(cancelled) > 1 else "The event is"
            flash(f"{what} cancelled. We emailed everyone who was going or waiting.", "success")
            return _back_to_event(event)
    following = services.following_in_series(event) if event.series_id is not None else [event]
    return render_template(
        "events/manage/cancel.html",
        **_context(community, membership, event),
        form=form,
        following=len(following),
    ), form_status(form)


@bp.post(f"{MANAGE}/<int:event_id>/duplicate")
def duplicate(slug: str, event_id: int):
    community, _ = require_organizer(slug)
    event = _event(community, event_id)
    if not EmptyForm().validate_on_submit():
        return _back_to_event(event)
    copy = services.duplicate_event(event, current_user)
    flash("This is a copy, saved as a draft without RSVPs. Change the date, then publish it.", "success")
    return redirect(url_for("event_admin.edit", slug=slug, event_id=copy.id))


# -- RSVPs ---------------------------------------------------------------------------------------


@bp.get(f"{MANAGE}/<int:event_id>/rsvps")
def rsvps(slug: str, event_id: int):
    community, membership = require_organizer(slug)
    event = _event(community, event_id)
    show = request.args.get("show", "going")
    if show not in manage_queries.RSVP_FILTERS:
        show = "going"
    return render_template(
        "events/manage/rsvps.html",
        **_context(community, membership, event),
        show=show,
        filters=manage_queries.RSVP_FILTERS,
        pagination=manage_queries.rsvps_page(event, show, page_arg()),
        questions=list(event.questions),
        answer_text=organizer.answer_text,
    )


@bp.post(f"{MANAGE}/<int:event_id>/rsvps/<int:rsvp_id>/<any(approve, decline, waitlist, going):action>")
def rsvp_action(slug: str, event_id: int, rsvp_id: int, action: str):
    community, _ = require_organizer(slug)
    event = _event(community, event_id)
    rsvp = manage_queries.rsvp_in(event, rsvp_id)
    if rsvp is None:
        abort(404)
    show = request.form.get("show", "going")
    if EmptyForm().validate_on_submit():
        service = organizer.ACTIONS[action][0]
        try:
            change = service(rsvp, current_user)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(organizer.outcome(action, rsvp, change), "success")
    if show not in manage_queries.RSVP_FILTERS:
        show = "going"
    return redirect(url_for("event_admin.rsvps", slug=slug, event_id=event.id, show=show))


# -- check-in ------------------------------------------------------------------------------------


@bp.get(f"{MANAGE}/<int:event_id>/checkin")
def checkin_list(slug: str, event_id: int):
    community, membership = require_organizer(slug)
    event = _event(community, event_id)
    search = request.args.get("q", "").strip()[:100]
    return render_template(
        "events/manage/checkin.html",
        **_context(community, membership, event),
        search=search,
        pagination=manage_queries.checkin_page(event, search, page_arg()),
    )


@bp.post(f"{MANAGE}/<int:event_id>/rsvps/<int:rsvp_id>/<any(checkin, undo):action>")
def checkin_action(slug: str, event_id: int, rsvp_id: int, action: str):
    community, _ = require_organizer(slug)
    event = _event(community, event_id)
    rsvp = manage_queries.rsvp_in(event, rsvp_id)
    if rsvp is None:
        abort(404)
    if EmptyForm().validate_on_submit():
        if action == "undo":
            organizer.undo_check_in(rsvp, current_user)
            flash(f"{rsvp.user.name} is no longer checked in.", "info")
        else:
            _check_in(rsvp)
    q = request.form.get("q") or None
    return redirect(url_for("event_admin.checkin_list", slug=slug, event_id=event.id, q=q))


def _check_in(rsvp) -> None:
    try:
        if organizer.check_in(rsvp, current_user):
            flash(f"{rsvp.user.name} is checked in{_with_guests(rsvp)}.", "success")
        else:
            flash(f"{rsvp.user.name} was already checked in.", "info")
    except DomainError as error:
        flash(error.message, "error")


def _with_guests(rsvp) -> str:
    return f" with {rsvp.guests} guest{'s' if rsvp.guests != 1 else ''}" if rsvp.guests else ""


@bp.route(f"{MANAGE}/<int:event_id>/checkin/<token>", methods=["GET", "POST"])
def scan(slug: str, event_id: int, token: str):
    """What an organizer's phone opens from a ticket's QR code: looking changes nothing;
    the button checks the person in. A token not signed by us, or for another event, is 404."""
    community, membership = require_organizer(slug)
    event = _event(community, event_id)
    rsvp = checkin.rsvp_for_token(event, token)
    if rsvp is None:
        abort(404)
    if request.method == "POST":
        if EmptyForm().validate_on_submit():
            _check_in(rsvp)
        return redirect(url_for("event_admin.scan", slug=slug, event_id=event.id, token=token))
    return render_template(
        "events/manage/scan.html", **_context(community, membership, event), rsvp=rsvp, token=token
    )


@bp.get("/c/<slug>/events/<int:event_id>/ticket")
@login_required
def ticket(slug: str, event_id: int):
    """The attendee's ticket: a QR code the organizers scan at the door."""
    community = load_community(slug)
    event = _event(community, event_id)
    rsvp = rsvp_of(event, current_user)
    if rsvp is None or rsvp.status != RSVPStatus.GOING:
        abort(404)
    url = checkin.checkin_url(rsvp)
    return render_template(
        "events/manage/ticket.html",
        community=community,
        event=event,
        rsvp=rsvp,
        when=notifications.when(event),
        qr=checkin.qr_data_uri(url),
    )


# -- export and message ------------------------------------------------------------------------


@bp.get(f"{MANAGE}/<int:event_id>/attendees.csv")
def export(slug: str, event_id: int):
    community, _ = require_organizer(slug)
    event = _event(community, event_id)
    include_waitlist = request.args.get("include") == "waitlist"
    body = organizer.attendees_csv(
        event, event.questions, manage_queries.attendees(event, include_waitlist=include_waitlist)
    )
    filename = f"{community.slug}-event-{event.id}-attendees.csv"
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )


@bp.route(f"{MANAGE}/<int:event_id>/message", methods=["GET", "POST"])
def message(slug: str, event_id: int):
    community, membership = require_organizer(slug)
    event = _event(community, event_id)
    form = MessageForm()
    figures = manage_queries.rsvp_figures_for(event)
    counts = {
        "going": figures.count("going") + figures.count("offered"),
        "going_and_waitlist": figures.count("going") + figures.count("offered") + figures.count("waitlisted"),
    }
    confirming = False
    if form.validate_on_submit() and "edit" not in request.form:
        if form.confirmed.data:
            try:
                sent = organizer.message_attendees(
                    event,
                    current_user,
                    subject=form.subject.data,
                    body=form.body.data,
                    recipients=form.recipients.data,
                )
            except DomainError as error:
                form.body.errors.append(error.message)
            else:
                flash(f"Message sent to {sent} {'person' if sent == 1 else 'people'}.", "success")
                return _back_to_event(event)
        else:
            confirming = True
    return render_template(
        "events/manage/message.html",
        **_context(community, membership, event),
        form=form,
        counts=counts,
        confirming=confirming,
    ), form_status(form)
