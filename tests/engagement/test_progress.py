"""Goal progress from the records, with hand-counted values: events attended, connections
made, fading connections written to, introductions made; periods in the member's zone."""

from __future__ import annotations

from datetime import date

import pytest

from community.core.models import utcnow
from community.engagement import services
from community.engagement.models import CatchUpNote
from community.engagement.progress import goal_progress
from community.extensions import db
from community.introductions.models import Introduction, IntroductionStatus
from community.rsvps.models import RSVPStatus
from tests.engagement.conftest import at
from tests.factories import create_rsvp

NOW = at(2027, 3, 20, 12)  # a Saturday in March 2027, Q1


def progress_of(person, kind, period="month", now=NOW, target=3):
    services.create_goal(person, kind=kind, target=target, period=period)
    db.session.commit()
    [item] = [
        item for item in goal_progress(person.id, now) if (item.goal.kind, item.goal.period) == (kind, period)
    ]
    return item


def history(item) -> list[tuple[str, int]]:
    return [(row.period.label, row.count) for row in item.history]


def test_events_attended_count_check_ins_and_ended_events_going(circle):
    ana = circle.ana
    circle.event(date(2027, 3, 5), ana)  # went, ended: counts
    checked = circle.event(date(2027, 3, 10))
    create_rsvp(checked, ana, status=RSVPStatus.NOT_GOING, checked_in=True)  # checked in: counts
    circle.event(date(2027, 3, 12), ana, status=RSVPStatus.NOT_GOING)  # didn't go
    circle.event(date(2027, 3, 25), ana)  # not happened yet on the 20th
    circle.event(date(2027, 2, 20), ana)  # February
    circle.event(date(2026, 12, 3), ana)  # December
    circle.event(date(2027, 3, 6), circle.bo)  # someone else's

    item = progress_of(ana, "attend_events")

    assert (item.done, item.met) == (2, False)
    assert history(item) == [
        ("Oct 2026", 0),
        ("Nov 2026", 0),
        ("Dec 2026", 1),
        ("Jan 2027", 0),
        ("Feb 2027", 1),
        ("Mar 2027", 2),
    ]


def test_attended_events_by_quarter(circle):
    for day in (date(2027, 1, 5), date(2027, 3, 5), date(2026, 12, 31), date(2026, 10, 1)):
        circle.event(day, circle.ana)

    item = progress_of(circle.ana, "attend_events", period="quarter", target=2)

    assert (item.done, item.met) == (2, True)
    assert history(item)[-3:] == [("Q3 2026", 0), ("Q4 2026", 2), ("Q1 2027", 2)]


def test_new_connections_follow_the_members_time_zone(circle):
    ana = circle.ana
    circle.connect(ana, circle.bo, at(2027, 3, 1, 9))
    circle.connect(ana, circle.cy, at(2027, 2, 28, 10, 30))  # 00:30 on 1 March in Kiritimati
    circle.connect(ana, circle.dee, at(2027, 2, 10))

    in_london = progress_of(ana, "new_connections")
    assert history(in_london)[-2:] == [("Feb 2027", 2), ("Mar 2027", 1)]

    services.save_settings(ana, fading_months=6, timezone="Pacific/Kiritimati")
    db.session.commit()
    [far] = goal_progress(ana.id, NOW)
    assert history(far)[-2:] == [("Feb 2027", 1), ("Mar 2027", 2)]


def test_the_year_turns_in_pago_pago_later_than_in_utc(circle):
    ana = circle.ana
    services.save_settings(ana, fading_months=6, timezone="Pacific/Pago_Pago")
    circle.connect(ana, circle.bo, at(2027, 1, 1, 5))  # still 31 December there
    circle.connect(ana, circle.cy, at(2027, 1, 1, 12))  # 1 January there
    db.session.commit()

    item = progress_of(ana, "new_connections", period="quarter", now=at(2027, 1, 2))

    assert history(item)[-2:] == [("Q4 2026", 1), ("Q1 2027", 1)]


def test_without_a_chosen_zone_periods_follow_the_first_community(circle):
    circle.community.timezone = "Pacific/Kiritimati"
    db.session.commit()
    circle.connect(circle.ana, circle.bo, at(2027, 2, 28, 10, 30))  # 1 March there

    item = progress_of(circle.ana, "new_connections")

    assert history(item)[-2:] == [("Feb 2027", 0), ("Mar 2027", 1)]


