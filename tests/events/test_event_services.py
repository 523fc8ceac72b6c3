"""Organizers' event operations: times and zones, series, edits, capacity, cancellation."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from community.core.errors import DomainError
from community.events.models import EventStatus
from community.events.services import (
    CapacityBelowGoing,
    Question,
    Recurrence,
    cancel_event,
    create_event,
    create_series,
    duplicate_event,
    following_in_series,
    update_event,
)
from community.events.timing import describe_when, to_local
from community.extensions import db
from community.rsvps.services import respond
from tests.conftest import outbox_messages
from tests.factories import create_user, event_details


def test_times_are_stored_in_utc_and_shown_in_the_events_zone(community, organizer):
    event = create_event(community, organizer, event_details(day=date(2027, 7, 3), timezone="Europe/London"))

    assert event.starts_at == datetime(2027, 7, 3, 17, 30, tzinfo=UTC)  # BST is UTC+1
    assert describe_when(event.starts_at, event.ends_at, event.timezone, False) == (
        "Saturday 3 July 2027, 18:30–22:00 (Europe/London)"
    )


def test_all_day_weekend_reunion_spans_whole_local_days(community, organizer):
    event = create_event(
        community,
        organizer,
        event_details(
            day=date(2027, 6, 11), end_day=date(2027, 6, 13), all_day=True, timezone="America/New_York"
        ),
    )

    assert to_local(event.starts_at, event.timezone).replace(tzinfo=None) == datetime(2027, 6, 11)
    assert to_local(event.ends_at, event.timezone).replace(tzinfo=None) == datetime(2027, 6, 14)
    assert describe_when(event.starts_at, event.ends_at, event.timezone, True) == (
        "Friday 11 June – Sunday 13 June 2027 (all day)"
    )


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"end_time": time(17, 0)}, "must end after it starts"),
        ({"day": date(2027, 3, 28), "start_time": time(1, 30)}, "does not exist on 28 March 2027"),
        ({"rsvp_deadline": datetime(2030, 1, 1, 12, 0)}, "deadline must be before the event starts"),
        ({"questions": tuple(Question(label=f"Q{i}") for i in range(6))}, "at most 5 questions"),
    ],
)
def test_bad_schedules_are_refused(community, organizer, overrides, message):
    with pytest.raises(DomainError, match=message):
        create_event(community, organizer, event_details(**overrides))


def test_a_weekly_series_keeps_its_local_time_across_the_clock_change(community, organizer):
    # Tuesdays at 19:00 in London, across the change to summer time on 28 March 2027.
    events = create_series(
        community,
        organizer,
        event_details(day=date(2027, 3, 16), start_time=time(19), end_time=time(21)),
        Recurrence(frequency="weekly", count=4),
    )

    local = [to_local(e.starts_at, e.timezone) for e in events]
    assert [d.date() for d in local] == [
        date(2027, 3, 16),
        date(2027, 3, 23),
        date(2027, 3, 30),
        date(2027, 4, 6),
    ]
    assert {d.time() for d in local} == {time(19)}
    assert [e.starts_at.hour for e in events] == [19, 19, 18, 18]  # UTC moves, wall clock doesn't
    assert len({e.series_id for e in events}) == 1


def test_monthly_series_on_the_nth_weekday_with_an_end_date(community, organizer):
    events = create_series(
        community,
        organizer,
        event_details(day=date(2027, 1, 12)),  # the second Tuesday
        Recurrence(frequency="monthly", weekday_ordinal=2, until=date(2027, 4, 30)),
    )
    assert [to_local(e.starts_at, e.timezone).date() for e in events] == [
        date(2027, 1, 12), date(2027, 2, 9), date(2027, 3, 9), date(2027, 4, 13),
    ]  # fmt: skip


def test_a_series_needs_an_end(community, organizer):
    with pytest.raises(DomainError, match="Say when the series ends"):
        create_series(community, organizer, event_details(), Recurrence(frequency="weekly"))


def test_editing_this_and_following_leaves_earlier_events_alone(community, organizer):
    events = create_series(
        community,
        organizer,
        event_details(day=date(2027, 5, 4), start_time=time(19), end_time=time(21)),
        Recurrence(frequency="weekly", count=4),
        publish=True,
    )
    db.session.commit()
    third = events[2]

    update_event(
        third,
        organizer,
        event_details(
            title="Roundtable (new room)",
            day=date(2027, 5, 18),
            start_time=time(18),
            end_time=time(20),
            venue_name="Room 2",
        ),
        scope="following",
    )
    db.session.commit()

    titles = [e.title for e in following_in_series(events[0])]
    assert titles == ["Class of 2016 reunion"] * 2 + ["Roundtable (new room)"] * 2
    assert [to_local(e.starts_at, e.timezone).time() for e in events] == [
        time(19),
        time(19),
        time(18),
        time(18),
    ]
    assert [to_local(e.starts_at, e.timezone).date() for e in events][2:] == [
        date(2027, 5, 18),
        date(2027, 5, 25),
    ]
    assert [e.sequence for e in events] == [0, 0, 1, 1]


def test_editing_one_event_of_a_series_alone(community, organizer):
    events = create_series(
        community, organizer, event_details(day=date(2027, 5, 4)), Recurrence(frequency="weekly", count=3)
    )
    update_event(events[1], organizer, event_details(title="Special edition", day=date(2027, 5, 11)))
    assert [e.title for e in events] == ["Class of 2016 reunion", "Special edition", "Class of 2016 reunion"]


def test_lowering_capacity_below_the_going_count_needs_confirmation(community, organizer, published_event):
    event = published_event(capacity=3)
    people = [create_user() for _ in range(3)]
    for person in people:
        respond(event, person, going=True)
    db.session.commit()

    with pytest.raises(CapacityBelowGoing, match="3 seats are already taken"):
        update_event(event, organizer, event_details(capacity=2))
    db.session.rollback()

    result = update_event(event, organizer, event_details(capacity=2), move_extra_to_waitlist=True)
    db.session.commit()
    assert [r.user_id for r in result.moved_to_waitlist] == [people[2].id]
    [notice] = outbox_messages(kind="events.moved-to-waitlist")
    assert notice.to_address == people[2].email


def test_raising_capacity_promotes_and_emails_the_waitlist(community, organizer, published_event):
    event = published_event(capacity=1)
    first, second = create_user(), create_user()
    respond(event, first, going=True)
    respond(event, second, going=True)
    db.session.commit()

    result = update_event(event, organizer, event_details(capacity=2))
    db.session.commit()

    assert [r.user_id for r in result.promoted] == [second.id]
    [mail] = outbox_messages(kind="events.promoted")
    assert mail.to_address == second.email
    assert "a seat opened up and it's yours" in mail.body_text


def test_changing_time_or_place_raises_the_sequence_and_tells_attendees(
    community, organizer, published_event
):
    event = published_event(venue_name="The Old Library")
    person = create_user()
    respond(event, person, going=True)
    db.session.commit()

    update_event(event, organizer, event_details(venue_name="The Boathouse"))
    update_event(event, organizer, event_details(venue_name="The Boathouse", description="Now with a band"))
    db.session.commit()

    assert event.sequence == 1  # the description alone does not count
    [mail] = outbox_messages(kind="events.changed")
    assert "The Boathouse" in mail.body_text


def test_cancelling_tells_everyone_with_the_reason_and_keeps_the_event(community, organizer, published_event):
    event = published_event(capacity=1)
    going, waiting, not_going = create_user(), create_user(), create_user()
    respond(event, going, going=True)
    respond(event, waiting, going=True)
    respond(event, not_going, going=False)
    db.session.commit()

    with pytest.raises(DomainError, match="Say why"):
        cancel_event(event, organizer, reason="  ")
    cancel_event(event, organizer, reason="The venue flooded.")
    db.session.commit()

    assert event.status == EventStatus.CANCELLED
    mails = outbox_messages(kind="events.cancelled")
    assert sorted(m.to_address for m in mails) == sorted([going.email, waiting.email])
    assert "Why: The venue flooded." in mails[0].body_text


def test_duplicate_is_a_draft_with_the_questions_and_no_rsvps(community, organizer, published_event):
    event = published_event(questions=(Question(label="Dietary needs", required=True),))
    respond(event, create_user(), going=True, answers={str(event.questions[0].id): "none"})

    copy = duplicate_event(event, organizer)
    db.session.commit()

    assert copy.status == EventStatus.DRAFT
    assert copy.title == "Class of 2016 reunion (copy)"
    assert [q.label for q in copy.questions] == ["Dietary needs"]
    assert db.session.query(type(event.questions[0])).count() == 2
