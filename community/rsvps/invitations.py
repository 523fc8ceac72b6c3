"""The calendar invitation attached to RSVP emails (iTIP, RFC 5546), so mail clients add,
update or remove the event in the person's calendar. The event as calendars see it is
events.calendar's; this adds the person and where their answer puts them."""

from __future__ import annotations

from community.core.ical.document import invitation_document
from community.core.ical.entry import CANCEL, CONFIRMED, REQUEST, TENTATIVE
from community.core.mail.services import Attachment
from community.events.calendar import calendar_entry
from community.events.models import EventStatus
from community.rsvps.join import join_url
from community.rsvps.models import RSVP, RSVPStatus


def invitation_for(rsvp: RSVP) -> Attachment:
    """The iTIP attachment for an RSVP email: REQUEST while the person is going (ACCEPTED) or
    waiting (TENTATIVE); CANCEL when the event is cancelled or they are no longer going."""
    event = rsvp.event
    if event.status == EventStatus.CANCELLED or rsvp.status in (RSVPStatus.NOT_GOING, RSVPStatus.DECLINED):
        method, partstat, status = CANCEL, "DECLINED", None
        if event.status == EventStatus.CANCELLED and rsvp.status in (RSVPStatus.GOING, RSVPStatus.WAITLISTED):
            partstat = "ACCEPTED" if rsvp.status == RSVPStatus.GOING else "TENTATIVE"
    elif rsvp.status == RSVPStatus.GOING:
        method, partstat, status = REQUEST, "ACCEPTED", CONFIRMED
    else:
        method, partstat, status = REQUEST, "TENTATIVE", TENTATIVE
    join = (
        join_url(rsvp) if method == REQUEST and rsvp.status == RSVPStatus.GOING and event.online_url else ""
    )
    document = invitation_document(
        calendar_entry(event, status=status, join=join),
        method=method,
        attendee_email=rsvp.user.email,
        attendee_name=rsvp.user.name,
        partstat=partstat,
    )
    return Attachment(
        filename="invite.ics" if method == REQUEST else "cancel.ics",
        mime="text/calendar",
        text=document.decode(),
        params={"method": method},
    )
