"""Profiles (/profile, /people/<id>), each community's member directory (/c/<slug>/members),
and the organizers' member list export (/c/<slug>/manage/members.csv)."""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from community.auth.models import User
from community.communities.access import load_community, require_organizer, viewer_membership
from community.communities.models import Community, Membership, MembershipStatus
from community.communities.permissions import can_view_directory, is_member
from community.communities.queries import active_member_count, membership_of
from community.core import hooks, sections
from community.core.access import Disclosure, Prompt, require
from community.core.forms import form_status
from community.core.markdown import render_markdown
from community.core.timezones import today_in
from community.members import export, people, queries, services
from community.members.forms import INDUSTRY_SUGGESTIONS, ProfileForm, directory_query
from community.members.models import DEFAULT_VISIBILITY, Profile
from community.members.people import organizers_seen_by
from community.members.permissions import Audience, ProfileView, can_see_person
from community.members.photos import PHOTO_RULE, photo

bp = Blueprint("members", __name__)
bp.add_url_rule(PHOTO_RULE, view_func=photo, methods=["GET"])  # photos.py: the image, as visibility allows

#: The owner's "see your profile as others do" choices on their own page.
PREVIEWS = {"member": Audience.MEMBERS, "public": Audience.PUBLIC}


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def edit_profile():
    memberships = people.active_memberships(current_user)
    if request.method == "GET":
        profile = people.profile_of(current_user) or Profile()  # created on the first save
        form = ProfileForm(data=ProfileForm.initial_data(current_user.name, profile, memberships))
    else:
        form = ProfileForm()
    preview = None
    if form.validate_on_submit():
        if "preview" in request.form:
            preview = render_markdown(form.bio.data)
        else:
            services.update_profile(
                current_user,
                name=form.name.data,
                fields=form.profile_fields(),
                visibility=form.visibility(),
                cohorts=form.cohorts_by_membership(),
            )
            flash("Your profile is saved.", "success")
            return redirect(url_for("members.profile", user_id=current_user.id))
    return render_template(
        "members/edit_profile.html",
        form=form,
        memberships={str(m.id): m for m in memberships},
        industries=INDUSTRY_SUGGESTIONS,
        fields=DEFAULT_VISIBILITY,
        bio_preview=preview,
        me=ProfileView(current_user, people.profile_of(current_user), Audience.SELF),  # photo
    ), form_status(form)


#: What a visitor is told at /people/<id> for anyone they may not see, real or not.
PROFILE_PROMPT = Prompt(
    what="this profile",
    detail="People here choose who sees their profile: most show it to the members of their communities.",
)


@bp.get("/people/<int:user_id>")
def profile(user_id: int):
    """A person's profile as this viewer may see it. Someone whose name is hidden from the
    viewer does not exist for them: a visitor is asked to log in, as for any unknown id, and
    a signed-in viewer gets 404."""
    person, person_profile = people.person_with_profile(user_id) or (None, None)
    viewer = current_user if current_user.is_authenticated else None
    audience = people.audience_for(viewer, person) if person is not None else Audience.PUBLIC
    is_owner = audience is Audience.SELF
    preview = request.args.get("as") if is_owner else None
    if preview in PREVIEWS:
        audience = PREVIEWS[preview]
    visible = person is not None and can_see_person(person_profile, audience)
    require(visible, Disclosure.LOGIN_ONLY, PROFILE_PROMPT)
    in_common = people.communities_in_common(viewer, person) if audience is not Audience.PUBLIC else []
    return render_template(
        "members/profile.html",
        person=ProfileView(person, person_profile, audience),
        is_owner=is_owner,
        preview=preview if preview in PREVIEWS else None,
        in_common=in_common,
    )


@bp.get("/c/<slug>/members")
def directory(slug: str):
    """:raises: for visitors, the page asking them to log in (401); for signed-in
    non-members of a members-only directory, the page asking them to join (403)."""
    community = load_community(slug)
    membership = viewer_membership(community)
    visible = can_view_directory(community, membership, signed_in=current_user.is_authenticated)
    require(visible, Disclosure.EXISTS, _directory_prompt(community, membership))
    audience = Audience.MEMBERS if is_member(membership) else Audience.PUBLIC
    query = directory_query(request.args)
    viewer = current_user if current_user.is_authenticated else None
    # "Can help with" is offered when a feature provides it; it answers in that mode only.
    helpers = sections.section(sections.DIRECTORY_HELP_SEARCH, community, audience, query, viewer)
    if helpers is None:
        query = replace(query, mode=queries.Mode.EVERYTHING)
    page = (helpers or {}).get("page") or queries.directory_page(community, audience, query)
    return render_template(
        "members/directory.html",
        community=community,
        membership=membership,
        audience=audience,
        query=query,
        page=page,
        help_offered=helpers is not None,
        cohorts=queries.directory_cohorts(community, audience),
        industries=INDUSTRY_SUGGESTIONS,
    )


def _directory_prompt(community: Community, membership: Membership | None) -> Prompt:
    """What the directory's refusal page says: whom the organizers opened it to."""
    whom = "everyone signed in" if community.directory_public else "its members"
    return Prompt(
        what="the member directory",
        detail=f"The member directory of {community.name} is for {whom}.",
        community_name=community.name,
        community_url=url_for("communities.home", slug=community.slug),
        members_only=not community.directory_public,
        pending=membership is not None and membership.status == MembershipStatus.PENDING,
    )


def community_organizers_section(community: Community, viewer: User | None) -> dict:
    """A community home page's "Organizers" card, with names only where the viewer may see them."""
    organizers = organizers_seen_by(community, viewer, membership_of(viewer, community))
    return {"template": "members/_community_organizers.html", **vars(organizers)}


@bp.get("/c/<slug>/manage/members.csv")
def export_members(slug: str):
    community, _ = require_organizer(slug)
    body = export.export_members(community, current_user)
    filename = export.filename_for(community, today_in(community.timezone))
    return Response(
        body,
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-store",
        },
    )


def community_members_section(community: Community, membership, viewer: User | None) -> dict:
    """A community home page's "Members" card: how many, and the way into the directory."""
    return {
        "template": "members/_community_members.html",
        "member_count": active_member_count(community),
        "can_view_directory": can_view_directory(community, membership, signed_in=viewer is not None),
        "is_member": is_member(membership),
    }


def account_profile_section(user: User) -> dict:
    return {"template": "members/_account_profile.html"}


@bp.record_once
def _register_with_lower_features(state) -> None:
    sections.provide(state.app, sections.COMMUNITY_ORGANIZERS, community_organizers_section)
    sections.add_part(state.app, sections.COMMUNITY_SIDEBAR, community_members_section, order=20)
    sections.add_part(state.app, sections.ACCOUNT_SECTIONS, account_profile_section, order=10)
    export_card = sections.Tab(
        "Export members (CSV)", "members.export_members", 50,
        description="Download the member list for a spreadsheet.",
    )  # fmt: skip
    sections.add_tab(state.app, sections.COMMUNITY_OVERVIEW_LINKS, export_card)
    hooks.on_member_joined(state.app, services.profile_for_member)
