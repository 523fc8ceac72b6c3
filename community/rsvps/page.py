"""What the event page and lists of events show about seats and answers: where the viewer
stands, what the buttons will do, "12 seats left", who's going. Gathered in a fixed number
of queries; the seat decisions are the policy's. The routes hand these to the event pages
through the sections events names (events.hooks).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import url_for

from community.auth.models import User
from community.communities.models import Membership
from community.communities.permissions import can_manage
from community.core.models import utcnow
from community.events.hooks import Badge, CardDetails
from community.events.models import Event, EventStatus
from community.events.timing import to_local
from community.rsvps import policy, queries
from community.rsvps.models import RSVP, RSVPStatus
from community.rsvps.permissions import can_see_attendees, can_see_online_link

#: The badge an event card shows for the viewer's own RSVP.
STATUS_BADGES = {
    RSVPStatus.GOING: Badge("You're going", "success"),
    RSVPStatus.WAITLISTED: Badge("On the waitlist", "warning"),
    RSVPStatus.OFFERED: Badge("Seat held for you", "warning"),
    RSVPStatus.PENDING: Badge("Awaiting approval", "warning"),
    RSVPStatus.NOT_GOING: Badge("Not going", "neutral"),
    RSVPStatus.DECLINED: Badge("Not this time", "neutral"),
}
#: On the card of an event that is over, only going is worth a badge.
PAST_BADGES = {RSVPStatus.GOING: Badge("You went", "success")}

#: "Who's going" shows this many faces; the rest wait behind "Show all" or on the full list.
FACES_SHOWN = 12


def capacity_text(seats_left: int | None, *, waitlist_open: bool = True) -> str:
    """ "12 seats left", "1 seat left", "Full — join the waitlist", "No limit"."""
    if seats_left is None:
        return "No limit"
    if seats_left == 0:
        return "Full — join the waitlist" if waitlist_open else "Full"
    return f"{seats_left} seat{'s' if seats_left != 1 else ''} left"


def seats_note(seats_left: int) -> str:
    """What an event card says of the seats: "12 seats left", "Full — waitlist open"."""
    if seats_left == 0:
        return "Full — waitlist open"
    return f"{seats_left} seat{'' if seats_left == 1 else 's'} left"


def offer_deadline_text(rsvp: RSVP, event: Event, now: datetime) -> str:
    """ "18:30" today, else "Fri 13 Jun, 18:30", in the event's zone."""
    expires = to_local(rsvp.offer_expires_at, event.timezone)
    if expires.date() == to_local(now, event.timezone).date():
        return f"{expires:%H:%M}"
    return f"{expires:%a %-d %b, %H:%M}"


def _guests_text(rsvp: RSVP) -> str:
    return f" with {rsvp.guests} guest{'s' if rsvp.guests != 1 else ''}" if rsvp.guests else ""


def _state_after(rsvp: RSVP, event: Event) -> str:
    """Where the viewer stood, once the event is over or cancelled: nothing left to do."""
    cancelled = event.status == EventStatus.CANCELLED
    return {
        RSVPStatus.GOING: f"{'You had said you would go' if cancelled else 'You went'}{_guests_text(rsvp)}",
        RSVPStatus.NOT_GOING: "You had said you couldn't go" if cancelled else "You said you couldn't go",
        RSVPStatus.WAITLISTED: "You were on the waitlist",
        RSVPStatus.OFFERED: "You were on the waitlist",
        RSVPStatus.PENDING: "Your request was still waiting for approval",
    }.get(rsvp.status, "An organizer couldn't offer you a place this time")


def rsvp_state(rsvp: RSVP | None, event: Event, now: datetime) -> str | None:
    """One sentence saying where the viewer stands (or stood, once the event is over)."""
    if rsvp is None:
        return None
    if event.ends_at <= now or event.status == EventStatus.CANCELLED:
        return _state_after(rsvp, event)
    if rsvp.status == RSVPStatus.GOING:
        return f"You're going{_guests_text(rsvp)}"
    if rsvp.status == RSVPStatus.WAITLISTED:
        return f"You're number {queries.waitlist_position(rsvp)} on the waitlist"
    if rsvp.status == RSVPStatus.PENDING:
        return "Waiting for an organizer's approval"
    if rsvp.status == RSVPStatus.OFFERED:
        return f"A seat is held for you until {offer_deadline_text(rsvp, event, now)} — claim it"
    if rsvp.status == RSVPStatus.DECLINED:
        return "An organizer couldn't offer you a place this time"
    return "You said you can't go"


