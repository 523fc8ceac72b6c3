"""A member's own pages: the introductions waiting for them (/me/introductions, where the
emails link), their answers, and their network (/me/network); and the account page's card
that leads there."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_sqlalchemy.pagination import Pagination

from community.auth.models import User
from community.core import sections
from community.core.forms import EmptyForm
from community.core.models import utcnow
from community.core.pagination import page_arg, page_number
from community.extensions import db
from community.introductions import lists, requests
from community.introductions.connections import connected_ids
from community.introductions.models import Introduction, IntroductionStatus
from community.introductions.network import contacts, fill_in, search
from community.introductions.optins import IntroductionError
from community.introductions.routes import bp

PER_PAGE = 20
NETWORK_PER_PAGE = 30
SEARCH_LENGTH = 100


class ListPagination(Pagination):
    """A page of a list already in memory (the network, filtered by a search)."""

    def _query_items(self) -> list:
        rows = self._query_args["rows"]
        return rows[self._query_offset : self._query_offset + self.per_page]

    def _query_count(self) -> int:
        return len(self._query_args["rows"])


def _viewer() -> User:
    return current_user._get_current_object()


def _paginate(statement, page: int) -> Pagination:
    return db.paginate(statement, page=page, per_page=PER_PAGE, error_out=False, count=True)


@bp.get("/me/introductions")
@login_required
def inbox():
    """Waiting for my answer, what I asked for, and who said yes (with their details)."""
    viewer = _viewer()
    sent = _paginate(lists.sent_by(viewer), page_number(request.args.get("sent")))
    accepted = _paginate(lists.accepted_for(viewer), page_arg())
    return render_template(
        "introductions/inbox.html",
        waiting=lists.entries(lists.waiting_for(viewer, utcnow()), viewer),
        sent=sent,
        sent_entries=lists.entries(sent.items, viewer),
        accepted=accepted,
        accepted_entries=lists.entries(accepted.items, viewer, with_contact=True),
        answer_form=EmptyForm(),
    )


def _answerable(introduction_id: int) -> Introduction:
    """:raises NotFound: unless the viewer is the one (or, for an organizer's introduction,
    one of the two) to answer it."""
    introduction = db.session.get(Introduction, introduction_id)
    if introduction is None or not lists.may_answer(introduction, _viewer()):
        abort(404)
    return introduction


def _answer(introduction_id: int, decide) -> str | None:
    """Check the form and call `decide`; the error's message, if it refuses."""
    if not current_user.is_authenticated:
        abort(redirect(url_for("auth.login", next=url_for("introductions.inbox"))))
    introduction = _answerable(introduction_id)
    if not EmptyForm().validate_on_submit():
        return "The form had expired. Please try again."
    try:
        decide(introduction, _viewer())
    except IntroductionError as error:
        return error.message
    return None


@bp.post("/me/introductions/<int:introduction_id>/accept")
def accept(introduction_id: int):
    error = _answer(introduction_id, requests.accept)
    if error:
        flash(error, "error")
        return redirect(url_for("introductions.inbox"))
    introduction = db.session.get(Introduction, introduction_id)
    other = introduction.other(current_user.id)
    if introduction.status == IntroductionStatus.ACCEPTED:
        flash(f"You and {other.name} are introduced: see their contact details below.", "success")
        return redirect(url_for("introductions.inbox", _anchor=f"introduction-{introduction.id}"))
    flash(f"Thanks! We'll introduce you as soon as {other.name} says yes too.", "success")
    return redirect(url_for("introductions.inbox"))


@bp.post("/me/introductions/<int:introduction_id>/decline")
def decline(introduction_id: int):
    error = _answer(introduction_id, requests.decline)
    if error:
        flash(error, "error")
        return redirect(url_for("introductions.inbox"))
    other = db.session.get(Introduction, introduction_id).other(current_user.id)
    flash(f"Done. {other.name} will only read “not this time”, never why.", "success")
    return redirect(url_for("introductions.inbox"))


@bp.get("/me/network")
@login_required
def network():
    """My connections, where we met, what they can help with, and where they're going next."""
    viewer = _viewer()
    query = " ".join(request.args.get("q", "")[:SEARCH_LENGTH].split())
    everyone = contacts(viewer)
    found = search(everyone, query)
    pagination = ListPagination(rows=found, page=page_arg(), per_page=NETWORK_PER_PAGE, error_out=False)
    fill_in(viewer, pagination.items, utcnow())
    return render_template(
        "introductions/network.html",
        query=query,
        total=len(everyone),
        pagination=pagination,
        shown=pagination.items,
        network_parts=sections.parts(
            sections.NETWORK_PARTS, viewer, [contact.user.id for contact in pagination.items]
        ),
    )


def account_section(user: User) -> dict:
    """The account page's "Introductions" card: how many wait for an answer, and the way to
    My introductions and My network."""
    return {
        "template": "introductions/_account.html",
        "waiting": lists.waiting_count(user),
        "connections": len(connected_ids(user.id)),
    }


@bp.record_once
def _register_member_pages(state) -> None:
    sections.add_part(state.app, sections.ACCOUNT_SECTIONS, account_section, order=15)
