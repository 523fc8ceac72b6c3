"""Community pages: the list, starting one, /c/<slug>, its logo, joining, leaving and invitations.

The organizer screens under /c/<slug>/manage live in manage_routes.py.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from community.auth.models import User
from community.communities import invitations, lists, queries, services
from community.communities.access import load_community, viewer_membership
from community.communities.forms import CreateCommunityForm, JoinRequestForm
from community.communities.models import Community, JoinPolicy
from community.communities.permissions import can_manage, is_member
from community.communities.queries import active_member_count
from community.core import sections
from community.core.errors import DomainError
from community.core.forms import EmptyForm, form_status
from community.core.images import image_response
from community.core.pagination import page_arg
from community.core.public_pages import for_visitors
from community.core.sections import COMMUNITY_CALENDAR_LINKS, COMMUNITY_EVENTS, COMMUNITY_ORGANIZERS, section
from community.extensions import db

bp = Blueprint("communities", __name__)


def _login_redirect():
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


@bp.get("/communities")
def index():
    pagination = lists.communities_page(page_arg())
    mine = lists.memberships_of_user(current_user) if current_user.is_authenticated else []
    return render_template(
        "communities/index.html",
        pagination=pagination,
        rows=lists.community_rows(list(pagination.items)),
        mine=mine,
    )


@bp.route("/communities/new", methods=["GET", "POST"])
@login_required
def new():
    form = CreateCommunityForm()
    if form.validate_on_submit():
        try:
            community = services.create_community(
                current_user, slug=form.slug.data, logo=form.logo_bytes, **form.community_fields()
            )
        except services.SlugError as error:
            form.slug.errors = [*form.slug.errors, error.message]
        except services.CommunityError as error:
            form.name.errors = [*form.name.errors, error.message]
        else:
            flash(f"{community.name} is ready. Invite your first members!", "success")
            return redirect(url_for("communities.home", slug=community.slug))
    return render_template("communities/new.html", form=form), form_status(form)


@bp.get("/c/<slug>")
@for_visitors(queries.community_page_state)
def home(slug: str):
    community = load_community(slug)
    membership = viewer_membership(community)
    viewer = current_user if current_user.is_authenticated else None
    return render_template(
        "communities/home.html",
        community=community,
        membership=membership,
        member_count=active_member_count(community),
        organizers=section(COMMUNITY_ORGANIZERS, community, viewer),
        sidebar_parts=sections.parts(sections.COMMUNITY_SIDEBAR, community, membership, viewer),
        is_member=is_member(membership),
        can_manage=can_manage(membership),
        # Only signed-in people get a form (Join): a visitor's page carries no CSRF token.
        form=EmptyForm() if viewer is not None else None,
        upcoming=section(COMMUNITY_EVENTS, community, membership),
        calendar_links=section(COMMUNITY_CALENDAR_LINKS, community),
    )


@bp.get("/c/<slug>/logo")
def logo(slug: str):
    community = load_community(slug)
    if not community.logo_content_type or not community.logo:
        abort(404)
    return image_response(community.logo, community.logo_content_type, shared=True)


@bp.post("/c/<slug>/join")
def join(slug: str):
    community = load_community(slug)
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=url_for("communities.home", slug=slug)))
    if not EmptyForm().validate_on_submit():
        abort(400)
    if community.join_policy == JoinPolicy.APPROVAL and not is_member(viewer_membership(community)):
        return redirect(url_for("communities.join_request", slug=slug))
    try:
        services.join(community, current_user)
    except services.CommunityError as error:
        flash(error.message, "error")
    else:
        flash(f"Welcome to {community.name}!", "success")
    return redirect(url_for("communities.home", slug=slug))


@bp.route("/c/<slug>/join/request", methods=["GET", "POST"])
@login_required
def join_request(slug: str):
    community = load_community(slug)
    membership = viewer_membership(community)
    if membership is not None or community.join_policy != JoinPolicy.APPROVAL:
        if community.join_policy == JoinPolicy.INVITATION and membership is None:
            flash(f"{community.name} is by invitation only. Ask an organizer for an invitation.", "error")
        return redirect(url_for("communities.home", slug=slug))
    form = JoinRequestForm()
    if form.validate_on_submit():
        try:
            services.request_to_join(community, current_user, form.answer.data)
        except DomainError as error:
            form.answer.errors = [*form.answer.errors, error.message]
        else:
            flash("Thanks! Your request is with the organizers; we'll email you when they decide.", "success")
            return redirect(url_for("communities.home", slug=slug))
    return render_template("communities/join_request.html", community=community, form=form), form_status(form)


@bp.route("/c/<slug>/leave", methods=["GET", "POST"])
@login_required
def leave(slug: str):
    community = load_community(slug)
    membership = viewer_membership(community)
    if membership is None:
        flash(f"You are not a member of {community.name}.", "info")
        return redirect(url_for("communities.home", slug=slug))
    last_owner = membership.is_owner and services.owner_count(community) <= 1
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            services.leave(community, current_user)
        except services.CommunityError as error:
            flash(error.message, "error")
            return redirect(url_for("communities.leave", slug=slug))
        if membership.is_active:
            flash(f"You have left {community.name}.", "info")
        else:
            flash(f"Your request to join {community.name} is withdrawn.", "info")
        return redirect(url_for("communities.home", slug=slug))
    return render_template(
        "communities/leave.html", community=community, membership=membership, last_owner=last_owner, form=form
    )


# -- invitations ---------------------------------------------------------------------------------


def _invitation_page(community: Community, *, invited_by: User | None, note: str | None, action_url: str):
    membership = viewer_membership(community)
    return render_template(
        "communities/invitation.html",
        community=community,
        invited_by=invited_by,
        note=note,
        action_url=action_url,
        membership=membership,
        is_member=is_member(membership),
        member_count=active_member_count(community),
        form=EmptyForm(),
    )


def _invalid(community: Community, message: str):
    return render_template("communities/invitation_invalid.html", community=community, message=message), 410


@bp.route("/c/<slug>/invite/<token>", methods=["GET", "POST"])
def invitation(slug: str, token: str):
    community = load_community(slug)
    try:
        invite = invitations.invitation_for_token(community, token)
        if invite.accepted_at is not None and (
            not current_user.is_authenticated or invite.accepted_by_id != current_user.id
        ):
            raise invitations.InvitationError("That invitation has already been used.")
    except invitations.InvitationError as error:
        return _invalid(community, error.message)
    if request.method == "POST":
        if not current_user.is_authenticated:
            return _login_redirect()
        if not EmptyForm().validate_on_submit():
            abort(400)
        try:
            invitations.accept_invitation(community, token, current_user)
        except invitations.InvitationError as error:
            return _invalid(community, error.message)
        flash(f"Welcome to {community.name}! You're a member now.", "success")
        return redirect(url_for("communities.home", slug=slug))
    note = None
    if current_user.is_authenticated and invite.email != current_user.email:
        note = f"This invitation was sent to {invite.email}; you'll join as {current_user.email}."
    inviter = db.session.get(User, invite.invited_by_id) if invite.invited_by_id else None
    return _invitation_page(community, invited_by=inviter, note=note, action_url=request.path)


@bp.route("/c/<slug>/join/<token>", methods=["GET", "POST"])
def invite_link(slug: str, token: str):
    community = load_community(slug)
    try:
        link = invitations.link_for_token(community, token)
    except invitations.InvitationError as error:
        if not (current_user.is_authenticated and is_member(viewer_membership(community))):
            return _invalid(community, error.message)
        link = None
    if request.method == "POST":
        if not current_user.is_authenticated:
            return _login_redirect()
        if not EmptyForm().validate_on_submit():
            abort(400)
        try:
            invitations.join_by_link(community, token, current_user)
        except invitations.InvitationError as error:
            if not is_member(viewer_membership(community)):
                return _invalid(community, error.message)
        flash(f"Welcome to {community.name}! You're a member now.", "success")
        return redirect(url_for("communities.home", slug=slug))
    creator = db.session.get(User, link.created_by_id) if link and link.created_by_id else None
    return _invitation_page(community, invited_by=creator, note=None, action_url=request.path)
