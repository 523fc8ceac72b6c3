"""What the organizer's event form shows: choices, and an event's fields as the form holds
them (local dates and times in the event's zone). Pure helpers, no request."""

from __future__ import annotations

import re
from datetime import date, timedelta

from wtforms import SelectChoice

from community.events.models import Event, EventKind, EventVisibility
from community.events.timing import to_local

KIND_LABELS = {
    EventKind.REUNION: "Reunion",
    EventKind.ROUNDTABLE: "Roundtable",
    EventKind.MEETUP: "Meetup",
    EventKind.TALK: "Talk",
    EventKind.SOCIAL: "Social",
}
VISIBILITY_CHOICES = [
    SelectChoice(EventVisibility.PUBLIC.value, "Public: anyone can find and see it"),
    SelectChoice(EventVisibility.MEMBERS.value, "Members only: only members of the community see it"),
    SelectChoice(EventVisibility.UNLISTED.value, "Unlisted: not listed; anyone with the link can see it"),
]
#: Which weekday of the month: value -> label.
ORDINALS = {"1": "1st", "2": "2nd", "3": "3rd", "4": "4th", "-1": "last"}
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def select_choices(*pairs: tuple[str, str]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def split_choices(text: str | None) -> list[str]:
    """Choices typed one per line, or separated by commas; blanks and repeats dropped."""
    parts = re.split(r"\r?\n" if "\n" in (text or "") else ",", text or "")
    seen: list[str] = []
    for part in (p.strip() for p in parts):
        if part and part not in seen:
            seen.append(part[:100])
    return seen


def describe_ordinal(day: date) -> str:
    """Which weekday of its month a date is: "3rd", or "last" for a 5th."""
    number = (day.day - 1) // 7 + 1
    return ORDINALS[str(number)] if number <= 4 else "last"


def event_form_data(event: Event) -> dict:
    """An event's fields as the form shows them: local dates and times in its zone."""
    start, end = to_local(event.starts_at, event.timezone), to_local(event.ends_at, event.timezone)
    if event.all_day:
        end = end - timedelta(days=1)
    deadline = to_local(event.rsvp_deadline, event.timezone) if event.rsvp_deadline else None
    return {
        "kind": event.kind.value,
        "title": event.title,
        "cohorts": ", ".join(event.cohorts or []),
        "description": event.description,
        "all_day": event.all_day,
        "start_date": start.date(),
        "start_time": start.time().replace(tzinfo=None),
        "end_date": end.date(),
        "end_time": end.time().replace(tzinfo=None),
        "timezone": event.timezone,
        "venue_name": event.venue_name,
        "address": event.address,
        "latitude": "" if event.latitude is None else f"{event.latitude:g}",
        "longitude": "" if event.longitude is None else f"{event.longitude:g}",
        "online_url": event.online_url,
        "capacity": event.capacity,
        "deadline_date": deadline.date() if deadline else None,
        "deadline_time": deadline.time().replace(tzinfo=None) if deadline else None,
        "guests_allowed": event.guests_allowed,
        "requires_approval": event.requires_approval,
        "waitlist_best_fit": event.waitlist_best_fit,
        "offer_freed_seats": event.offer_freed_seats,
        "claim_window_minutes": event.claim_window_minutes,
        "visibility": event.visibility.value,
        "attendee_list_public": event.attendee_list_public,
        "cover_alt": event.cover_alt,
        "questions": [
            {"label": q.label, "kind": q.kind, "choices": "\n".join(q.choices), "required": q.required}
            for q in event.questions
        ],
    }
