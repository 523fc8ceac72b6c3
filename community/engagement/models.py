"""Staying in touch: a person's fading setting and time zone, their rhythm and snooze for one
connection, the "Let's catch up" notes they send, and their networking goals."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from community.core.models import TimestampMixin, UTCDateTime, enum_column, utcnow
from community.extensions import db

#: The choices of "fading after N months without contact".
FADING_CHOICES = (3, 6, 12)
DEFAULT_FADING_MONTHS = 6
NOTE_LENGTH = 500


class EngagementSettings(db.Model):
    """A person's choices; without a row, the defaults (6 months, their first community's zone)."""

    __tablename__ = "engagement_settings"
    __table_args__ = (
        CheckConstraint("fading_months IN (3, 6, 12)", name="fading_choice"),
        {"info": {"erase_with_user": "user_id"}},
    )

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    fading_months: Mapped[int] = mapped_column(default=DEFAULT_FADING_MONTHS)
    #: IANA zone the goal periods follow; "" means the zone of their first community.
    timezone: Mapped[str] = mapped_column(String(64), default="")

    def __repr__(self) -> str:
        return f"<EngagementSettings {self.user_id} {self.fading_months}m>"


class ConnectionPreference(db.Model):
    """One person's rhythm ("every 3 months") and snooze for one of their connections."""

    __tablename__ = "engagement_connection_preference"
    __table_args__ = (
        CheckConstraint("rhythm_months IS NULL OR (rhythm_months BETWEEN 1 AND 24)", name="rhythm_range"),
        {"info": {"erase_with_user": ("user_id", "other_id")}},
    )

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    other_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    #: Fading after this many months instead of the person's setting; None: the setting.
    rhythm_months: Mapped[int | None] = mapped_column()
    #: No nudge before this moment ("remind me next month").
    snoozed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<ConnectionPreference {self.user_id}->{self.other_id}>"


class CatchUpNote(db.Model):
    """A short "Let's catch up" note, sent by email through the outbox."""

    __tablename__ = "engagement_note"
    __table_args__ = (
        CheckConstraint("sender_id <> recipient_id", name="not_oneself"),
        Index("ix_engagement_note_sender_created", "sender_id", "created_at"),
        Index("ix_engagement_note_recipient", "recipient_id"),
        {"info": {"erase_with_user": ("sender_id", "recipient_id")}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sender_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    recipient_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    message: Mapped[str] = mapped_column(String(NOTE_LENGTH))
    #: Whether the recipient was fading for the sender when it was sent (the "reconnect" goal).
    to_fading: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<CatchUpNote {self.sender_id}->{self.recipient_id}>"


class GoalKind(enum.StrEnum):
    ATTEND_EVENTS = "attend_events"
    NEW_CONNECTIONS = "new_connections"
    RECONNECT_FADING = "reconnect_fading"
    INTRODUCE_PEOPLE = "introduce_people"


class GoalPeriod(enum.StrEnum):
    MONTH = "month"
    QUARTER = "quarter"


class Goal(TimestampMixin, db.Model):
    """ "Attend 2 events a month": a kind, a target and a period; progress is always counted
    from the records, never stored."""

    __tablename__ = "engagement_goal"
    __table_args__ = (
        UniqueConstraint("user_id", "kind", "period"),
        CheckConstraint("target BETWEEN 1 AND 100", name="target_range"),
        {"info": {"erase_with_user": "user_id"}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    kind: Mapped[GoalKind] = mapped_column(enum_column(GoalKind))
    target: Mapped[int] = mapped_column()
    period: Mapped[GoalPeriod] = mapped_column(enum_column(GoalPeriod))

    def __repr__(self) -> str:
        return f"<Goal {self.user_id} {self.kind} {self.target}/{self.period}>"


class DigestFrequency(enum.StrEnum):
    OFF = "off"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


class DigestSettings(db.Model):
    """A person's digest: how often (opt-in: off without a row), and the pause after a quiet year."""

    __tablename__ = "engagement_digest_settings"
    __table_args__ = ({"info": {"erase_with_user": "user_id"}},)

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    frequency: Mapped[DigestFrequency] = mapped_column(
        enum_column(DigestFrequency), default=DigestFrequency.OFF
    )
    #: When they last chose a frequency or resumed: a year's quiet counts from here at the earliest.
    chosen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When they last clicked a link in a digest ("opened" it; there is no tracking pixel).
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Set (once, with the "we paused your digest" email) after a year without a visit or a click.
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<DigestSettings {self.user_id} {self.frequency}>"


class DigestSent(db.Model):
    """One digest per person and period ("2027-W09", "2027-03"), claimed by its unique insert in
    the transaction that queues the email, so two runs at once never send it twice."""

    __tablename__ = "engagement_digest"
    __table_args__ = (
        UniqueConstraint("user_id", "period"),
        {"info": {"erase_with_user": "user_id"}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(10))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<DigestSent {self.user_id} {self.period}>"
