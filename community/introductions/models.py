"""Introductions: the topics organizers choose, who opted in to meet people at an event,
introduction requests (double opt-in), and the connections they leave behind."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.core.models import TimestampMixin, UTCDateTime, enum_column, utcnow
from community.extensions import db

if TYPE_CHECKING:
    from community.auth.models import User

TOPIC_NAME_LENGTH = 60
TALK_ABOUT_LENGTH = 200
NOTE_LENGTH = 500


class Topic(TimestampMixin, db.Model):
    """A networking topic a community's organizers chose. Archived, never deleted, so the
    choices people made with it keep their meaning."""

    __tablename__ = "networking_topic"
    __table_args__ = (UniqueConstraint("community_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(TOPIC_NAME_LENGTH))
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def archived(self) -> bool:
        return self.archived_at is not None


class EventSetting(db.Model):
    """An organizer's choice to switch introductions on or off for one event; without a row,
    the default for its kind applies (see services.introductions_enabled)."""

    __tablename__ = "introduction_event_setting"

    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), primary_key=True)
    enabled: Mapped[bool] = mapped_column()


class TopicSide(enum.StrEnum):
    OFFERS = "offers"  # can help with
    SEEKS = "seeks"  # looking for


class OptIn(TimestampMixin, db.Model):
    """ "Introduce me to others at this event", with what they'd like to talk about."""

    __tablename__ = "introduction_opt_in"
    __table_args__ = (UniqueConstraint("event_id", "user_id"), {"info": {"erase_with_user": "user_id"}})

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    talk_about: Mapped[str] = mapped_column(String(TALK_ABOUT_LENGTH), default="")

    topics: Mapped[list[OptInTopic]] = relationship(cascade="all, delete-orphan", back_populates="opt_in")
    user: Mapped[User] = relationship()

    def topic_ids(self, side: TopicSide) -> set[int]:
        return {choice.topic_id for choice in self.topics if choice.side == side}


class OptInTopic(db.Model):
    __tablename__ = "introduction_opt_in_topic"

    opt_in_id: Mapped[int] = mapped_column(
        ForeignKey("introduction_opt_in.id", ondelete="CASCADE"), primary_key=True
    )
    topic_id: Mapped[int] = mapped_column(
        ForeignKey("networking_topic.id", ondelete="CASCADE"), primary_key=True
    )
    side: Mapped[TopicSide] = mapped_column(enum_column(TopicSide), primary_key=True)

    opt_in: Mapped[OptIn] = relationship(back_populates="topics")
    topic: Mapped[Topic] = relationship(lazy="joined")


class IntroductionStatus(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"  # nobody answered in time


class Introduction(TimestampMixin, db.Model):
    """A double opt-in introduction between `asker` and `recipient`.

    A member asking: `asker` is that member (their side is accepted when they ask). An
    organizer introducing two people: `introducer` is the organizer and both sides accept.
    Contact details travel only once both sides have accepted."""

    __tablename__ = "introduction"
    __table_args__ = (
        CheckConstraint("asker_id <> recipient_id", name="not_oneself"),
        # One open request per pair and event at a time: a double click makes one request.
        Index(
            "ux_introduction_pending_pair",
            "event_key",
            "asker_id",
            "recipient_id",
            unique=True,
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
        Index("ix_introduction_recipient_status", "recipient_id", "status"),
        Index("ix_introduction_asker_status", "asker_id", "status"),
        {"info": {"erase_with_user": ("asker_id", "recipient_id")}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"), index=True)
    #: The event it was asked at; None between events (and once that event is deleted).
    event_id: Mapped[int | None] = mapped_column(ForeignKey("event.id", ondelete="SET NULL"), index=True)
    #: event_id, or 0 between events, so the pending-pair index also covers those.
    event_key: Mapped[int] = mapped_column(default=0)
    asker_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    recipient_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    introducer_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text)
    #: Why they should talk, in plain words, as worked out when it was asked.
    reasons: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[IntroductionStatus] = mapped_column(enum_column(IntroductionStatus))
    asker_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recipient_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)

    asker: Mapped[User] = relationship(foreign_keys=[asker_id])
    recipient: Mapped[User] = relationship(foreign_keys=[recipient_id])
    introducer: Mapped[User | None] = relationship(foreign_keys=[introducer_id])

    def other(self, user_id: int) -> User:
        return self.recipient if user_id == self.asker_id else self.asker


class Connection(db.Model):
    """Two people who know each other, stored once per pair (lower user id first). It belongs
    to them: deleting the event they met at leaves it, with its history, in place."""

    __tablename__ = "connection"
    __table_args__ = (
        UniqueConstraint("first_id", "second_id"),
        CheckConstraint("first_id < second_id", name="pair_in_order"),
        Index("ix_connection_second", "second_id"),
        {"info": {"erase_with_user": ("first_id", "second_id")}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    first_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    second_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    moments: Mapped[list[ConnectionMoment]] = relationship(
        cascade="all, delete-orphan", order_by="ConnectionMoment.happened_at", back_populates="connection"
    )

    def other_id(self, user_id: int) -> int:
        return self.second_id if user_id == self.first_id else self.first_id


class ConnectionMoment(db.Model):
    """One line of a connection's history: "met at Class of 2016 reunion, 29 Jan 2027 (introduced)"."""

    __tablename__ = "connection_moment"

    id: Mapped[int] = mapped_column(primary_key=True)
    connection_id: Mapped[int] = mapped_column(ForeignKey("connection.id", ondelete="CASCADE"), index=True)
    happened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("event.id", ondelete="SET NULL"), index=True)
    #: The event's title when it happened, so the history reads right after the event is gone.
    event_title: Mapped[str] = mapped_column(String(200), default="")
    how: Mapped[str] = mapped_column(String(20))  # "introduced" or "met"

    connection: Mapped[Connection] = relationship(back_populates="moments")


class MetTick(db.Model):
    """After an event, "I met this person": a connection once both have ticked each other."""

    __tablename__ = "introduction_met_tick"
    __table_args__ = ({"info": {"erase_with_user": ("user_id", "other_id")}},)

    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    other_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)


class FollowUp(db.Model):
    """ "Who did you meet?" was sent to this person for this event (once per event)."""

    __tablename__ = "introduction_followup"
    __table_args__ = ({"info": {"erase_with_user": "user_id"}},)

    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class EmailPreference(db.Model):
    """A person's "no more 'who did you meet?' emails" (unsubscribed by a signed link)."""

    __tablename__ = "introduction_email_preference"

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    followups: Mapped[bool] = mapped_column(default=True)
