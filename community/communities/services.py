"""Communities and memberships. Services flush; the request commits."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import url_for
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from community.auth.models import User
from community.communities.models import (
    Community,
    CommunityKind,
    JoinPolicy,
    Membership,
    MembershipStatus,
    Role,
)
from community.communities.queries import organizer_users
from community.core import audit, hooks, images
from community.core.errors import DomainError
from community.core.mail import quota
from community.core.mail.services import compose_email
from community.core.models import utcnow
from community.core.timezones import is_timezone
from community.extensions import db


class CommunityError(DomainError):
    """A community rule was broken; the message says which."""


class SlugError(CommunityError):
    """The web address asked for is malformed, reserved or taken."""


# -- slugs and logos -------------------------------------------------------------

SLUG_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$")
SLUG_MIN, SLUG_MAX = 2, 50
#: Words that name (or may one day name) pages of the site rather than a community.
RESERVED_SLUGS = frozenset(
    "new manage admin api login logout signup static communities community events event calendar "
    "calendars c feeds feed profile people members account settings help about www mail root "
    "invite join search verify reset".split()
)
JOIN_ANSWER_MAX = 1000


def suggest_slug(name: str) -> str:
    """A URL slug from a community's name: "Class of '09 Lyon!" -> "class-of-09-lyon"."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower().replace("'", "")).strip("-")
    return slug[:SLUG_MAX].rstrip("-")


def slug_problem(slug: str) -> str | None:
    """Why `slug` can't be used as a community's address (format or reserved), or None."""
    if not SLUG_MIN <= len(slug) <= SLUG_MAX:
        return f"Use between {SLUG_MIN} and {SLUG_MAX} characters."
    if not SLUG_PATTERN.match(slug):
        return "Use lower-case letters, digits and hyphens only, starting and ending with a letter or digit."
    if slug in RESERVED_SLUGS:
        return f"“{slug}” is reserved for the site's own pages. Please choose another."
    return None


def slug_taken(slug: str) -> bool:
    return db.session.scalar(select(Community.id).where(Community.slug == slug)) is not None


def free_slug_like(slug: str) -> str | None:
    """A free variant of a taken slug ("reunion" -> "reunion-2"), to offer instead."""
    for number in range(2, 10):
        candidate = f"{slug[: SLUG_MAX - 2]}-{number}"
        if not slug_taken(candidate):
            return candidate
    return None


MAX_LOGO_BYTES = images.LOGO.max_bytes


def prepare_logo(data: bytes) -> images.StoredImage:
    """The logo as it is stored: redrawn within 512 x 512 pixels (see core.images).

    :raises CommunityError: if too big or not a supported image.
    """
    try:
        return images.prepare(data, images.LOGO)
    except images.ImageError as error:
        raise CommunityError(error.message) from None


def _set_logo(community: Community, data: bytes) -> None:
    logo = prepare_logo(data)
    community.logo, community.logo_content_type = logo.data, logo.content_type


# -- creating and editing --------------------------------------------------------------------


def _apply_fields(community: Community, fields: dict) -> None:
    allowed = {
        "name", "tagline", "description", "kind", "timezone", "join_policy", "join_question",
        "directory_public",
    }  # fmt: skip
    for key, value in fields.items():
        if key not in allowed:
            raise TypeError(f"unknown community field {key!r}")
        if isinstance(value, str):
            value = value.strip()
        setattr(community, key, value)
    if not is_timezone(community.timezone):
        raise CommunityError(f"“{community.timezone}” is not a time zone we know.")
    community.kind = CommunityKind(community.kind)
    community.join_policy = JoinPolicy(community.join_policy)
    if not community.name:
        raise CommunityError("Give the community a name.")
    if not community.join_question:
        community.join_question = "Tell us who you are"


@contextmanager
def _savepoint() -> Iterator[None]:
    """`db.session.begin_nested()`: what runs inside is undone alone if it raises, and the
    caller's transaction goes on. On SQLite the outer transaction is begun first: the driver
    begins one only before a write, so a SAVEPOINT opening it would commit on its RELEASE."""
    connection = db.session.connection()
    if connection.dialect.name == "sqlite" and not connection.connection.dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN")
    with db.session.begin_nested():
        yield


def create_community(creator: User, *, slug: str, logo: bytes | None = None, **fields) -> Community:
    """Start a community; its creator becomes its owner.

    :raises CommunityError: if the slug is malformed, reserved or taken, or a field is invalid.
    """
    slug = slug.strip().lower()
    problem = slug_problem(slug)
    if problem:
        raise SlugError(problem)
    if slug_taken(slug):
        raise SlugError(f"/c/{slug} is already taken. Please choose another address.")
    community = Community(slug=slug, created_by_id=creator.id)
    _apply_fields(community, fields)
    if logo:
        _set_logo(community, logo)
    try:
        with _savepoint():
            db.session.add(community)
    except IntegrityError:
        # Someone took the slug between our check and the insert: only the insert is undone.
        raise SlugError(f"/c/{slug} is already taken. Please choose another address.") from None
    activate_membership(community, creator, role=Role.OWNER)
    audit.record(community, creator, "community.created", subject=creator, detail=community.name)
    db.session.flush()
    return community