def going_label(event: Event, rsvp: RSVP | None, count: queries.Headcount) -> str:
    """The label of the "yes" button, saying what pressing it will do (for one seat)."""
    status = rsvp.status if rsvp else None
    if status == RSVPStatus.OFFERED:
        return "Claim your seat"
    if status in (RSVPStatus.GOING, RSVPStatus.WAITLISTED, RSVPStatus.PENDING):
        return "Save changes"
    outcome = policy.request_status(
        requires_approval=event.requires_approval,
        party_fits=policy.fits(count.capacity, count.taken, 1),
        someone_waiting=count.waitlisted > 0,
        best_fit=event.waitlist_best_fit,
    )
    return {RSVPStatus.PENDING: "Request a place", RSVPStatus.WAITLISTED: "Join the waitlist"}.get(
        outcome, "Going"
    )


def not_going_label(rsvp: RSVP | None) -> str:
    status = rsvp.status if rsvp else None
    return {
        RSVPStatus.WAITLISTED: "Leave the waitlist",
        RSVPStatus.PENDING: "Withdraw my request",
        RSVPStatus.OFFERED: "No thanks",
    }.get(status, "Can't go")


def attendance(
    event: Event, membership: Membership | None, viewer: User | None, now: datetime
) -> dict[str, Any]:
    """The event page's seats and answers for this viewer (a fixed number of queries),
    without the answer form, which the route adds."""
    count = queries.page_headcount(event)
    rsvp = queries.rsvp_of(event, viewer) if viewer is not None else None
    show_attendees = can_see_attendees(event, membership)
    # A list that fits on the page loads it all (the rest behind "Show all"); a longer one
    # loads only the faces shown and links to the full list.
    loaded = FACES_SHOWN if count.listed_going > queries.ATTENDEES_ON_PAGE else queries.ATTENDEES_ON_PAGE
    closed = policy.closed(event, now)
    manage_url = url_for("rsvp_admin.rsvps", slug=event.community.slug, event_id=event.id)
    return {
        "template": "rsvps/event/_rsvp.html",
        "places_template": "rsvps/event/_places.html",
        "attendees_template": "rsvps/event/_attendees.html",
        "organizer_link": ("RSVPs and check-in", manage_url) if can_manage(membership) else None,
        "count": count,
        "seats_left": count.seats_left,
        "capacity_text": capacity_text(count.seats_left),
        "my_rsvp": rsvp,
        "rsvp_state": rsvp_state(rsvp, event, now),
        "closed_reason": closed.notice if closed else None,
        "going_label": going_label(event, rsvp, count),
        "not_going_label": not_going_label(rsvp),
        "show_attendees": show_attendees,
        "attendees": queries.attendees(event, viewer, loaded, membership) if show_attendees else [],
        "faces_shown": FACES_SHOWN,
        "more_attendees": max(count.listed_going - loaded, 0),
        "attendees_title": attendees_title(event, now),
        "show_online_link": can_see_online_link(event, membership, rsvp),
    }


def attendees_title(event: Event, now: datetime) -> str:
    """ "Who's going", "Who came" once the event is over, "Who was going" if it is cancelled."""
    if event.status == EventStatus.CANCELLED:
        return "Who was going"
    return "Who came" if event.ends_at <= now else "Who's going"


def card_details(
    events: list[Event], viewer: User | None, now: datetime | None = None
) -> dict[str, dict[int, CardDetails]]:
    """Seats left and the viewer's own RSVP for each event card: two queries for the list.
    A card of an event that is over says "You went", and nothing of seats."""
    now = now or utcnow()
    ids = [event.id for event in events]
    taken = queries.seats_taken_by_event(ids)
    mine = queries.statuses_of(viewer, ids)
    cards = {}
    for event in events:
        over = event.ends_at <= now
        left = policy.seats_left(event.capacity, taken.get(event.id, 0))
        open_seats = left is not None and event.status != EventStatus.CANCELLED and not over
        badge = (PAST_BADGES if over else STATUS_BADGES).get(mine.get(event.id))
        cards[event.id] = CardDetails(
            notes=(seats_note(left),) if open_seats else (), badges=(badge,) if badge else ()
        )
    return {"cards": cards}
