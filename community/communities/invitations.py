"""Invitations: by email to one address, and by a shareable link with an expiry and a use limit."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import url_for
from sqlalchemy import func, or_, select, update

from community.auth.models import User
from community.communities.models import Community, Invitation, InviteLink, Membership, MembershipStatus
from community.communities.services import activate_membership
from community.core import audit
from community.core.errors import DomainError
from community.core.mail import quota
from community.core.mail.models import OutboxMessage
from community.core.mail.services import compose_email
from community.core.models import utcnow
from community.extensions import db

INVITATION_VALID_FOR = timedelta(days=30)


class InvitationError(DomainError):
    """An invitation or link cannot be used; the message says why."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Invitee:
    email: str
    name: str | None = None
    cohort: str | None = None
    profile_data: dict[str, Any] | None = None


@dataclass
class InviteReport:
    invited: list[str] = field(default_factory=list)
    already_members: list[str] = field(default_factory=list)
    already_invited: list[str] = field(default_factory=list)


def existing_member_emails(community: Community, emails: Iterable[str]) -> set[str]:
    emails = list(emails)
    found: set[str] = set()
    for start in range(0, len(emails), 500):
        found.update(
            db.session.scalars(
                select(User.email)
                .join(Membership, Membership.user_id == User.id)
                .where(
                    Membership.community_id == community.id,
                    Membership.status == MembershipStatus.ACTIVE,
                    User.email.in_(emails[start : start + 500]),
                )
            )
        )
    return found


def invited_emails(community: Community, emails: Iterable[str]) -> set[str]:
    emails = list(emails)
    found: set[str] = set()
    for start in range(0, len(emails), 500):
        found.update(
            db.session.scalars(
                select(Invitation.email).where(
                    Invitation.community_id == community.id, Invitation.email.in_(emails[start : start + 500])
                )
            )
        )
    return found


def invite(
    community: Community, inviter: User, invitees: list[Invitee], *, source: str = "email"
) -> InviteReport:
    """Invite each address once: members and already-invited addresses are skipped, so
    running the same list again invites nobody twice. One email per new invitation.

    :raises quota.ConfirmEmailFirst, quota.MailLimitReached: and then nothing is written.
    """
    quota.require_confirmed(inviter)
    report = InviteReport()
    by_email: dict[str, Invitee] = {}
    for invitee in invitees:
        by_email.setdefault(invitee.email.strip().lower(), invitee)
    members = existing_member_emails(community, by_email)
    invited = invited_emails(community, by_email)
    now = utcnow()
    new_rows = []
    for email, invitee in by_email.items():
        if email in members:
            report.already_members.append(email)
            continue
        if email in invited:
            report.already_invited.append(email)
            continue
        token = secrets.token_urlsafe(24)
        new_rows.append(
            Invitation(
                community_id=community.id,
                email=email,
                name=(invitee.name or "").strip()[:120] or None,
                cohort=(invitee.cohort or "").strip()[:60] or None,
                profile_data=invitee.profile_data or None,
                token_hash=hash_token(token),
                source=source,
                invited_by_id=inviter.id,
                created_at=now,
                expires_at=now + INVITATION_VALID_FOR,
            )
        )
        new_rows.append(
            _invitation_email(community, inviter, email, invitee.name, token, now + INVITATION_VALID_FOR)
        )
        report.invited.append(email)
    quota.charge(
        quota.INVITATIONS,
        [row for row in new_rows if isinstance(row, OutboxMessage)],
        sender=inviter,
        community_id=community.id,
    )
    db.session.add_all(new_rows)
    if report.invited:
        detail = f"{len(report.invited)} invited by {source}"
        audit.record(community, inviter, "invitation.sent", detail=detail)
    db.session.flush()
    return report


def _invitation_email(
    community: Community, inviter: User, email: str, name: str | None, token: str, expires_at: datetime
) -> OutboxMessage:
    return compose_email(
        to=email,
        subject=f"{inviter.name} invites you to join {community.name}",
        template="communities/invitation",
        kind="communities.invitation",
        community=community,
        inviter=inviter,
        invitee_name=name,
        link=url_for("communities.invitation", slug=community.slug, token=token, _external=True),
        expires_at=expires_at,
    )


def pending_invitation(community: Community, invitation_id: int) -> Invitation | None:
    """An invitation of the community still waiting for an answer (not accepted), or None."""
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.community_id != community.id or invitation.accepted_at is not None:
        return None
    return invitation


def resend(community: Community, invitation: Invitation, actor: User) -> None:
    """Email the invitation again with a new link, valid INVITATION_VALID_FOR from now: the old
    link stops working. Counted against the sending limits like any invitation.

    :raises quota.ConfirmEmailFirst, quota.MailLimitReached: and then nothing changes.
    """
    now, token = utcnow(), secrets.token_urlsafe(24)
    email = _invitation_email(
        community, actor, invitation.email, invitation.name, token, now + INVITATION_VALID_FOR
    )
    quota.charge(quota.INVITATIONS, [email], sender=actor, community_id=community.id)
    db.session.add(email)
    invitation.token_hash, invitation.created_at = hash_token(token), now
    invitation.expires_at, invitation.invited_by_id = now + INVITATION_VALID_FOR, actor.id
    audit.record(community, actor, "invitation.resent", detail=invitation.email)
    db.session.flush()


