"""The member list as CSV, for organizers: a pure builder (rows in, bytes out) and the one query."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from community.auth.models import User
from community.communities.models import Community, Membership, MembershipStatus
from community.core import audit
from community.core.spreadsheets import BOM, safe_cell
from community.extensions import db
from community.members.models import Profile, Visibility

HEADER = (
    "Name",
    "Email",
    "Role",
    "Cohort",
    "Joined",
    "Headline",
    "Organisation",
    "Job title",
    "City",
    "Country",
)


@dataclass(frozen=True)
class MemberRow:
    name: str
    email: str
    role: str
    cohort: str
    joined: date | None
    headline: str = ""
    organisation: str = ""
    job_title: str = ""
    city: str = ""
    country: str = ""


def members_csv(members: Iterable[MemberRow]) -> bytes:
    """UTF-8 with a byte-order mark (so Excel reads accents right), CRLF line ends, a header row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for member in members:
        writer.writerow(
            safe_cell(value)
            for value in (
                member.name,
                member.email,
                member.role,
                member.cohort,
                member.joined.isoformat() if member.joined else "",
                member.headline,
                member.organisation,
                member.job_title,
                member.city,
                member.country,
            )
        )
    return (BOM + out.getvalue()).encode("utf-8")


def filename_for(community: Community, today: date) -> str:
    return f"{community.slug}-members-{today:%Y-%m-%d}.csv"


def _day(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


def _shared(profile: Profile | None, field: str, visibility_key: str | None = None) -> str:
    """A profile field unless its owner keeps it to themselves ("Only me")."""
    if profile is None or profile.visibility_of(visibility_key or field) == Visibility.NOBODY:
        return ""
    return getattr(profile, field) or ""


def member_rows(community: Community) -> list[MemberRow]:
    """The community's active members by name, with the profile fields they share: one query."""
    result = db.session.execute(
        select(Membership, User, Profile)
        .join(User, Membership.user_id == User.id)
        .outerjoin(Profile, Profile.user_id == User.id)
        .where(Membership.community_id == community.id, Membership.status == MembershipStatus.ACTIVE)
        .order_by(User.name, User.id)
    )
    rows = []
    for membership, user, profile in result:
        rows.append(
            MemberRow(
                name=user.name,
                email=user.email,
                role=membership.role.value.capitalize(),
                cohort=membership.cohort or "",
                joined=_day(membership.joined_at or membership.requested_at),
                headline=_shared(profile, "headline"),
                organisation=_shared(profile, "organisation"),
                job_title=_shared(profile, "job_title"),
                city=_shared(profile, "city", "location"),
                country=_shared(profile, "country", "location"),
            )
        )
    return rows


def export_members(community: Community, actor: User) -> bytes:
    """The member list as CSV; exporting personal data is recorded in the audit log."""
    rows = member_rows(community)
    audit.record(community, actor, "members.exported", detail=f"{len(rows)} members as CSV")
    db.session.flush()
    return members_csv(rows)
