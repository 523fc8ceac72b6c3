"""Communities and who belongs to them."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    select,
)  # fmt: skip
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from community.auth.models import User
from community.core import page_versions
from community.core.models import TimestampMixin, UTCDateTime, enum_column, utcnow
from community.extensions import db


class CommunityKind(enum.StrEnum):
    ALUMNI = "alumni_association"
    CLUB = "club"
    PROFESSIONAL = "professional_network"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "alumni_association": "Alumni association",
            "club": "Club",
            "professional_network": "Professional network",
            "other": "Community",
        }[self.value]


class JoinPolicy(enum.StrEnum):
    OPEN = "open"
    APPROVAL = "approval"  # a short answer, reviewed by organizers
    INVITATION = "invitation"  # by invitation only


class Role(enum.StrEnum):
    OWNER = "owner"
    ORGANIZER = "organizer"
    MEMBER = "member"


class MembershipStatus(enum.StrEnum):
    ACTIVE = "active"
    PENDING = "pending"  # asked to join; an organizer decides


class Community(TimestampMixin, db.Model):
    __tablename__ = "community"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The /c/<slug> part of its URLs: lower-case letters, digits and hyphens.
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    tagline: Mapped[str] = mapped_column(String(160), default="")
    #: Markdown, rendered sanitised.
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[CommunityKind] = mapped_column(enum_column(CommunityKind), default=CommunityKind.OTHER)
    #: IANA zone name, e.g. "Europe/London"; events default to it.
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    join_policy: Mapped[JoinPolicy] = mapped_column(enum_column(JoinPolicy), default=JoinPolicy.OPEN)
    #: The question people asking to join answer (approval policy).
    join_question: Mapped[str] = mapped_column(String(300), default="Tell us who you are")
    #: Organizers may open the member directory to everyone; members only by default.
    directory_public: Mapped[bool] = mapped_column(default=False)
    #: Kept in the database, not on disk, so that several app servers can serve it.
    logo: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    logo_content_type: Mapped[str | None] = mapped_column(String(40))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    #: Set while a site administrator has suspended the community: its pages say so (410 Gone),
    #: its feeds answer 410, and it leaves the lists (admin.services.suspend_community).
    suspended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Why, as the administrator wrote it; seen only on the admin screens.
    suspension_reason: Mapped[str | None] = mapped_column(String(500))

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="community", cascade="all, delete-orphan", passive_deletes=True
    )

    def __repr__(self) -> str:
        return f"<Community {self.id} {self.slug}>"

    @property
    def is_suspended(self) -> bool:
        return self.suspended_at is not None


class Membership(db.Model):
    __tablename__ = "membership"
    __table_args__ = (
        UniqueConstraint("community_id", "user_id"),
        Index("ix_membership_community_status_role", "community_id", "status", "role"),
        # The member directory: its people, counted and filtered from the index alone ...
        Index("ix_membership_community_status_user", "community_id", "status", "user_id"),
        # ... and the cohorts present, read in order from the index.
        Index("ix_membership_community_status_cohort", "community_id", "status", "cohort"),
        # Deleting an account removes its memberships (see auth.services.delete_account).
        {"info": {"erase_with_user": "user_id"}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(enum_column(Role), default=Role.MEMBER)
    status: Mapped[MembershipStatus] = mapped_column(
        enum_column(MembershipStatus), default=MembershipStatus.ACTIVE
    )
    #: Cohort or class year in this community, e.g. "Class of 2014" or "Cohort 12".
    cohort: Mapped[str | None] = mapped_column(String(60))
    #: The answer to the community's join question (approval policy).
    join_answer: Mapped[str | None] = mapped_column(Text)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When the person became an active member.
    joined_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    community: Mapped[Community] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<Membership {self.user_id} in {self.community_id} {self.role} {self.status}>"

    @property
    def is_active(self) -> bool:
        return self.status == MembershipStatus.ACTIVE

    @property
    def is_organizer(self) -> bool:
        """Organizers and owners run the community."""
        return self.is_active and self.role in (Role.ORGANIZER, Role.OWNER)

    @property
    def is_owner(self) -> bool:
        return self.is_active and self.role == Role.OWNER


#: The profile fields an invitation may carry (the keys of Invitation.profile_data): the CSV
#: import offers these columns, and members fills them in when the person joins, only where
#: the person has left them empty. Plain names, so both sides agree without importing members.
IMPORTABLE_PROFILE_FIELDS = (
    "headline",
    "organisation",
    "job_title",
    "industry",
    "city",
    "country",
    "skills",
    "interests",
)


class Invitation(db.Model):
    """An invitation emailed to one address (typed in, or from an alumni-list import)."""

    __tablename__ = "invitation"
    __table_args__ = (UniqueConstraint("community_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"))
    #: Lower-cased; one invitation per address per community, so re-imports invite nobody twice.
    email: Mapped[str] = mapped_column(String(320))
    name: Mapped[str | None] = mapped_column(String(120))
    cohort: Mapped[str | None] = mapped_column(String(60))
    #: Optional profile fields from an import, offered to the person when they join.
    profile_data: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: SHA-256 of the token in the emailed link; the token itself is never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[str] = mapped_column(String(20), default="email")  # "email" or "import"
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    community: Mapped[Community] = relationship()

    def __repr__(self) -> str:
        return f"<Invitation {self.id} {self.email} to {self.community_id}>"


class InviteLink(db.Model):
    """A shareable invitation link with an expiry and a use limit."""

    __tablename__ = "invite_link"
    __table_args__ = (
        CheckConstraint("uses >= 0", name="uses_not_negative"),
        CheckConstraint("max_uses IS NULL OR max_uses > 0", name="max_uses_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"), index=True)
    #: Shown to organizers so they can share it again, hence stored as is.
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    max_uses: Mapped[int | None] = mapped_column()
    uses: Mapped[int] = mapped_column(default=0)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    community: Mapped[Community] = relationship()

    def __repr__(self) -> str:
        return f"<InviteLink {self.id} for {self.community_id} {self.uses}/{self.max_uses}>"


class ImportStatus(enum.StrEnum):
    PREVIEW = "preview"  # parsed and mapped, shown row by row, nothing written
    RUNNING = "running"
    DONE = "done"


class ImportBatch(db.Model):
    """An alumni list uploaded as CSV: kept between the preview and the import itself."""

    __tablename__ = "import_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    filename: Mapped[str] = mapped_column(String(255), default="")
    #: The CSV's header row and data rows, as parsed.
    header: Mapped[list[str]] = mapped_column(JSON, default=list)
    rows: Mapped[list[list[str]]] = deferred(mapped_column(JSON, default=list))
    #: Target field -> column index, chosen on screen.
    mapping: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    status: Mapped[ImportStatus] = mapped_column(enum_column(ImportStatus), default=ImportStatus.PREVIEW)
    total: Mapped[int] = mapped_column(default=0)
    processed: Mapped[int] = mapped_column(default=0)
    invited: Mapped[int] = mapped_column(default=0)
    skipped: Mapped[int] = mapped_column(default=0)

    community: Mapped[Community] = relationship()

    def __repr__(self) -> str:
        return f"<ImportBatch {self.id} {self.status} {self.processed}/{self.total}>"


# What visitors' pages show of a community, its members and their names (core.page_versions).
page_versions.watch(Community, lambda community: community.id, calendar=True)
page_versions.watch(Membership, lambda membership: membership.community_id)
page_versions.watch(
    User,
    lambda user: select(Membership.community_id).where(Membership.user_id == user.id),
    attributes=("name", "deleted_at", "suspended_at"),
)
