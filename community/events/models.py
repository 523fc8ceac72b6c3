"""Events: the event itself, the questions it asks when people RSVP, and recurring series.

RSVPs (who answered, with how many seats) live in community.rsvps, above events.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from community.core import page_versions
from community.core.models import TimestampMixin, UTCDateTime, enum_column, utcnow
from community.extensions import db

if TYPE_CHECKING:
    from community.communities.models import Community


class EventKind(enum.StrEnum):
    REUNION = "reunion"
    ROUNDTABLE = "roundtable"
    MEETUP = "meetup"
    TALK = "talk"
    SOCIAL = "social"


class EventStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"


class EventVisibility(enum.StrEnum):
    PUBLIC = "public"
    MEMBERS = "members"
    UNLISTED = "unlisted"  # anyone with the link


class EventSeries(db.Model):
    """A recurrence rule; each occurrence is its own Event with its own RSVPs."""

    __tablename__ = "event_series"

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"), index=True)
    #: "weekly" (every `interval` weeks) or "monthly" (the `weekday_ordinal`-th weekday of the month).
    frequency: Mapped[str] = mapped_column(String(10))
    interval: Mapped[int] = mapped_column(default=1)
    weekday_ordinal: Mapped[int | None] = mapped_column()  # 1..4, or -1 for the last
    until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    count: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<EventSeries {self.id} {self.frequency}/{self.interval}>"


class Event(TimestampMixin, db.Model):
    __tablename__ = "event"
    __table_args__ = (
        CheckConstraint("ends_at >= starts_at", name="ends_after_start"),
        CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity_not_negative"),
        CheckConstraint("guests_allowed >= 0", name="guests_allowed_not_negative"),
        Index("ix_event_community_starts", "community_id", "starts_at"),
        Index("ix_event_listing", "status", "visibility", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"))
    series_id: Mapped[int | None] = mapped_column(
        ForeignKey("event_series.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[EventKind] = mapped_column(enum_column(EventKind), default=EventKind.MEETUP)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")  # Markdown
    #: For reunions: the cohorts it is for, e.g. ["Class of 2016"].
    cohorts: Mapped[list[str]] = mapped_column(JSON, default=list)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: All-day (and multi-day) events: starts_at/ends_at are local midnights in `timezone`.
    all_day: Mapped[bool] = mapped_column(default=False)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    venue_name: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    latitude: Mapped[float | None] = mapped_column()
    longitude: Mapped[float | None] = mapped_column()
    #: The cover image as stored (core.images.COVER: within 1600 x 900, no metadata), loaded
    #: only when served; the type and size are what pages need to link and lay it out.
    cover_image: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    cover_content_type: Mapped[str | None] = mapped_column(String(40))
    cover_width: Mapped[int | None] = mapped_column()
    cover_height: Mapped[int | None] = mapped_column()
    #: What the cover shows, for people who cannot see it (required with a cover).
    cover_alt: Mapped[str] = mapped_column(String(300), default="", server_default="")
    #: Shown only to people who are going.
    online_url: Mapped[str] = mapped_column(String(500), default="")
    capacity: Mapped[int | None] = mapped_column()
    rsvp_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    guests_allowed: Mapped[int] = mapped_column(default=0)
    requires_approval: Mapped[bool] = mapped_column(default=False)
    #: Let a smaller party behind a party that does not fit take the seats left.
    waitlist_best_fit: Mapped[bool] = mapped_column(default=False)
    #: In the last 48 hours, offer a freed seat (with a claim window) instead of promoting.
    offer_freed_seats: Mapped[bool] = mapped_column(default=False)
    claim_window_minutes: Mapped[int] = mapped_column(default=120)
    status: Mapped[EventStatus] = mapped_column(enum_column(EventStatus), default=EventStatus.DRAFT)
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    visibility: Mapped[EventVisibility] = mapped_column(
        enum_column(EventVisibility), default=EventVisibility.PUBLIC
    )
    #: Whether people who are not members may see who's going.
    attendee_list_public: Mapped[bool] = mapped_column(default=False)
    #: iCalendar SEQUENCE: raised whenever date, time, place or status changes.
    sequence: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    community: Mapped[Community] = relationship()
    questions: Mapped[list[EventQuestion]] = relationship(
        back_populates="event",
        cascade="all, delete-orphan",
        order_by="EventQuestion.position",
        passive_deletes=True,
    )

    def __repr__(self) -> str:
        return f"<Event {self.id} {self.title!r}>"


class EventQuestion(db.Model):
    """A question asked when RSVPing (up to five per event)."""

    __tablename__ = "event_question"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    #: "text", "choice" or "yes_no".
    kind: Mapped[str] = mapped_column(String(10), default="text")
    label: Mapped[str] = mapped_column(String(200))
    choices: Mapped[list[str]] = mapped_column(JSON, default=list)
    required: Mapped[bool] = mapped_column(default=False)

    event: Mapped[Event] = relationship(back_populates="questions")

    def __repr__(self) -> str:
        return f"<EventQuestion {self.id} {self.label!r}>"


# Visitors' pages show events and series (core.page_versions).
page_versions.watch(Event, lambda event: event.community_id, calendar=True)
page_versions.watch(EventSeries, lambda series: series.community_id, calendar=True)
