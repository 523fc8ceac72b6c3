"""Where features above events plug into them; events never import those features.

The feature that keeps seats (community.rsvps) registers, when its blueprint is registered:

- one SeatKeeper, which events.services calls when an event changes: a capacity that no
  longer holds the people going, a new date or place, a cancellation. With none registered,
  an event has no seats to keep and nobody to tell.
- sections of the event pages and screens (core.sections.provide) under the names below;
  a page whose section has no provider leaves that part out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from flask import Flask, current_app

from community.events.models import Event

KEEPER_KEY = "roundtable.events.seat_keeper"

#: The public event page's attendance: fn(event, membership, viewer, now, answer) -> dict with
#: "template" (the answer card), "places_template", "attendees_template", "seats_left",
#: "show_online_link" and "organizer_link" (label, url) or None. `answer` is what the
#: feature's own POST route hands back to show again (a form with its errors).
EVENT_ATTENDANCE = "event_attendance"
#: What event cards in lists add: fn(events, viewer) -> {"cards": {event_id: CardDetails}}.
EVENT_CARD_DETAILS = "event_card_details"
#: The organizer's list of events, each row's figures: fn(events) -> dict with "template".
EVENT_LIST_FIGURES = "event_list_figures"
#: The cancel screen's "who will be told": fn(event) -> dict with "template".
EVENT_CANCEL_NOTICE = "event_cancel_notice"


class Badge(NamedTuple):
    label: str
    tone: str  # "success", "warning", "neutral", "danger"


@dataclass(frozen=True)
class CardDetails:
    """What a feature adds to an event's card in a list: lines beside its date and place,
    and badges (e.g. "12 seats left", "You're going")."""

    notes: tuple[str, ...] = ()
    badges: tuple[Badge, ...] = ()


@dataclass
class SeatChanges:
    """Who an event change moved: people back to the waitlist, people given a seat."""

    moved_to_waitlist: list[Any] = field(default_factory=list)
    promoted: list[Any] = field(default_factory=list)


def _no_check(event: Event, capacity: int | None, *, confirmed: bool) -> None:
    return None


def _no_changes(
    event: Event, *, old_capacity: int | None, schedule_changed: bool, now: datetime
) -> SeatChanges:
    return SeatChanges()


def _nobody(event: Event) -> None:
    return None


@dataclass(frozen=True)
class SeatKeeper:
    """What an event change does to the people who answered. Each is called with the event
    row locked (events.locking) and only flushes; emails go through the outbox."""

    #: Before a capacity is saved. :raises events.services.CapacityBelowGoing: when it no
    #: longer holds the seats taken and the organizer has not confirmed moving people.
    check_capacity: Callable[..., None] = _no_check
    #: After an edit is applied: fit the seats to the capacity, give freed seats, and tell
    #: people of a new date or place. Returns who moved.
    event_updated: Callable[..., SeatChanges] = _no_changes
    #: After a cancellation: tell everyone who answered.
    event_cancelled: Callable[[Event], None] = _nobody


def keep_seats(app: Flask, keeper: SeatKeeper) -> None:
    app.extensions[KEEPER_KEY] = keeper


def seat_keeper() -> SeatKeeper:
    return current_app.extensions.get(KEEPER_KEY) or SeatKeeper()
