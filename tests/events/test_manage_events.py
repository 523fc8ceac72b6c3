"""Organizers create, edit, publish, cancel and duplicate events from the screens."""

from __future__ import annotations

import re
from datetime import UTC, date, timedelta

import pytest
from sqlalchemy import select

from community.core.models import utcnow
from community.events.models import Event, EventKind, EventStatus
from community.events.services import Recurrence, create_series
from community.extensions import db
from community.rsvps.models import RSVPStatus
from tests.conftest import outbox_messages
from tests.factories import event_details
from tests.rsvps.organizer_helpers import add_rsvp, member_of

BASE = "/c/northfield/manage/events"
DAY = (utcnow() + timedelta(days=30)).date()


def form(**overrides) -> dict:
    data = {
        "kind": "reunion",
        "title": "Class of 2016: ten years on",
        "cohorts": "Class of 2016, Class of 2017",
        "description": "Drinks and **stories**.",
        "start_date": DAY.isoformat(),
        "start_time": "18:30",
        "end_date": "",
        "end_time": "22:00",
        "timezone": "Europe/London",
        "venue_name": "The Old Library",
        "address": "1 High Street, Northfield",
        "latitude": "",
        "longitude": "",
        "online_url": "",
        "capacity": "40",
        "deadline_date": "",
        "deadline_time": "",
        "guests_allowed": "1",
        "claim_window_minutes": "120",
        "visibility": "public",
        "repeat": "none",
        "repeat_interval": "1",
        "repeat_ordinal": "1",
        "repeat_end": "count",
        "repeat_until": "",
        "repeat_count": "4",
        "questions-0-label": "Dietary needs?",
        "questions-0-kind": "text",
        "questions-1-label": "Which dinner?",
        "questions-1-kind": "choice",
        "questions-1-choices": "Fish\nVegetarian",
        "questions-1-required": "y",
        "action": "draft",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def events():
    db.session.expire_all()
    return list(db.session.scalars(select(Event).order_by(Event.starts_at)))


def test_the_new_event_form_defaults_to_the_communitys_time_zone(as_organizer):
    page = as_organizer.get(f"{BASE}/new").get_data(as_text=True)
    assert '<option selected value="Europe/London">' in page
    assert "Save as draft" in page and "Publish" in page
    assert "js/event_form.js" in page and "<script>" not in page


def test_saving_a_draft_creates_one_event_with_its_questions(as_organizer):
    response = as_organizer.submit(f"{BASE}/new", form())

    [event] = events()
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/manage/events/{event.id}/rsvps")
    assert event.status == EventStatus.DRAFT
    assert event.kind == EventKind.REUNION and event.cohorts == ["Class of 2016", "Class of 2017"]
    assert event.starts_at.astimezone(UTC).hour in (17, 18)  # 18:30 London time
    assert event.capacity == 40 and event.guests_allowed == 1
    assert [(q.label, q.kind, q.choices, q.required) for q in event.questions] == [
        ("Dietary needs?", "text", [], False),
        ("Which dinner?", "choice", ["Fish", "Vegetarian"], True),
    ]
    page = as_organizer.get(response.headers["Location"]).get_data(as_text=True)
    assert "saved as a draft" in page


def test_publishing_from_the_form(as_organizer):
    as_organizer.submit(f"{BASE}/new", form(action="publish", kind="meetup", cohorts="Ignored"))

    [event] = events()
    assert event.status == EventStatus.PUBLISHED and event.cohorts == []


def test_an_all_day_weekend(as_organizer):
    as_organizer.submit(
        f"{BASE}/new",
        form(all_day="y", start_time="", end_time="", end_date=(DAY + timedelta(days=2)).isoformat()),
    )

    [event] = events()
    assert event.all_day and (event.ends_at - event.starts_at) == timedelta(days=3)


def test_a_weekly_series_every_two_weeks(as_organizer):
    as_organizer.submit(f"{BASE}/new", form(repeat="weekly", repeat_interval="2", repeat_count="3"))

    made = events()
    assert len(made) == 3 and len({e.series_id for e in made}) == 1
    days = [e.starts_at.date() for e in made]
    assert days[1] - days[0] == timedelta(weeks=2) == days[2] - days[1]


def test_a_monthly_series_on_the_nth_weekday_until_a_date(as_organizer):
    first = date(2031, 1, 14)  # the 2nd Tuesday of January 2031
    as_organizer.submit(
        f"{BASE}/new",
        form(
            start_date=first.isoformat(),
            repeat="monthly",
            repeat_ordinal="2",
            repeat_end="until",
            repeat_until="2031-04-30",
        ),
    )

    days = [e.starts_at.date() for e in events()]
    assert days == [date(2031, 1, 14), date(2031, 2, 11), date(2031, 3, 11), date(2031, 4, 8)]


def test_a_monthly_series_must_start_on_the_chosen_weekday(as_organizer):
    response = as_organizer.submit(
        f"{BASE}/new", form(start_date="2031-01-14", repeat="monthly", repeat_ordinal="1")
    )

    assert response.status_code == 422
    assert "14 January is not the 1st Tuesday of its month. Choose “2nd”" in response.get_data(as_text=True)
    assert events() == []


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"end_time": "17:00"}, "The event must end after it starts."),
        (
            {"deadline_date": (DAY + timedelta(days=1)).isoformat(), "deadline_time": "12:00"},
            "The RSVP deadline must be before the event starts.",
        ),
        ({"timezone": "Mars/Olympus_Mons"}, "Choose a time zone from the list."),
        ({"questions-1-choices": ""}, "Give at least two choices, one per line."),
        (
            {f"questions-{i}-label": f"Question number {i}" for i in range(6)},
            "An event can ask at most 5 questions.",
        ),
        ({"online_url": "javascript:alert(1)"}, "Give the full link, starting with https://"),
        ({"title": ""}, "Give the event a title."),
        ({"start_time": ""}, "Give a time, or tick “All day”."),
        ({"repeat": "weekly", "repeat_count": ""}, "Say how many events, or pick a last date."),
    ],
)
def test_mistakes_are_explained_and_nothing_is_written(as_organizer, overrides, message):
    response = as_organizer.submit(f"{BASE}/new", form(**overrides))

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page.replace("&#34;", '"')
    assert "Nothing was saved" in page
    assert events() == []


