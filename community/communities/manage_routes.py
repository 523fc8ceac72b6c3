"""Organizer screens under /c/<slug>/manage. Every view starts with require_organizer:
logged-out visitors are sent to log in, non-members get 404 and members 403."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from community.communities import invitations, lists, moderation, services
from community.communities.access import require_organizer
from community.communities.forms import (
    InviteEmailsForm,
    InviteLinkForm,
    SettingsForm,
    TransferForm,
    audit_query,
    member_query,
)
from community.communities.models import Community, Invitation, InviteLink, Membership
from community.communities.permissions import can_change_member, can_transfer_ownership
from community.core import audit as audit_log
from community.core import sections
from community.core.errors import DomainError
from community.core.forms import EmptyForm, form_status
from community.core.models import utcnow
from community.core.pagination import page_arg, page_number
from community.extensions import db

bp = Blueprint("manage", __name__, url_prefix="/c/<slug>/manage")

#: The POST-button actions on the member list: name -> (service, success message).
MEMBER_ACTIONS = {
    "approve": (moderation.approve, "{name} is now a member. We emailed them the good news."),
    "decline": (moderation.decline, "You declined {name}'s request. We let them know."),
    "promote": (moderation.promote, "{name} is now an organizer."),
    "demote": (moderation.demote, "{name} is a member again."),
}


def _target(community: Community, membership_id: int) -> Membership:
    target = moderation.membership_in(community, membership_id)
    if target is None:
        abort(404)
    return target


@bp.get("")
def overview(slug: str):
    community, membership = require_organizer(slug)
    return render_template(
        "communities/manage/overview.html",
        community=community,
        membership=membership,
        figures=lists.manage_figures(community),
    )


@bp.get("/members")
def members(slug: str):
    community, membership = require_organizer(slug)
    cohorts, attendance = lists.member_cohorts(community), lists.attendance_known()
    query = member_query(request.args, cohorts=cohorts, attended=attendance)
    return render_template(
        "communities/manage/members.html",
        community=community,
        membership=membership,
        query=query,
        show=query.show,
        filters=lists.MEMBER_FILTERS,
        choices={"cohort": cohorts, "joined": lists.JOINED, "attended": lists.LAST_ATTENDED},
        attendance=attendance,
        figures=lists.manage_figures(community),
        pagination=lists.members_page(community, query, page_arg()),
        can_change=lambda target: can_change_member(membership, target),
        form=EmptyForm(),
    )


#: The member actions that ask first, on a confirmation page (an organizer sees and changes a lot).
CONFIRMED_ACTIONS = ("promote",)


@bp.get("/members/<int:membership_id>/<any(promote):action>")
def confirm_member_action(slug: str, membership_id: int, action: str):
    community, membership = require_organizer(slug)
    target = _target(community, membership_id)
    if not can_change_member(membership, target):
        abort(403)
    return render_template(
        "communities/manage/confirm.html",
        community=community,
        membership=membership,
        target=target,
        action=action,
        show=request.args.get("show") if request.args.get("show") in lists.MEMBER_FILTERS else "members",
    )


@bp.post("/members/<int:membership_id>/<any(approve, decline, promote, demote):action>")
def member_action(slug: str, membership_id: int, action: str):
    community, membership = require_organizer(slug)
    target = _target(community, membership_id)
    back = request.form.get("show") or ("pending" if action in ("approve", "decline") else "members")
    if action in CONFIRMED_ACTIONS and not request.form.get("confirm"):
        there = {"slug": slug, "membership_id": target.id, "action": action, "show": back}
        return redirect(url_for("manage.confirm_member_action", **there))
    if EmptyForm().validate_on_submit():
        service, message = MEMBER_ACTIONS[action]
        name = target.user.name
        try:
            service(membership, target)
        except services.CommunityError as error:
            flash(error.message, "error")
        else:
            flash(message.format(name=name), "success")
    return redirect(url_for("manage.members", slug=slug, show=back))


@bp.route("/members/<int:membership_id>/remove", methods=["GET", "POST"])
def remove_member(slug: str, membership_id: int):
    community, membership = require_organizer(slug)
    target = _target(community, membership_id)
    if not can_change_member(membership, target):
        abort(403)
    form = EmptyForm()
    if form.validate_on_submit():
        name = target.user.name
        try:
            moderation.remove(membership, target)
        except services.CommunityError as error:
            flash(error.message, "error")
        else:
            flash(f"{name} is no longer a member of {community.name}.", "success")
        return redirect(url_for("manage.members", slug=slug))
    return render_template(
        "communities/manage/remove.html", community=community, membership=membership, target=target, form=form
    )


@bp.route("/settings", methods=["GET", "POST"])
def settings(slug: str):
    community, membership = require_organizer(slug)
    form = SettingsForm(obj=community if request.method == "GET" else None)
    if request.method == "GET":
        form.kind.data = community.kind.value
        form.join_policy.data = community.join_policy.value
    if form.validate_on_submit():
        try:
            changed = services.update_community(
                community,
                current_user,
                logo=form.logo_bytes,
                remove_logo=bool(form.remove_logo.data),
                **form.community_fields(),
            )
        except services.CommunityError as error:
            form.name.errors = [*form.name.errors, error.message]
        else:
            flash("Settings saved." if changed else "Nothing changed.", "success" if changed else "info")
            return redirect(url_for("manage.settings", slug=slug))
    return render_template(
        "communities/manage/settings.html", community=community, membership=membership, form=form
    ), form_status(form)


def _invitations_page(community: Community, membership: Membership, email_form, link_form, status=200):
    return render_template(
        "communities/manage/invitations.html",
        community=community,
        membership=membership,
        email_form=email_form,
        link_form=link_form,
        links=lists.invite_links(community),
        pagination=lists.pending_invitations_page(community, page_arg()),
        form=EmptyForm(),
        now=utcnow(),
    ), status


@bp.route("/invitations", methods=["GET", "POST"])
def invitations_page(slug: str):
    community, membership = require_organizer(slug)
    form = InviteEmailsForm()
    if form.validate_on_submit():
        cohort = form.cohort.data or None
        invitees = [invitations.Invitee(email=address, cohort=cohort) for address in form.addresses]
        try:
            report = invitations.invite(community, current_user, invitees, source="email")
        except DomainError as error:
            form.emails.errors.append(error.message)
            return _invitations_page(community, membership, form, InviteLinkForm(formdata=None), 422)
        flash(
            f"{len(report.invited)} invited, {len(report.already_members)} already members, "
            f"{len(report.already_invited)} already invited.",
            "success" if report.invited else "info",
        )
        return redirect(url_for("manage.invitations_page", slug=slug))
    return _invitations_page(community, membership, form, InviteLinkForm(formdata=None), form_status(form))


def _pending_invitation(community: Community, invitation_id: int) -> Invitation:
    invitation = invitations.pending_invitation(community, invitation_id)
    if invitation is None:
        abort(404)
    return invitation


def _back_to_invitations(slug: str):
    page = page_number(request.form.get("page"))
    return redirect(
        url_for("manage.invitations_page", slug=slug, page=page if page > 1 else None) + "#pending"
    )


@bp.post("/invitations/<int:invitation_id>/resend")
def resend_invitation(slug: str, invitation_id: int):
    community, _membership = require_organizer(slug)
    invitation = _pending_invitation(community, invitation_id)
    if EmptyForm().validate_on_submit():
        try:
            invitations.resend(community, invitation, current_user)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(f"We emailed {invitation.email} again, with a new link valid for 30 days.", "success")
    return _back_to_invitations(slug)


@bp.route("/invitations/<int:invitation_id>/revoke", methods=["GET", "POST"])
def revoke_invitation(slug: str, invitation_id: int):
    """Asks first; the emailed link then says the invitation is no longer valid."""
    community, membership = require_organizer(slug)
    invitation = _pending_invitation(community, invitation_id)
    form = EmptyForm()
    if form.validate_on_submit():
        email = invitation.email
        invitations.revoke(community, invitation, current_user)
        flash(f"The invitation to {email} is withdrawn: its link no longer works.", "success")
        return _back_to_invitations(slug)
    return render_template(
        "communities/manage/revoke_invitation.html",
        community=community,
        membership=membership,
        invitation=invitation,
        form=form,
        page=page_number(request.args.get("page")),
    ), form_status(form)


@bp.post("/links")
def create_link(slug: str):
    community, membership = require_organizer(slug)
    form = InviteLinkForm()
    if form.validate_on_submit():
        days = form.expires_in_days.data
        invitations.create_link(
            community,
            current_user,
            expires_at=utcnow() + timedelta(days=days) if days else None,
            max_uses=form.max_uses.data or None,
        )
        flash("Your invitation link is ready to share.", "success")
        return redirect(url_for("manage.invitations_page", slug=slug) + "#links")
    return _invitations_page(community, membership, InviteEmailsForm(formdata=None), form, form_status(form))


@bp.post("/links/<int:link_id>/revoke")
def revoke_link(slug: str, link_id: int):
    community, _membership = require_organizer(slug)
    link = db.session.get(InviteLink, link_id)
    if link is None or link.community_id != community.id:
        abort(404)
    if EmptyForm().validate_on_submit():
        invitations.revoke_link(community, link, current_user)
        flash("The link is revoked: nobody can join with it any more.", "success")
    return redirect(url_for("manage.invitations_page", slug=slug) + "#links")


@bp.route("/transfer", methods=["GET", "POST"])
def transfer(slug: str):
    community, membership = require_organizer(slug)
    if not can_transfer_ownership(membership):
        abort(403)
    candidates = [m for m in lists.active_members(community) if m.user_id != membership.user_id]
    form = TransferForm(choices=[(m.id, f"{m.user.name} ({m.role.value})") for m in candidates])
    if form.validate_on_submit():
        target = _target(community, form.new_owner.data)
        try:
            moderation.transfer_ownership(membership, target)
        except services.CommunityError as error:
            form.new_owner.errors = [*form.new_owner.errors, error.message]
        else:
            flash(f"{target.user.name} now owns {community.name}. You are an organizer.", "success")
            return redirect(url_for("manage.overview", slug=slug))
    return render_template(
        "communities/manage/transfer.html",
        community=community,
        membership=membership,
        form=form,
        candidates=candidates,
    ), form_status(form)


@bp.get("/audit")
def audit(slug: str):
    community, membership = require_organizer(slug)
    query = audit_query(request.args)
    return render_template(
        "communities/manage/audit.html",
        community=community,
        membership=membership,
        query=query,
        kinds=audit_log.KINDS,
        sentence=audit_log.sentence,
        extra_detail=audit_log.extra_detail,
        pagination=lists.audit_page(community, page_arg(), person=query.person, kind=query.kind),
    )


@bp.record_once
def _register_tabs(state) -> None:
    place = sections.COMMUNITY_MANAGE_TABS
    for tab in (
        sections.Tab("Overview", "manage.overview", 10),
        sections.Tab(
            "Members", "manage.members", 20, active=("manage.remove_member", "manage.confirm_member_action")
        ),
        sections.Tab(
            "Invitations",
            "manage.invitations_page",
            30,
            active=("manage.create_link", "manage.revoke_invitation"),
        ),
        sections.Tab("Settings", "manage.settings", 60),
        sections.Tab("Audit log", "manage.audit", 70),
        sections.Tab("Ownership", "manage.transfer", 80, shown=can_transfer_ownership),
    ):
        sections.add_tab(state.app, place, tab)
    for card in (
        sections.Tab(
            "Members and requests", "manage.members", 20,
            description="Approve or decline requests, make organizers, remove members.",
        ),
        sections.Tab(
            "Invitations", "manage.invitations_page", 30,
            description="Invite people by email, or share a link with an expiry and a use limit.",
        ),
        sections.Tab(
            "Settings", "manage.settings", 60,
            description="Name, description, logo, time zone, who can join, directory visibility.",
        ),
        sections.Tab(
            "Audit log", "manage.audit", 70, description="Everything organizers have done here, newest first."
        ),
        sections.Tab(
            "Hand ownership over", "manage.transfer", 80, shown=can_transfer_ownership,
            description="Make another member the owner; you stay on as an organizer.",
        ),
    ):  # fmt: skip
        sections.add_tab(state.app, sections.COMMUNITY_OVERVIEW_LINKS, card)