def revoke(community: Community, invitation: Invitation, actor: User) -> None:
    """Withdraw an invitation: its link says it is no longer valid, and the address may be
    invited again later."""
    audit.record(community, actor, "invitation.revoked", detail=invitation.email)
    db.session.delete(invitation)
    db.session.flush()


def invitation_for_token(community: Community, token: str) -> Invitation:
    """:raises InvitationError: if unknown, expired or used by someone else."""
    invitation = db.session.scalar(
        select(Invitation).where(
            Invitation.community_id == community.id, Invitation.token_hash == hash_token(token)
        )
    )
    if invitation is None:
        raise InvitationError(
            "That invitation link is not valid: it was withdrawn, or replaced by a newer email. "
            "Ask an organizer for a new one."
        )
    if invitation.accepted_at is None and invitation.expires_at <= utcnow():
        raise InvitationError("That invitation has expired. Ask an organizer to invite you again.")
    return invitation


def accept_invitation(community: Community, token: str, user: User) -> Membership:
    """Join through an emailed invitation; the invitation is used up. The profile fields it
    carried go with the membership, the first time only (see activate_membership).

    :raises InvitationError: expired, unknown, or already used by another account.
    """
    invitation = invitation_for_token(community, token)
    if invitation.accepted_at is not None and invitation.accepted_by_id != user.id:
        raise InvitationError("That invitation has already been used.")
    first_time = invitation.accepted_at is None
    membership = activate_membership(
        community,
        user,
        cohort=invitation.cohort,
        profile_data=(invitation.profile_data or {}) if first_time else None,
    )
    if first_time:
        invitation.accepted_at = utcnow()
        invitation.accepted_by_id = user.id
        audit.record(community, user, "member.joined", subject=user, detail="accepted an email invitation")
    db.session.flush()
    return membership


def create_link(
    community: Community, actor: User, *, expires_at: datetime | None, max_uses: int | None
) -> InviteLink:
    link = InviteLink(
        community_id=community.id,
        token=secrets.token_urlsafe(18),
        created_by_id=actor.id,
        expires_at=expires_at,
        max_uses=max_uses,
    )
    db.session.add(link)
    limits = [f"expires {expires_at:%Y-%m-%d}" if expires_at else "no expiry"]
    limits.append(f"{max_uses} uses" if max_uses else "unlimited uses")
    audit.record(community, actor, "invite_link.created", detail=", ".join(limits))
    db.session.flush()
    return link


def revoke_link(community: Community, link: InviteLink, actor: User) -> None:
    if link.revoked_at is None:
        link.revoked_at = utcnow()
        audit.record(community, actor, "invite_link.revoked")
        db.session.flush()


def link_for_token(community: Community, token: str) -> InviteLink:
    """:raises InvitationError: if unknown, revoked, expired or used up."""
    link = db.session.scalar(
        select(InviteLink).where(InviteLink.community_id == community.id, InviteLink.token == token)
    )
    if link is None or link.revoked_at is not None:
        raise InvitationError("That invitation link is not valid any more. Ask an organizer for a new one.")
    if link.expires_at is not None and link.expires_at <= utcnow():
        raise InvitationError("That invitation link has expired. Ask an organizer for a new one.")
    if link.max_uses is not None and link.uses >= link.max_uses:
        raise InvitationError("That invitation link has been used as many times as it allows.")
    return link


def join_by_link(community: Community, token: str, user: User) -> Membership:
    """Join with a shareable link, counting one use (atomically: the limit holds under load).

    Someone already a member uses no place.
    :raises InvitationError: if the link is unknown, revoked, expired or used up.
    """
    link = link_for_token(community, token)
    existing = db.session.scalar(
        select(Membership).where(
            Membership.community_id == community.id,
            Membership.user_id == user.id,
            Membership.status == MembershipStatus.ACTIVE,
        )
    )
    if existing is not None:
        return existing
    claimed = db.session.execute(
        update(InviteLink)
        .where(
            InviteLink.id == link.id,
            InviteLink.revoked_at.is_(None),
            or_(InviteLink.max_uses.is_(None), InviteLink.uses < InviteLink.max_uses),
        )
        .values(uses=InviteLink.uses + 1)
    )
    if claimed.rowcount != 1:
        raise InvitationError("That invitation link has been used as many times as it allows.")
    membership = activate_membership(community, user)
    audit.record(community, user, "member.joined", subject=user, detail="used an invitation link")
    db.session.flush()
    db.session.refresh(link)
    return membership


def pending_invitation_count(community: Community) -> int:
    return (
        db.session.scalar(
            select(func.count(Invitation.id)).where(
                Invitation.community_id == community.id,
                Invitation.accepted_at.is_(None),
                Invitation.expires_at > utcnow(),
            )
        )
        or 0
    )
