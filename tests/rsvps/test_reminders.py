"""`flask reminders`: a reminder a day before, once; expired seat offers passed on."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from community.core.models import utcnow
from community.events.services import cancel_event
from community.extensions import db
from community.rsvps.models import RSVP, RSVPStatus
from community.rsvps.services import respond
from tests.conftest import outbox_messages
from tests.factories import create_rsvp, create_user


def soon(hours: float):
    """Event details starting `hours` from now (in UTC, so the arithmetic is plain)."""
    start = utcnow() + timedelta(hours=hours)
    end = start + timedelta(hours=2)
    return {
        "day": start.date(),
        "end_day": end.date(),
        "start_time": start.time().replace(second=0, microsecond=0),
        "end_time": end.time().replace(second=0, microsecond=0),
        "timezone": "UTC",
    }


def run(app) -> str:
    result = app.test_cli_runner().invoke(args=["reminders"])
    assert result.exit_code == 0, result.output
    return result.output


def test_each_person_going_is_reminded_once(app, published_event):
    event = published_event(**soon(20))
    going = [create_user(name=f"Going {i}") for i in range(2)]
    for person in going:
        respond(event, person, going=True)
    respond(event, create_user(name="Not going"), going=False)
    db.session.commit()

    assert run(app) == "Reminders: 2 sent for 1 event. Expired offers: 0 seats passed on.\n"
    assert run(app) == "Reminders: 0 sent for 0 events. Expired offers: 0 seats passed on.\n"

    mails = outbox_messages(kind="events.reminder")
    assert sorted(m.to_address for m in mails) == sorted(p.email for p in going)
    assert mails[0].subject == "Tomorrow: Class of 2016 reunion"
    assert all(
        r.reminder_sent_at is not None
        for r in db.session.scalars(select(RSVP).where(RSVP.status == RSVPStatus.GOING))
    )


def test_a_suspended_account_is_not_reminded(app, published_event):
    event = published_event(**soon(20))
    kept, suspended = create_user(name="Kept"), create_user(name="Suspended")
    for person in (kept, suspended):
        respond(event, person, going=True)
    suspended.suspended_at = utcnow()
    db.session.commit()

    assert run(app).startswith("Reminders: 1 sent for 1 event.")
    assert [m.to_address for m in outbox_messages(kind="events.reminder")] == [kept.email]


def test_someone_who_says_yes_later_is_reminded_on_the_next_run(app, published_event):
    event = published_event(**soon(10))
    respond(event, create_user(), going=True)
    db.session.commit()
    run(app)
    late = create_user(name="Late Lou")
    respond(event, late, going=True)
    db.session.commit()
    assert run(app).startswith("Reminders: 1 sent for 1 event.")
    assert len(outbox_messages(kind="events.reminder", to=late.email)) == 1


def test_events_further_away_past_or_cancelled_get_no_reminder(app, organizer, published_event):
    later = published_event(**soon(30))
    past = published_event(**soon(-3))
    cancelled = published_event(**soon(5))
    for event in (later, cancelled):
        respond(event, create_user(), going=True)
    db.session.commit()
    create_rsvp(past, create_user())
    cancel_event(cancelled, organizer, reason="Storm warning.")
    db.session.commit()

    assert run(app).startswith("Reminders: 0 sent for 0 events.")
    assert outbox_messages(kind="events.reminder") == []


def test_an_expired_offer_passes_to_the_next_in_line(app, published_event):
    event = published_event(capacity=1, offer_freed_seats=True, claim_window_minutes=30, **soon(30))
    first, offered, next_one = (create_user(name=n) for n in ("First", "Offered", "Next"))
    for person in (first, offered, next_one):
        respond(event, person, going=True)
    respond(event, first, going=False, now=utcnow() - timedelta(hours=1))
    db.session.commit()

    output = run(app)
    assert "Expired offers: 1 seat passed on." in output
    db.session.expire_all()
    by_user = {r.user_id: r.status for r in db.session.scalars(select(RSVP))}
    assert by_user[offered.id] == RSVPStatus.WAITLISTED
    assert by_user[next_one.id] == RSVPStatus.OFFERED
    assert len(outbox_messages(kind="events.offered", to=next_one.email)) == 1
