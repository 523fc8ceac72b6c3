"""Meet people at an event (/c/<slug>/events/<id>/meet): suggestions for attendees who opted
in, the opt-in switch (there, and as a card on the event page), and asking for an
introduction.

The page answers like the event page for people who may not see the event (404, or a prompt
to log in or join); a visitor is asked to log in; then it is for the people going: it says how
to RSVP, how to opt in, or shows whom to meet.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from community.auth.models import User
from community.communities.models import Community, Membership
from community.core import sections
from community.core.access import Answer, Prompt, refuse
from community.core.urls import safe_next_url
from community.events.access import load_visible_event
from community.events.models import Event
from community.events.presentation import when
from community.extensions import db
from community.introductions import lists, optins, requests
from community.introductions.forms import AskForm, OptInForm, OptOutForm
from community.introductions.models import OptIn
from community.introductions.optins import IntroductionError
from community.introductions.routes import bp
from community.introductions.suggestions import SHOWN_FIRST, MeetPage, meet_page

#: "Show more" adds this many suggestions; no list grows past MOST_SHOWN.
MORE, MOST_SHOWN = 10, 500

PROMPT_DETAIL = "People going to an event can opt in to be introduced to each other. Log in to see yours."


def meet_url(event: Event, **values) -> str:
    return url_for("introductions.meet", slug=event.community.slug, event_id=event.id, **values)


def _viewer(event: Event) -> User:
    """The signed-in person; a visitor gets the page asking them to log in (401), which comes
    back to the meet page (after a form too: its address answers POST only)."""
    if not current_user.is_authenticated:
        back = meet_url(event) if request.method != "GET" else None
        refuse(Answer.LOG_IN, Prompt(what="who to meet at this event", detail=PROMPT_DETAIL, next_url=back))
    return current_user._get_current_object()


def _shown(value: Any) -> int:
    """How many suggestions to show: ?show=20 after one "Show more", and so on."""
    text = str(value or "").strip()
    number = int(text) if text.isascii() and text.isdigit() and len(text) <= 4 else SHOWN_FIRST
    return min(max(number, SHOWN_FIRST), MOST_SHOWN)


def _back(event: Event, target: str | None) -> str:
    """`next` when it is this event's page, ticket or meet page; else the meet page."""
    fallback = meet_url(event)
    target = safe_next_url(target, fallback)
    allowed = {
        url_for("events.event_page", slug=event.community.slug, event_id=event.id),
        url_for("rsvps.ticket", slug=event.community.slug, event_id=event.id),
        fallback,
    }
    return target if urlsplit(target).path in allowed else fallback


def _topics(community: Community, record: OptIn | None) -> list:
    """Active topics, and archived ones the person had ticked (their choice stands)."""
    topics = optins.topics_of(community)
    known = {topic.id for topic in topics}
    kept = {
        choice.topic.id: choice.topic
        for choice in (record.topics if record else ())
        if choice.topic_id not in known
    }
    return topics + sorted(kept.values(), key=lambda topic: topic.name.casefold())


def _closed_reason(event: Event) -> str | None:
    try:
        optins.check_open(event)
    except IntroductionError as error:
        return error.message
    return None


def page_context(event: Event, viewer: User, *, shown: int, opt_in_form: OptInForm | None = None) -> dict:
    """What the meet page shows this attendee (a fixed number of queries)."""
    closed = _closed_reason(event)
    rsvp = optins.attending_rsvp(event, viewer.id) if closed is None else None
    record = optins.opt_in_of(event, viewer) if rsvp is not None else None
    page: MeetPage | None = meet_page(event, viewer) if record is not None else None
    if closed:
        state = "closed"
    elif rsvp is None:
        state = "not_attending"
    else:
        state = "opted_in" if page is not None else "not_opted_in"
    form = opt_in_form or OptInForm.for_opt_in(record, _topics(event.community, record), next=meet_url(event))
    return {
        "state": state,
        "closed": closed,
        "page": page,
        "record": record,
        "opt_in_form": form,
        "opt_out_form": OptOutForm(formdata=None, next=meet_url(event)),
        "shown": shown,
        "more": shown + MORE if page is not None and len(page.suggestions) > shown else None,
        "standings": lists.standings(viewer.id) if page is not None else {},
    }


def render_meet(
    community: Community, event: Event, viewer: User, *, status: int = 200, error: str | None = None,
    asked: tuple[int, AskForm] | None = None, **options,
):  # fmt: skip
    """The meet page; a failed form shows it again with its `error` and what was typed."""
    context = page_context(event, viewer, **options)
    asked_id, asked_form = asked if asked else (None, None)
    html = render_template(
        "introductions/meet.html",
        community=community,
        event=event,
        when=when(event),
        error=error,
        asked_id=asked_id,
        asked_form=asked_form,
        ask_form=lambda: AskForm(formdata=None, show=str(context["shown"])),
        **context,
    )
    return html, status


@bp.get("/c/<slug>/events/<int:event_id>/meet")
def meet(slug: str, event_id: int):
    community, event, _ = load_visible_event(slug, event_id)
    return render_meet(community, event, _viewer(event), shown=_shown(request.args.get("show")))


