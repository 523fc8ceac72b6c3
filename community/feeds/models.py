"""Personal calendar feed tokens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from community.core.models import UTCDateTime, utcnow
from community.extensions import db


class CalendarToken(db.Model):
    """The secret in a person's feed URL /calendar/<token>.ics. One per person: regenerating
    replaces it (the old URL stops working at once); revoking deletes it.

    The token is an HMAC of `nonce` under the app's SECRET_KEY, so the settings page can show
    the URL again, while the database alone (a backup, a leak) holds nothing that opens a feed.
    """

    __tablename__ = "calendar_token"
    __table_args__ = ({"info": {"erase_with_user": "user_id"}},)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), unique=True)
    #: Random; the token is derived from it with the SECRET_KEY.
    nonce: Mapped[str] = mapped_column(String(64))
    #: SHA-256 of the token, to find the row from a feed URL. The token is never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: Also list every event of my communities (members-only ones included), not only mine.
    include_community_events: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<CalendarToken {self.id} user={self.user_id}>"


class StoredVEvent(db.Model):
    """An event's public VEVENT as serialised for the feeds, kept so that a freshly started
    worker does not serialise a thousand events again (icalendar needs ~0.3 ms each).

    `state` is a hash of everything the VEVENT is made from; a row whose state differs from
    the event's current one is simply rewritten.
    """

    __tablename__ = "stored_vevent"

    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), primary_key=True)
    state: Mapped[str] = mapped_column(String(32))
    vevent: Mapped[bytes] = mapped_column(LargeBinary)

    def __repr__(self) -> str:
        return f"<StoredVEvent {self.event_id}>"
