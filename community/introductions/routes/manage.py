"""The organizers' side of introductions: the community's networking topics (Manage → Topics)
and an event's Introductions tab (the on/off switch, counts, introducing two attendees).

Every screen starts with require_organizer / require_event_organizer (logged out -> log in,
non-member 404, member 403, an event of another community 404). Organizers see counts of
introductions, never their notes.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from community.auth.models import User
from community.communities.access import require_organizer
from community.communities.models import Community, Membership
from community.core import sections
from community.core.forms import EmptyForm, form_status
from community.events.access import require_event_organizer, screen_context
from community.events.models import Event
from community.extensions import db
from community.introductions import optins, organizer, requests
from community.introductions.manage_forms import IntroduceForm, TopicForm
from community.introductions.models import IntroductionStatus, Topic
from community.introductions.optins import IntroductionError
from community.introductions.routes import bp

TOPICS = "/c/<slug>/manage/topics"
EVENT = "/c/<slug>/manage/events/<int:event_id>/introductions"


# -- topics -------------------------------------------------------------------------------------


def _topic_or_404(community: Community, topic_id: int) -> Topic:
    topic = db.session.get(Topic, topic_id)
    if topic is None or topic.community_id != community.id:
        abort(404)
    return topic


def _topics_page(community: Community, membership: Membership, *, add_form=None, renaming=None, status=200):
    """The topics screen; `renaming` is (topic id, its form) when a new name was refused."""
    topics = optins.topics_of(community, with_archived=True)
    return render_template(
        "introductions/manage/topics.html",
        community=community,
        membership=membership,
        active=[topic for topic in topics if not topic.archived],
        archived=[topic for topic in topics if topic.archived],
        chosen=organizer.topic_choice_counts(community),
        add_form=add_form or TopicForm(formdata=None),
        renaming=renaming or (None, None),
        max_topics=optins.MAX_TOPICS,
    ), status


@bp.route(TOPICS, methods=["GET", "POST"])
def topics(slug: str):
    community, membership = require_organizer(slug)
    form = TopicForm()
    if form.validate_on_submit():
        try:
            topic = optins.add_topic(community, current_user, form.name.data)
        except IntroductionError as error:
            form.name.errors = [*form.name.errors, error.message]
        else:
            flash(f"“{topic.name}” is on the list: members can tick it when they opt in.", "success")
            return redirect(url_for("introductions.topics", slug=slug))
    return _topics_page(community, membership, add_form=form, status=422 if form.errors else 200)


@bp.post(f"{TOPICS}/<int:topic_id>/rename")
def rename_topic(slug: str, topic_id: int):
    community, membership = require_organizer(slug)
    topic = _topic_or_404(community, topic_id)
    form = TopicForm(prefix=f"topic-{topic.id}")
    if form.validate_on_submit():
        old = topic.name
        try:
            optins.rename_topic(topic, community, current_user, form.name.data)
        except IntroductionError as error:
            form.name.errors = [*form.name.errors, error.message]
        else:
            if old != topic.name:
                flash(f"“{old}” is now called “{topic.name}”, for everyone who ticked it too.", "success")
            return redirect(url_for("introductions.topics", slug=slug))
    return _topics_page(community, membership, renaming=(topic.id, form), status=422)


@bp.route(f"{TOPICS}/<int:topic_id>/archive", methods=["GET", "POST"])
def archive_topic(slug: str, topic_id: int):
    """GET asks "are you sure?"; the button archives."""
    community, membership = require_organizer(slug)
    topic = _topic_or_404(community, topic_id)
    if topic.archived:
        flash(f"“{topic.name}” is already archived.", "info")
        return redirect(url_for("introductions.topics", slug=slug))
    form = EmptyForm()
    if form.validate_on_submit():
        optins.archive_topic(topic, community, current_user)
        flash(f"“{topic.name}” is archived. Restore it whenever you like.", "success")
        return redirect(url_for("introductions.topics", slug=slug))
    return render_template(
        "introductions/manage/archive_topic.html",
        community=community,
        membership=membership,
        topic=topic,
        chosen=organizer.topic_choice_counts(community).get(topic.id, 0),
        form=form,
    ), form_status(form)


@bp.post(f"{TOPICS}/<int:topic_id>/restore")
def restore_topic(slug: str, topic_id: int):
    community, _ = require_organizer(slug)
    topic = _topic_or_404(community, topic_id)
    if EmptyForm().validate_on_submit() and topic.archived:
        try:
            optins.add_topic(community, current_user, topic.name)  # the same name restores it
        except IntroductionError as error:
            flash(error.message, "error")
        else:
            flash(f"“{topic.name}” is back: members can tick it again.", "success")
    return redirect(url_for("introductions.topics", slug=slug))


# -- an event's Introductions tab -------------------------------------------------------------------


def _people(event: Event) -> list[tuple[int, str]]:
    return [
        (user.id, f"{user.name} (open to introductions)" if opted_in else user.name)
        for user, opted_in in organizer.attendees_by_name(event)
    ]


def _event_page(community, membership, event, form: IntroduceForm, status: int = 200):
    try:
        optins.check_open(event)
        closed = None
    except IntroductionError as error:
        closed = error.message
    counts = organizer.counts_at(event)
    return render_template(
        "introductions/manage/event.html",
        **screen_context(community, membership, event),
        enabled=optins.introductions_enabled(event),
        closed=closed,
        opted_in=optins.opted_in_count(event),
        requested=sum(counts.values()),
        accepted=counts[IntroductionStatus.ACCEPTED],
        waiting=counts[IntroductionStatus.PENDING],
        followups=organizer.followups_sent(event),
        form=form,
        switch=EmptyForm(formdata=None),
    ), status


@bp.route(EVENT, methods=["GET", "POST"])
def event_introductions(slug: str, event_id: int):
    """The tab, and its "Introduce two attendees" form."""
    community, membership, event = require_event_organizer(slug, event_id)
    people = _people(event)
    form = IntroduceForm(people=people)
    if form.validate_on_submit():
        first, second = (db.session.get(User, form[field].data) for field in ("first", "second"))
        try:
            requests.introduce(current_user, first, second, event=event, note=form.note.data)
        except IntroductionError as error:
            form.form_errors.append(error.message)
        else:
            flash(
                f"Sent: {first.name} and {second.name} are both asked; they meet once both say yes.",
                "success",
            )
            return redirect(url_for("introductions.event_introductions", slug=slug, event_id=event.id))
    return _event_page(community, membership, event, form, 422 if form.errors else 200)


@bp.post(f"{EVENT}/<any(on, off):state>")
def switch(slug: str, event_id: int, state: str):
    _, _, event = require_event_organizer(slug, event_id)
    if EmptyForm().validate_on_submit():
        optins.set_enabled(event, current_user, state == "on")
        if state == "on":
            flash("Introductions are on: attendees can opt in and ask to meet each other.", "success")
        else:
            flash("Introductions are off: nobody is suggested or can ask for an introduction here.", "info")
    return redirect(url_for("introductions.event_introductions", slug=slug, event_id=event.id))


@bp.record_once
def _register(state) -> None:
    app = state.app
    topics_tab = sections.Tab(
        "Topics", "introductions.topics", 55,
        active=("introductions.rename_topic", "introductions.archive_topic", "introductions.restore_topic"),
    )  # fmt: skip
    sections.add_tab(app, sections.COMMUNITY_MANAGE_TABS, topics_tab)
    topics_card = sections.Tab(
        "Networking topics", "introductions.topics", 55,
        description="What members tick when they opt in: what they can help with, what they look for.",
    )  # fmt: skip
    sections.add_tab(app, sections.COMMUNITY_OVERVIEW_LINKS, topics_card)
    event_tab = sections.Tab(
        "Introductions", "introductions.event_introductions", 50, active=("introductions.switch",)
    )
    sections.add_tab(app, sections.EVENT_MANAGE_TABS, event_tab)
    sections.also_current(
        app, sections.COMMUNITY_MANAGE_TABS, "event_admin.events",
        "introductions.event_introductions", "introductions.switch",
    )  # fmt: skip