def test_every_mistake_is_shown_at_once_at_its_field(as_organizer):
    response = as_organizer.submit(
        f"{BASE}/new",
        form(
            end_time="17:00",
            deadline_date=(DAY + timedelta(days=1)).isoformat(),
            deadline_time="09:00",
            **{"questions-1-choices": "Only one"},
        ),
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    for field, message in [
        ("end_time", "The event must end after it starts."),
        ("deadline_date", "The RSVP deadline must be before the event starts."),
        ("questions-1-choices", "Give at least two choices, one per line."),
    ]:
        errors = re.search(rf'<ul class="field__errors" id="{field}-errors">(.*?)</ul>', page, re.S)
        assert errors and message in errors.group(1), field


def test_an_all_day_event_cannot_end_before_it_begins(as_organizer):
    response = as_organizer.submit(
        f"{BASE}/new", form(all_day="y", end_date=(DAY - timedelta(days=1)).isoformat())
    )

    assert response.status_code == 422
    assert "The last day must not be before the first day." in response.get_data(as_text=True)
    assert events() == []


def test_the_edit_form_shows_the_event_in_its_own_zone(as_organizer, published_event):
    event = published_event(day=date(2031, 7, 3), timezone="America/New_York", capacity=12)

    page = as_organizer.get(f"{BASE}/{event.id}/edit").get_data(as_text=True)
    assert 'value="2031-07-03"' in page and 'value="18:30"' in page and 'value="12"' in page
    assert "Apply to" not in page  # not part of a series


def test_editing_one_event(as_organizer, published_event):
    event = published_event(capacity=10)
    response = as_organizer.submit(
        f"{BASE}/{event.id}/edit",
        form(title="Renamed", capacity="12", start_date=event_details().start_day.isoformat(), action="save"),
    )

    assert response.status_code == 302
    [saved] = events()
    assert saved.title == "Renamed" and saved.capacity == 12 and saved.status == EventStatus.PUBLISHED


@pytest.fixture
def series(community, organizer):
    made = create_series(
        community, organizer, event_details(day=DAY, capacity=10), Recurrence("weekly", count=3), publish=True
    )
    db.session.commit()
    return made


def test_a_series_event_asks_which_events_to_change(as_organizer, series):
    response = as_organizer.submit(f"{BASE}/{series[1].id}/edit", form(title="Renamed", action="save"))

    assert response.status_code == 422
    assert "Choose which events of the series to change." in response.get_data(as_text=True)
    assert [e.title for e in events()] == ["Class of 2016 reunion"] * 3


@pytest.mark.parametrize(
    ("scope", "titles"), [("this", ["Old", "New", "Old"]), ("following", ["Old", "New", "New"])]
)
def test_this_only_or_this_and_following(as_organizer, series, scope, titles):
    for event in series:
        event.title = "Old"
    db.session.commit()
    second_day = series[1].starts_at.date()
    response = as_organizer.submit(
        f"{BASE}/{series[1].id}/edit",
        form(title="New", scope=scope, start_date=second_day.isoformat(), start_time="18:30", action="save"),
    )

    assert response.status_code == 302
    assert [e.title for e in events()] == titles


def test_lowering_capacity_below_the_people_going_needs_a_confirmation(
    as_organizer, community, published_event
):
    event = published_event(capacity=5)
    people = [member_of(community, name=f"Guest {i}") for i in range(4)]
    for minutes, person in zip((40, 30, 20, 10), people, strict=True):
        add_rsvp(event, person, RSVPStatus.GOING, minutes_ago=minutes)
    url = f"{BASE}/{event.id}/edit"
    data = form(capacity="2", start_date=event_details().start_day.isoformat(), action="save")

    response = as_organizer.submit(url, data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "4 seats are already taken, more than the new capacity of 2." in page
    assert "Move the extra people to the waitlist" in page
    assert events()[0].capacity == 5

    response = as_organizer.submit(url, {**data, "move_extra": "y"})
    assert response.status_code == 302
    page = as_organizer.get(response.headers["Location"]).get_data(as_text=True)
    assert "Saved. 2 people moved to the waitlist." in page
    assert len(outbox_messages(kind="events.moved-to-waitlist")) == 2


def test_raising_capacity_promotes_from_the_waitlist(as_organizer, community, published_event):
    event = published_event(capacity=1)
    add_rsvp(event, member_of(community), RSVPStatus.GOING)
    add_rsvp(event, member_of(community), RSVPStatus.WAITLISTED)
    response = as_organizer.submit(
        f"{BASE}/{event.id}/edit",
        form(capacity="3", start_date=event_details().start_day.isoformat(), action="save"),
    )

    page = as_organizer.get(response.headers["Location"]).get_data(as_text=True)
    assert "Saved. 1 person promoted from the waitlist." in page


def test_publishing_a_draft(as_organizer, community, organizer):
    as_organizer.submit(f"{BASE}/new", form())
    [event] = events()

    response = as_organizer.submit(f"{BASE}/{event.id}/publish")
    assert response.status_code == 302
    assert events()[0].status == EventStatus.PUBLISHED


def test_cancelling_needs_a_reason_and_tells_everyone_coming(as_organizer, community, published_event):
    event = published_event(capacity=1)
    going, waiting, not_going = (member_of(community) for _ in range(3))
    add_rsvp(event, going, RSVPStatus.GOING)
    add_rsvp(event, waiting, RSVPStatus.WAITLISTED)
    add_rsvp(event, not_going, RSVPStatus.NOT_GOING)
    url = f"{BASE}/{event.id}/cancel"

    page = as_organizer.get(url).get_data(as_text=True)
    assert "We will email 2 people" in page

    response = as_organizer.submit(url, {"reason": "  "})
    assert response.status_code == 422
    assert "Say why: everyone going will read it." in response.get_data(as_text=True)
    assert events()[0].status == EventStatus.PUBLISHED

    response = as_organizer.submit(url, {"reason": "The venue flooded."})
    assert response.status_code == 302
    [cancelled] = events()
    assert cancelled.status == EventStatus.CANCELLED and cancelled.cancel_reason == "The venue flooded."
    emails = outbox_messages(kind="events.cancelled")
    assert sorted(m.to_address for m in emails) == sorted([going.email, waiting.email])
    assert "The venue flooded." in emails[0].body_text


def test_cancelling_this_and_following_of_a_series(as_organizer, series):
    as_organizer.submit(f"{BASE}/{series[1].id}/cancel", {"reason": "Summer break", "scope": "following"})

    assert [e.status for e in events()] == [
        EventStatus.PUBLISHED,
        EventStatus.CANCELLED,
        EventStatus.CANCELLED,
    ]


def test_duplicating_opens_the_copy_to_edit(as_organizer, published_event, community):
    event = published_event(capacity=10)
    add_rsvp(event, member_of(community), RSVPStatus.GOING)

    response = as_organizer.submit(f"{BASE}/{event.id}/duplicate")

    original, copy = sorted(events(), key=lambda e: e.id)
    assert response.headers["Location"].endswith(f"/manage/events/{copy.id}/edit")
    assert copy.status == EventStatus.DRAFT and copy.title == "Class of 2016 reunion (copy)"
    page = as_organizer.get(response.headers["Location"]).get_data(as_text=True)
    assert "This is a copy, saved as a draft" in page


def test_the_event_list_has_tabs_and_counts(as_organizer, community, organizer, published_event):
    upcoming = published_event(capacity=10, title="Summer drinks")
    add_rsvp(upcoming, member_of(community), RSVPStatus.GOING, guests=1)
    add_rsvp(upcoming, member_of(community), RSVPStatus.WAITLISTED)
    past = published_event(title="Last year's dinner", day=(utcnow() - timedelta(days=30)).date())
    as_organizer.submit(f"{BASE}/new", form(title="Secret draft"))

    page = as_organizer.get(BASE).get_data(as_text=True)
    assert (
        "Summer drinks" in page
        and "Secret draft" not in page
        and past.title not in page.replace("&#39;", "'")
    )
    assert "Upcoming (1)" in page and "Drafts (1)" in page and "Past (1)" in page and "Cancelled (0)" in page
    assert "<dd>2 / 10</dd>" in page
    assert "Secret draft" in as_organizer.get(f"{BASE}?tab=drafts").get_data(as_text=True)
    assert "Last year" in as_organizer.get(f"{BASE}?tab=past").get_data(as_text=True)
    assert "Nothing cancelled." in as_organizer.get(f"{BASE}?tab=cancelled").get_data(as_text=True)


def test_the_event_list_says_what_to_do_when_empty(as_organizer):
    page = as_organizer.get(BASE).get_data(as_text=True)
    assert "No upcoming events." in page and "Create an event" in page