def update_community(
    community: Community, actor: User, *, logo: bytes | None = None, remove_logo: bool = False, **fields
) -> list[str]:
    """Change a community's settings (not its slug); returns the names of what changed.

    :raises CommunityError: if a field or the logo is invalid.
    """
    before = {key: getattr(community, key) for key in fields}
    _apply_fields(community, fields)
    changed = [key.replace("_", " ") for key in fields if getattr(community, key) != before[key]]
    if logo:
        _set_logo(community, logo)
        changed.append("logo")
    elif remove_logo and community.logo_content_type:
        community.logo = None
        community.logo_content_type = None
        changed.append("logo removed")
    if changed:
        community.updated_at = utcnow()
        audit.record(community, actor, "community.updated", detail=", ".join(changed))
    db.session.flush()
    return changed


# -- joining and leaving ----------------------------------------------------------------------


def activate_membership(
    community: Community,
    user: User,
    *,
    role: Role = Role.MEMBER,
    cohort: str | None = None,
    profile_data: dict[str, Any] | None = None,
) -> Membership:
    """Make `user` an active member (creating or confirming the membership); idempotent.

    An existing membership keeps its role (joining again never demotes an organizer). The
    features that registered `hooks.on_member_joined` are told (members makes the profile),
    with `profile_data`: the fields an invitation carried when it is accepted, else None.
    """
    membership = db.session.scalar(
        select(Membership).where(Membership.community_id == community.id, Membership.user_id == user.id)
    )
    if membership is None:
        membership = Membership(community=community, user=user, role=role)
        db.session.add(membership)
    if membership.status != MembershipStatus.ACTIVE:
        membership.status = MembershipStatus.ACTIVE
        membership.joined_at = utcnow()
    if cohort and not membership.cohort:
        membership.cohort = cohort
    hooks.member_joined(membership, profile_data=profile_data)
    db.session.flush()
    return membership


def _membership(community: Community, user: User) -> Membership | None:
    return db.session.scalar(
        select(Membership).where(Membership.community_id == community.id, Membership.user_id == user.id)
    )


def join(community: Community, user: User) -> Membership:
    """Join an open community at once; idempotent for members.

    :raises CommunityError: if the community asks for approval or invitations.
    """
    existing = _membership(community, user)
    if existing is not None and existing.is_active:
        return existing
    if community.join_policy == JoinPolicy.INVITATION:
        raise CommunityError(
            f"{community.name} is by invitation only. Ask an organizer to send you an invitation."
        )
    if community.join_policy == JoinPolicy.APPROVAL:
        raise CommunityError(f"{community.name} reviews new members: please answer its question first.")
    membership = activate_membership(community, user)
    audit.record(community, user, "member.joined", subject=user)
    return membership


def request_to_join(community: Community, user: User, answer: str) -> Membership:
    """Ask to join a community that reviews new members; its organizers are emailed.

    :raises CommunityError: if the community is not reviewing requests, or the answer is unfit.
    :raises quota.ConfirmEmailFirst: for an account whose address is not confirmed.
    """
    existing = _membership(community, user)
    if existing is not None:
        if existing.is_active:
            raise CommunityError(f"You are already a member of {community.name}.")
        raise CommunityError("You have already asked to join. An organizer will look at it soon.")
    if community.join_policy == JoinPolicy.INVITATION:
        raise CommunityError(
            f"{community.name} is by invitation only. Ask an organizer to send you an invitation."
        )
    if community.join_policy == JoinPolicy.OPEN:
        raise CommunityError(f"{community.name} is open: you can join straight away.")
    quota.require_confirmed(user)  # the request emails the organizers
    answer = answer.strip()
    if not answer:
        raise CommunityError("Please answer the question.")
    if len(answer) > JOIN_ANSWER_MAX:
        raise CommunityError(f"Please keep your answer under {JOIN_ANSWER_MAX} characters.")
    membership = Membership(
        community=community, user=user, role=Role.MEMBER, status=MembershipStatus.PENDING, join_answer=answer
    )
    db.session.add(membership)
    db.session.flush()
    review_url = url_for("manage.members", slug=community.slug, show="pending", _external=True)
    organizers = organizer_users(community)
    db.session.add_all(
        compose_email(
            to=organizer.email,
            subject=f"{user.name} asks to join {community.name}",
            template="communities/join_request",
            kind="communities.join-request",
            community=community,
            organizer=organizer,
            person=user,
            question=community.join_question,
            answer=answer,
            link=review_url,
        )
        for organizer in organizers
    )
    audit.record(community, user, "member.requested", subject=user)
    db.session.flush()
    return membership


def owner_count(community: Community) -> int:
    return (
        db.session.scalar(
            select(func.count(Membership.id)).where(
                Membership.community_id == community.id,
                Membership.status == MembershipStatus.ACTIVE,
                Membership.role == Role.OWNER,
            )
        )
        or 0
    )


def leave(community: Community, user: User) -> None:
    """Leave a community, or withdraw a request to join.

    :raises CommunityError: if the user is its last owner.
    """
    membership = _membership(community, user)
    if membership is None:
        raise CommunityError(f"You are not a member of {community.name}.")
    if membership.is_owner and owner_count(community) <= 1:
        raise CommunityError(
            "You are the only owner, so you can't leave yet. Hand ownership over to another member first."
        )
    action = "member.left" if membership.is_active else "member.withdrew"
    db.session.delete(membership)
    audit.record(community, user, action, subject=user)
    db.session.flush()
