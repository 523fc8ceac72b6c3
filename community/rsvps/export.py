"""The attendee list as CSV: a pure builder (rows in, bytes out) that tests call directly."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime

from community.core.spreadsheets import safe_cell
from community.events.models import Event, EventQuestion
from community.events.timing import to_local
from community.rsvps.models import RSVP


def answer_text(question: EventQuestion, value) -> str:
    """An answer as a person reads it: "Yes"/"No", choices joined, blanks empty."""
    if value is None or value == "":
        return ""
    if question.kind == "yes_no" or isinstance(value, bool):
        if isinstance(value, bool):
            return "Yes" if value else "No"
        return {"yes": "Yes", "no": "No", "true": "Yes", "false": "No"}.get(str(value).lower(), str(value))
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def _local(moment: datetime | None, zone: str) -> str:
    return f"{to_local(moment, zone):%Y-%m-%d %H:%M}" if moment is not None else ""


def attendees_csv(event: Event, questions: Iterable[EventQuestion], rsvps: Iterable[RSVP]) -> bytes:
    """The attendee list: UTF-8 with a BOM (so spreadsheets read accents), times in the
    event's zone, one column per question."""
    questions = list(questions)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(
        [
            "Name",
            "Email",
            "Status",
            "Guests",
            *[safe_cell(q.label) for q in questions],
            f"RSVP time ({event.timezone})",
            f"Checked in ({event.timezone})",
        ]
    )
    for rsvp in rsvps:
        writer.writerow(
            [
                safe_cell(rsvp.user.name),
                safe_cell(rsvp.user.email),
                rsvp.status.value.replace("_", " "),
                rsvp.guests,
                *[safe_cell(answer_text(q, (rsvp.answers or {}).get(str(q.id)))) for q in questions],
                _local(rsvp.queued_at, event.timezone),
                _local(rsvp.checked_in_at, event.timezone),
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")