@bp.post("/c/<slug>/events/<int:event_id>/meet/opt-in")
def opt_in(slug: str, event_id: int):
    """Switch introductions on (with the line and topics), or off when the box is unticked."""
    community, event, _ = load_visible_event(slug, event_id)
    viewer = _viewer(event)
    record = optins.opt_in_of(event, viewer)
    form = OptInForm(topics=_topics(community, record))
    if not form.validate_on_submit():
        return render_meet(community, event, viewer, shown=SHOWN_FIRST, opt_in_form=form, status=422)
    try:
        message = _save(event, viewer, form, record)
    except IntroductionError as error:
        return render_meet(
            community, event, viewer, shown=SHOWN_FIRST, opt_in_form=form, error=error.message, status=422
        )
    flash(*message)
    return redirect(_back(event, form.next.data))


def _save(event: Event, viewer: User, form: OptInForm, record: OptIn | None) -> tuple[str, str]:
    """Switch it on, update it or switch it off; the flash to show and its kind."""
    if not form.introduce.data and record is None:
        return "Nothing changed: tick “Introduce me to others at this event” to be introduced.", "info"
    if not form.introduce.data:
        optins.opt_out(event, viewer)
        return "Done: you're no longer suggested to anyone at this event.", "success"
    if form.is_quick and record is not None:
        return "You're already open to introductions at this event.", "success"
    if form.is_quick:
        optins.opt_in(event, viewer)
    else:
        line, offers, seeks = form.talk_about.data or "", form.offers.data, form.seeks.data
        optins.opt_in(event, viewer, talk_about=line, offers=offers, seeks=seeks)
    if record is not None:
        return "Your introduction settings are saved.", "success"
    return (
        "You're open to introductions: people going who opted in can be suggested to you, and you to them.",
        "success",
    )


@bp.post("/c/<slug>/events/<int:event_id>/meet/opt-out")
def opt_out(slug: str, event_id: int):
    _, event, _ = load_visible_event(slug, event_id)
    viewer = _viewer(event)
    form = OptOutForm()
    if not form.validate_on_submit():
        abort(400)
    optins.opt_out(event, viewer)
    flash("Done: you're no longer suggested to anyone at this event.", "success")
    return redirect(_back(event, form.next.data))


@bp.post("/c/<slug>/events/<int:event_id>/meet/ask/<int:user_id>")
def ask(slug: str, event_id: int, user_id: int):
    """Ask for an introduction to `user_id`, with a note; the reasons shown go with it."""
    community, event, _ = load_visible_event(slug, event_id)
    viewer = _viewer(event)
    recipient = db.session.get(User, user_id)
    if recipient is None or recipient.deleted_at is not None:
        abort(404)
    form = AskForm()
    shown = _shown(form.show.data)
    again = {"shown": shown, "asked": (user_id, form), "status": 422}
    if not form.validate_on_submit():
        return render_meet(community, event, viewer, error=_first_error(form), **again)
    try:
        reasons = _reasons(event, viewer, user_id)
        requests.ask(
            viewer, recipient, community=community, event=event, note=form.note.data or "", reasons=reasons
        )
    except IntroductionError as error:
        return render_meet(community, event, viewer, error=error.message, **again)
    flash(f"Request sent to {recipient.name}. We'll email you if they say yes.", "success")
    return redirect(meet_url(event, show=shown if shown > SHOWN_FIRST else None, _anchor=f"person-{user_id}"))


def _first_error(form: AskForm) -> str:
    if "csrf_token" in form and form.csrf_token.errors:
        return "The form had expired. Please try again."
    return next((error for field in form for error in field.errors), "Please check the note.")


def _reasons(event: Event, viewer: User, user_id: int) -> str:
    """Why Roundtable suggested them, in the plain words the page showed."""
    page = meet_page(event, viewer)
    suggestion = next((s for s in page.suggestions if s.person.id == user_id), None) if page else None
    return "; ".join(str(reason) for reason in suggestion.reasons) if suggestion else ""


# -- the event page's card ---------------------------------------------------------------------


def meet_people_part(event: Event, membership: Membership | None, viewer: User | None) -> dict | None:
    """ "Meet people at this event" for attendees, where introductions are open: the switch,
    or (once on) the way to the meet page with how many others opted in."""
    if viewer is None or optins.attending_rsvp(event, viewer.id) is None:
        return None
    enabled, opted_in, opted_in_count = optins.card_facts(event, viewer)
    try:
        optins.check_open(event, enabled=enabled)
    except IntroductionError:
        return None
    return {
        "template": "introductions/_event_part.html",
        "opted_in": opted_in,
        "others": max(opted_in_count - (1 if opted_in else 0), 0),
        "meet_url": meet_url(event),
        "back_url": url_for("events.event_page", slug=event.community.slug, event_id=event.id),
        "opt_in_url": url_for("introductions.opt_in", slug=event.community.slug, event_id=event.id),
    }


@bp.record_once
def _register_meet(state) -> None:
    sections.add_part(state.app, sections.EVENT_PAGE_SECTIONS, meet_people_part, order=10)
