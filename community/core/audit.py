"""The organizers' audit log: what each organizer did in a community, for the others to see,
read as plain sentences (`sentence`), filtered by kind (`KINDS`).

Every feature that acts for organizers writes here (communities, events, RSVPs), so the log
lives in core. It names rows of higher features only by table ("community", "user_account"):
the writer takes anything with an `id`, and the log shows only the people's names.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.core.models import UTCDateTime, utcnow
from community.extensions import db


class _Row(Protocol):
    id: int


class _Person(Protocol):
    """What the log reads of an account (auth's User)."""

    id: int
    name: str


class AuditEntry(db.Model):
    """Something an organizer did, kept for the other organizers to see."""

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_community_created", "community_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    #: A short verb, e.g. "member.approved", "member.promoted", "invitation.sent".
    action: Mapped[str] = mapped_column(String(40))
    subject_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    detail: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor: Mapped[_Person | None] = relationship("User", foreign_keys=[actor_id])
    subject: Mapped[_Person | None] = relationship("User", foreign_keys=[subject_user_id])

    def __repr__(self) -> str:
        return f"<AuditEntry {self.id} {self.action}>"


def record(
    community: _Row, actor: _Row | None, action: str, *, subject: _Row | None = None, detail: str = ""
) -> AuditEntry:
    """Add an entry to `community`'s log (flushed with the caller's next flush)."""
    entry = AuditEntry(
        community_id=community.id,
        actor_id=actor.id if actor is not None else None,
        action=action,
        subject_user_id=subject.id if subject is not None else None,
        detail=detail[:500],
    )
    db.session.add(entry)
    return entry


#: A row an entry is about, kept at the end of its detail (" ⟦event:42⟧"), so that a feature can find
#: its own entries (an event's messages) with no column naming a higher table. Sentences leave it out.
_TAG = re.compile(r" ⟦[a-z_]+:\d+⟧$")


def tag(table: str, row_id: int) -> str:
    """The end of the detail of the entries about row `row_id` of `table` (to match with endswith)."""
    return f" ⟦{table}:{row_id}⟧"


def tagged(detail: str, table: str, row_id: int) -> str:
    """`detail` with the tag of a row at its end, cut so that the tag fits the column."""
    end = tag(table, row_id)
    return detail[: 500 - len(end)] + end


def shown_detail(detail: str) -> str:
    """The detail as people read it: without a row's tag."""
    return _TAG.sub("", detail)


# -- the log in plain sentences ----------------------------------------------------------------

#: What each action says after the actor's name: {subject} is the person it was about, {detail}
#: the entry's detail. An action not here reads "recorded <code>".
PHRASES: dict[str, str] = {
    "community.created": "started {detail}",
    "community.updated": "changed the settings: {detail}",
    "member.joined": "joined",
    "member.requested": "asked to join",
    "member.withdrew": "withdrew their request to join",
    "member.left": "left",
    "member.approved": "approved {subject}'s request to join",
    "member.declined": "declined {subject}'s request to join",
    "member.promoted": "made {subject} an organizer",
    "member.demoted": "made {subject} a member again",
    "member.removed": "removed {subject}",
    "ownership.transferred": "handed ownership over to {subject}",
    "members.exported": "exported {detail}",
    "invitation.sent": "sent invitations: {detail}",
    "invitation.resent": "sent the invitation to {detail} again",
    "invitation.revoked": "withdrew the invitation to {detail}",
    "invite_link.created": "created an invitation link",
    "invite_link.revoked": "revoked an invitation link",
    "import.completed": "imported {detail}",
    "event.created": "created the event “{detail}”",
    "event.series_created": "created a series: {detail}",
    "event.updated": "changed the event “{detail}”",
    "event.published": "published “{detail}”",
    "event.duplicated": "duplicated “{detail}”",
    "event.cancelled": "cancelled an event: {detail}",
    "event.message_sent": "emailed the people coming: {detail}",
    "rsvp.checked_in": "checked in {subject}",
    "rsvp.check_in_undone": "undid {subject}'s check-in",
    "rsvp.approved": "approved {subject}'s RSVP",
    "rsvp.declined": "declined {subject}'s RSVP",
    "rsvp.moved_to_waitlist": "moved {subject} to the waitlist",
    "rsvp.moved_to_going": "moved {subject} to going",
    "tables.planned": "made a table plan for “{detail}”",
    "tables.restored": "went back to an earlier table plan for “{detail}”",
    "tables.published": "published the table plan for {detail}",
    "introductions.switched": "switched introductions: {detail}",
    "introductions.topic-added": "added the topic “{detail}”",
    "introductions.topic-renamed": "renamed a topic: {detail}",
    "introductions.topic-archived": "archived the topic “{detail}”",
    "insights.drift_invited": "invited {subject} back, to “{detail}”",
}

#: Details the sentence already says in other words (member.promoted's "to organizer").
_DETAIL_SAID = ("member.promoted", "member.demoted")

#: The kinds the log filters by: key -> (label, action prefixes).
KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "members": ("Members and roles", ("member.", "ownership.", "members.")),
    "invitations": (
        "Invitations and imports",
        ("invitation.", "invite_link.", "import.", "insights.drift_invited"),
    ),
    "events": ("Events and messages", ("event.",)),
    "rsvps": ("RSVPs and check-in", ("rsvp.",)),
    "settings": ("Settings", ("community.",)),
    "tables": ("Tables and introductions", ("tables.", "introductions.")),
}


def sentence(entry: AuditEntry, zone: str) -> str:
    """The entry as one sentence, its time in `zone`: "Olu Organizer checked in Greta Adeyemi at 19:02"."""
    phrase = PHRASES.get(entry.action, "recorded “{action}”")
    actor = entry.actor.name if entry.actor is not None else "Someone (a deleted account)"
    subject = entry.subject.name if entry.subject is not None else "someone"
    said = phrase.format(subject=subject, detail=shown_detail(entry.detail), action=entry.action)
    at = entry.created_at.astimezone(ZoneInfo(zone)).strftime("%H:%M")
    return f"{actor} {said} at {at}"


def extra_detail(entry: AuditEntry) -> str:
    """The detail the sentence does not say already ("" when it does)."""
    if entry.action in _DETAIL_SAID or "{detail}" in PHRASES.get(entry.action, ""):
        return ""
    return shown_detail(entry.detail)
