"""Introductions in a community's directory and on profiles: the directory's "Can help with"
search mode, "Ask for an introduction" beside each person (or where the viewer stands with
them), and the page with the note (/c/<slug>/people/<id>/introduce), which works without JS.

The directory and the profile page (members) name none of this: they ask the registry
(sections.DIRECTORY_HELP_SEARCH, sections.PERSON_ACTIONS), registered below.
"""

from __future__ import annotations

import math
from typing import Any

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import aliased

from community.auth.models import User
from community.communities.access import load_community, viewer_membership
from community.communities.models import Community, Membership, MembershipStatus
from community.communities.permissions import is_member
from community.core import sections
from community.core.access import Disclosure, Prompt, require, this_page
from community.core.urls import safe_next_url
from community.extensions import db
from community.introductions import lists, requests
from community.introductions.connections import connected_ids
from community.introductions.forms import AskForm
from community.introductions.matching import Person, who_can_help
from community.introductions.optins import IntroductionError
from community.introductions.routes import bp
from community.members import queries
from community.members.permissions import Audience
from community.members.search import FieldMatch

# -- "Can help with": the directory's second search mode ------------------------------------------


def help_search(
    community: Community, audience: Audience, query: queries.DirectoryQuery, viewer: User | None
) -> dict[str, Any]:
    """The directory in "Can help with" mode: the members the audience may see (with the
    query's filters) ranked by how well what they can help with, or else a skill, answers the
    words, with the same matching as the meet page's suggestions. Two queries whatever the
    community's size: the candidates' few columns, then the page's cards.

    {"page": None} outside that mode, or without words: the directory lists as usual."""
    if query.mode is not queries.Mode.HELP or not query.words:
        return {"page": None}
    viewer_id = viewer.id if viewer is not None and viewer.is_authenticated else None
    candidates = {
        c.user_id: c for c in queries.help_candidates(community, audience, query, leave_out=viewer_id)
    }
    people = [
        Person(id=c.user_id, name=c.name, can_help_with=c.can_help_with, skills=c.skills)
        for c in candidates.values()
    ]
    found = who_can_help(query.text, people)
    size = queries.PAGE_SIZE
    number = min(max(1, query.page), max(1, math.ceil(len(found) / size)))
    shown = {match.person.id: match.phrase for match in found[(number - 1) * size : number * size]}
    entries = queries.entries_for([candidates[user_id].membership_id for user_id in shown], audience)
    for entry in entries:
        phrase = shown[entry.person.id]
        label = "can help with" if phrase in candidates[entry.person.id].can_help_with else "skills"
        entry.help = FieldMatch(label, [(phrase, True)])
    return {"page": queries.DirectoryPage(entries=entries, total=len(found), page=number)}


# -- beside a person: "Ask for an introduction", or where the viewer stands -----------------------


def _standings(viewer: User) -> dict[int, str]:
    """How the viewer stands with everyone (lists.standings, and connections made by meeting),
    read once per request however many people the page shows."""
    cache = g.setdefault("introductions_standings", {})
    if viewer.id not in cache:
        found = lists.standings(viewer.id)
        found.update(dict.fromkeys(connected_ids(viewer.id), lists.CONNECTED))
        cache[viewer.id] = found
    return cache[viewer.id]


def _is_member(community: Community, viewer: User) -> bool:
    """Whether the viewer is an active member of `community`, once per request."""
    cache = g.setdefault("introductions_member_of", {})
    if community.id not in cache:
        cache[community.id] = is_member(viewer_membership(community))
    return cache[community.id]


def _shared_community(viewer: User, person_id: int) -> Community | None:
    """The first community (by name) where both are active members (one query)."""
    mine, theirs = aliased(Membership), aliased(Membership)
    return db.session.scalar(
        select(Community)
        .join(mine, (mine.community_id == Community.id) & (mine.user_id == viewer.id))
        .join(theirs, (theirs.community_id == Community.id) & (theirs.user_id == person_id))
        .where(mine.status == MembershipStatus.ACTIVE, theirs.status == MembershipStatus.ACTIVE)
        .order_by(Community.name, Community.id)
        .limit(1)
    )


def person_actions(person_id: int, community: Community | None, viewer: User | None) -> dict | None:
    """For a signed-in member looking at another person: the way to ask for an introduction
    (in `community`, or on a profile the first community they share), or how they stand.
    `community` is the directory's: everyone it lists is an active member of it."""
    if viewer is None or not viewer.is_authenticated or person_id == viewer.id:
        return None
    if community is None:
        community = _shared_community(viewer, person_id)
    elif not _is_member(community, viewer):
        community = None
    if community is None:
        return None
    return {
        "template": "introductions/_person_actions.html",
        "standing": _standings(viewer).get(person_id),
        "ask_url": url_for(
            "introductions.ask_member", slug=community.slug, user_id=person_id, next=this_page()
        ),
    }


# -- the page with the note --------------------------------------------------------------------


def _member_viewer(community: Community) -> User:
    """The signed-in active member; a visitor is asked to log in, anyone else to join."""
    membership = viewer_membership(community)
    require(
        is_member(membership),
        Disclosure.EXISTS,
        Prompt(
            what="who you can meet here",
            detail=f"Members of {community.name} can ask each other for introductions.",
            community_name=community.name,
            community_url=url_for("communities.home", slug=community.slug),
            pending=membership is not None and membership.status == MembershipStatus.PENDING,
        ),
    )
    return current_user._get_current_object()


def _first_error(form: AskForm) -> str:
    if "csrf_token" in form and form.csrf_token.errors:
        return "The form had expired. Please try again."
    return next((error for field in form for error in field.errors), "Please check the note.")


def _send(form: AskForm, viewer: User, recipient: User, community: Community) -> str | None:
    """Send the request from a submitted form: None when sent, else the message to show."""
    if not form.validate_on_submit():
        return _first_error(form)
    try:
        requests.ask(viewer, recipient, community=community, note=form.note.data or "")
    except IntroductionError as error:
        return error.message
    return None


@bp.route("/c/<slug>/people/<int:user_id>/introduce", methods=["GET", "POST"])
def ask_member(slug: str, user_id: int):
    """Ask a fellow member for an introduction, with a note; GET shows the form (or where the
    viewer stands with them). Someone who isn't a member the viewer may see is a 404."""
    community = load_community(slug)
    viewer = _member_viewer(community)
    entry = queries.member_seen_by(community, user_id, Audience.MEMBERS)
    if entry is None:
        abort(404)
    back = safe_next_url(request.values.get("next"), url_for("members.directory", slug=community.slug))
    form = AskForm()
    error = _send(form, viewer, entry.person.user, community) if request.method == "POST" else None
    if request.method == "POST" and error is None:
        flash(f"Request sent to {entry.person.name}. We'll email you if they say yes.", "success")
        return redirect(back)
    standing = "self" if user_id == viewer.id else _standings(viewer).get(user_id)
    html = render_template(
        "introductions/introduce.html",
        community=community, entry=entry, person=entry.person, form=form, error=error,
        standing=standing, back=back,
    )  # fmt: skip
    return html, 422 if error else 200


@bp.record_once
def _register_in_directory(state) -> None:
    sections.provide(state.app, sections.DIRECTORY_HELP_SEARCH, help_search)
    sections.add_part(state.app, sections.PERSON_ACTIONS, person_actions, order=10)
