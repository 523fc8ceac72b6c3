"""Events as calendars see them, and the iTIP invitation attached to RSVP emails.

Uses the pure iCalendar builders in community.feeds.ical (a document library that knows
nothing of events); the feeds themselves are served by community.feeds.
"""

from __future__ import annotations

from email.utils import parseaddr
from functools import lru_cache

from flask import current_app, url_for

from community.core.mail.services import Attachment
from community.events.join import join_url
from community.events.models import RSVP, Event, EventStatus, RSVPStatus
from community.feeds import ical


def organizer_address() -> str:
    """The site's no-reply address: the ORGANIZER of every event (never a person's email)."""
    return _address_in(current_app.config["MAIL_DEFAULT_SENDER"])


@lru_cache(maxsize=8)
def _address_in(sender: str) -> str:
    return parseaddr(sender)[1]


def event_url(event: Event) -> str:
    return url_for("events.event_page", slug=event.community.slug, event_id=event.id, _external=True)


def calendar_event(
    event: Event, *, status: str | None = None, join: str = "", description_text: str | None = None
) -> ical.CalendarEvent:
    return ical.calendar_event(
        event,
        server_name=current_app.config["SERVER_NAME"] or "localhost",
        event_url=event_url(event),
        organizer_email=organizer_address(),
        description_text=description_text,
        status=status,
        join_url=join,
    )


# -- invitations by email ----------------------------------------------------------------


def invitation_for(rsvp: RSVP) -> Attachment:
    """The iTIP attachment for an RSVP email: REQUEST while the person is going (ACCEPTED) or
    waiting (TENTATIVE); CANCEL when the event is cancelled or they are no longer going."""
    event = rsvp.event
    if event.status == EventStatus.CANCELLED or rsvp.status in (RSVPStatus.NOT_GOING, RSVPStatus.DECLINED):
        method, partstat, status = ical.CANCEL, "DECLINED", None
        if event.status == EventStatus.CANCELLED and rsvp.status in (RSVPStatus.GOING, RSVPStatus.WAITLISTED):
            partstat = "ACCEPTED" if rsvp.status == RSVPStatus.GOING else "TENTATIVE"
    elif rsvp.status == RSVPStatus.GOING:
        method, partstat, status = ical.REQUEST, "ACCEPTED", ical.CONFIRMED
    else:
        method, partstat, status = ical.REQUEST, "TENTATIVE", ical.TENTATIVE
    join = (
        join_url(rsvp)
        if method == ical.REQUEST and rsvp.status == RSVPStatus.GOING and event.online_url
        else ""
    )
    document = ical.invitation_document(
        calendar_event(event, status=status, join=join),
        method=method,
        attendee_email=rsvp.user.email,
        attendee_name=rsvp.user.name,
        partstat=partstat,
    )
    return Attachment(
        filename="invite.ics" if method == ical.REQUEST else "cancel.ics",
        mime="text/calendar",
        text=document.decode(),
        params={"method": method},
    )
