"""The organizer's event screens under /c/<slug>/manage/events: the list, new, edit,
publish, cancel and duplicate. The RSVP, check-in and message screens are rsvps'.

Every screen starts with require_organizer or require_event_organizer (logged out -> log
in, non-member 404, member 403; an event of another community 404).
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from community.communities.access import require_organizer
from community.core import sections
from community.core.errors import DomainError
from community.core.forms import EmptyForm, form_status
from community.core.models import utcnow
from community.core.pagination import page_arg
from community.events import queries, services
from community.events.access import manage_home_url, require_event_organizer, screen_context
from community.events.forms.cancel import CancelForm
from community.events.forms.choices import event_form_data
from community.events.forms.event import EventForm
from community.events.hooks import EVENT_CANCEL_NOTICE, EVENT_LIST_FIGURES
from community.events.models import EventStatus
from community.events.services import CapacityBelowGoing

bp = Blueprint("event_admin", __name__)

MANAGE = "/c/<slug>/manage/events"


def _back_to_event(membership, event):
    return redirect(manage_home_url(membership, event))


@bp.get(MANAGE)
def events(slug: str):
    community, membership = require_organizer(slug)
    now = utcnow()
    tab = request.args.get("tab", "upcoming")
    if tab not in queries.EVENT_TABS:
        tab = "upcoming"
    pagination = queries.events_page(community, tab, page_arg(), now)
    return render_template(
        "events/manage/events.html",
        **screen_context(community, membership),
        tab=tab,
        tabs=queries.EVENT_TABS,
        tab_counts=queries.event_tab_counts(community, now),
        pagination=pagination,
        row_figures=sections.section(EVENT_LIST_FIGURES, list(pagination.items)),
    )


# -- create and edit --------------------------------------------------------------------------


def _form_page(community, membership, form, *, event=None, status=200, confirm_move=False):
    return render_template(
        "events/manage/form.html",
        **screen_context(community, membership, event),
        form=form,
        confirm_move=confirm_move,
    ), status


def _created_message(created: list, publish: bool) -> str:
    what = f"{len(created)} events in the series are" if len(created) > 1 else "The event is"
    if publish:
        return f"{what} published: members can see it and RSVP."
    return f"{what} saved as a draft. Only organizers can see drafts; publish when you're ready."


@bp.route(f"{MANAGE}/new", methods=["GET", "POST"])
def create(slug: str):
    community, membership = require_organizer(slug)
    form = EventForm(creating=True)
    if request.method == "GET":
        form.timezone.data = community.timezone or "UTC"
    if not form.validate_on_submit():
        return _form_page(community, membership, form, status=form_status(form))
    publish = request.form.get("action") == "publish"
    rule = form.recurrence()
    try:
        if rule is None:
            created = [services.create_event(community, current_user, form.details(), publish=publish)]
        else:
            created = services.create_series(community, current_user, form.details(), rule, publish=publish)
    except DomainError as error:
        form.title.errors.append(error.message)
        return _form_page(community, membership, form, status=422)
    flash(_created_message(created, publish), "success")
    return _back_to_event(membership, created[0])


def _save(event, form: EventForm, *, publish: bool) -> services.EventUpdate:
    """The edit, then publishing its drafts if asked. :raises DomainError:"""
    result = services.update_event(
        event,
        current_user,
        form.details(),
        scope=form.scope.data if event.series_id is not None else "this",
        move_extra_to_waitlist=bool(form.move_extra.data),
    )
    if publish:
        for target in result.events:
            if target.status == EventStatus.DRAFT:
                services.publish_event(target, current_user)
    return result


@bp.route(f"{MANAGE}/<int:event_id>/edit", methods=["GET", "POST"])
def edit(slug: str, event_id: int):
    community, membership, event = require_event_organizer(slug, event_id)
    in_series = event.series_id is not None
    data = event_form_data(event) if request.method == "GET" else None
    form = EventForm(
        creating=False, in_series=in_series, has_cover=event.cover_content_type is not None, data=data
    )
    if not form.validate_on_submit():
        return _form_page(community, membership, form, event=event, status=form_status(form))
    publish = request.form.get("action") == "publish"
    try:
        result = _save(event, form, publish=publish)
    except CapacityBelowGoing as error:
        form.capacity.errors.append(error.message)
        return _form_page(community, membership, form, event=event, status=422, confirm_move=True)
    except DomainError as error:
        form.title.errors.append(error.message)
        return _form_page(community, membership, form, event=event, status=422)
    flash(_saved_summary(result, publish), "success")
    return _back_to_event(membership, event)


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
    _, membership, event = require_event_organizer(slug, event_id)
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
    return _back_to_event(membership, event)


@bp.route(f"{MANAGE}/<int:event_id>/cancel", methods=["GET", "POST"])
def cancel(slug: str, event_id: int):
    community, membership, event = require_event_organizer(slug, event_id)
    if event.status == EventStatus.CANCELLED:
        flash("This event is already cancelled.", "info")
        return _back_to_event(membership, event)
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
            return _back_to_event(membership, event)
    return render_template(
        "events/manage/cancel.html",
        **screen_context(community, membership, event),
        form=form,
        following=len(services.following_in_series(event)),
        notice=sections.section(EVENT_CANCEL_NOTICE, event),
        home_url=manage_home_url(membership, event),
    ), form_status(form)


@bp.post(f"{MANAGE}/<int:event_id>/duplicate")
def duplicate(slug: str, event_id: int):
    _, membership, event = require_event_organizer(slug, event_id)
    if not EmptyForm().validate_on_submit():
        return _back_to_event(membership, event)
    copy = services.duplicate_event(event, current_user)
    flash("This is a copy, saved as a draft without RSVPs. Change the date, then publish it.", "success")
    return redirect(url_for("event_admin.edit", slug=slug, event_id=copy.id))


@bp.record_once
def _register_tabs(state) -> None:
    sections.add_tab(
        state.app,
        sections.COMMUNITY_MANAGE_TABS,
        sections.Tab("Events", "event_admin.events", 40, active=("event_admin.",)),
    )
    sections.add_tab(state.app, sections.EVENT_MANAGE_TABS, sections.Tab("Edit", "event_admin.edit", 40))
    events_card = sections.Tab(
        "Events", "event_admin.events", 10,
        description="Plan reunions and roundtables, follow RSVPs and check people in on the day.",
    )  # fmt: skip
    sections.add_tab(state.app, sections.COMMUNITY_OVERVIEW_LINKS, events_card)