def note(sender, recipient, when, *, to_fading=True):
    db.session.add(
        CatchUpNote(
            sender_id=sender.id, recipient_id=recipient.id, message="Hi", to_fading=to_fading, created_at=when
        )
    )


def test_reconnecting_counts_each_fading_connection_once_a_period(circle):
    ana = circle.ana
    note(ana, circle.bo, at(2027, 3, 2))
    note(ana, circle.bo, at(2027, 3, 9))  # Bo again: still one
    note(ana, circle.cy, at(2027, 3, 3))
    note(ana, circle.dee, at(2027, 3, 4), to_fading=False)  # Dee was not fading
    note(circle.bo, ana, at(2027, 3, 5))  # a note to Ana is not Ana reconnecting
    note(ana, circle.bo, at(2027, 1, 15))  # January, same quarter
    db.session.commit()

    month = progress_of(ana, "reconnect_fading")
    quarter = progress_of(ana, "reconnect_fading", period="quarter")

    assert (month.done, quarter.done) == (2, 2)
    assert history(month)[-3:] == [("Jan 2027", 1), ("Feb 2027", 0), ("Mar 2027", 2)]


def introduction(circle, first, second, *, introducer, answered, status=IntroductionStatus.ACCEPTED):
    db.session.add(
        Introduction(
            community_id=circle.community.id,
            asker_id=first.id,
            recipient_id=second.id,
            introducer_id=introducer.id,
            note="You two should talk",
            status=status,
            answered_at=answered,
            expires_at=answered,
        )
    )


def test_introductions_count_only_accepted_ones_between_two_of_my_connections(circle):
    ana = circle.ana
    for other in (circle.bo, circle.cy, circle.dee):
        circle.connect(ana, other, at(2026, 6, 1))
    outsider = circle.organizer  # not connected with Ana
    introduction(circle, circle.bo, circle.cy, introducer=ana, answered=at(2027, 3, 3))
    introduction(circle, circle.cy, circle.dee, introducer=ana, answered=at(2027, 2, 3))
    introduction(
        circle,
        circle.bo,
        circle.dee,
        introducer=ana,
        answered=at(2027, 3, 4),
        status=IntroductionStatus.DECLINED,
    )
    introduction(circle, circle.bo, outsider, introducer=ana, answered=at(2027, 3, 5))
    introduction(circle, circle.cy, circle.bo, introducer=outsider, answered=at(2027, 3, 6))
    db.session.commit()

    month = progress_of(ana, "introduce_people")
    quarter = progress_of(ana, "introduce_people", period="quarter", target=2)

    assert history(month)[-2:] == [("Feb 2027", 1), ("Mar 2027", 1)]
    assert (quarter.done, quarter.met) == (2, True)


def test_goal_progress_takes_a_query_per_goal(circle, count_queries):
    for kind in ("attend_events", "new_connections", "reconnect_fading", "introduce_people"):
        services.create_goal(circle.ana, kind=kind, target=2, period="month")
    services.save_settings(circle.ana, fading_months=6, timezone="UTC")
    db.session.commit()
    ana_id = circle.ana.id
    with count_queries() as statements:
        assert len(goal_progress(ana_id, utcnow())) == 4
    assert len(statements) == 1 + 1 + 4  # goals, settings, one per goal


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (dict(kind="attend_events", target=0, period="month"), "Choose a target between 1 and 100."),
        (dict(kind="nap", target=1, period="month"), "Choose a kind of goal and a period from the list."),
        (
            dict(kind="attend_events", target=1, period="year"),
            "Choose a kind of goal and a period from the list.",
        ),
    ],
)
def test_a_goal_outside_the_choices_is_refused(circle, values, message):
    with pytest.raises(services.EngagementError, match=message):
        services.create_goal(circle.ana, **values)


def test_the_same_goal_twice_is_refused(circle):
    services.create_goal(circle.ana, kind="attend_events", target=1, period="month")
    with pytest.raises(services.EngagementError, match="already have that goal"):
        services.create_goal(circle.ana, kind="attend_events", target=2, period="month")
