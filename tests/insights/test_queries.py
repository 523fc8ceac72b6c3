"""community/insights/queries.py: attendance, newcomers, new connections and cohort turnout per
event, on small histories whose figures are worked out by hand in each test's comments."""

from __future__ import annotations

from community.insights.queries import cohort_turnout, event_figures
from community.rsvps.models import RSVPStatus


def _attendance_world(history):
    """B (4 months ago, nobody checked in): Ann and Dan going, so both attended; Ann and Dan
    connect there. A (2 months ago, capacity 10): Ann, Ben, Cat, Eve going; Ann, Ben, Eve checked
    in (Cat did not come); the owner too, who never counts. At A Ann and Ben connect for the first
    time; Eve meets Dan again there (they connected 5 months ago between events: not new)."""
    h = history
    ann, ben, cat, dan, eve = (h.member(name) for name in ("Ann", "Ben", "Cat", "Dan", "Eve"))
    b = h.event("Spring meetup", h.ago(4))
    a = h.event("Summer meetup", h.ago(2), capacity=10)
    h.rsvp(b, ann, dan)
    h.rsvp(a, ann, ben, eve, h.owner, h.organizer, checked_in=True)
    h.rsvp(a, cat)
    h.rsvp(a, dan, status=RSVPStatus.NOT_GOING)
    h.connect(ann, dan, b, b.starts_at)
    h.connect(eve, dan, None, h.ago(5))
    h.connect(ann, ben, a, a.starts_at)
    h.connect(eve, dan, a, a.starts_at)
    h.connect(h.owner, cat, a, a.starts_at)
    return a, b


def test_going_checked_in_and_no_show_rate_leave_organizers_out(history):
    a, b = _attendance_world(history)
    spring, summer = event_figures(history.community.id, None, history.now)
    assert (spring.title, spring.going, spring.checked_in, spring.no_show_rate) == (
        "Spring meetup",
        2,
        0,
        None,
    )
    # Summer: 4 members going (Ann, Ben, Cat, Eve), 3 checked in: (4 - 3) / 4 = 25 %.
    assert (summer.title, summer.going, summer.checked_in, summer.capacity) == ("Summer meetup", 4, 3, 10)
    assert summer.no_show_rate == 0.25


def test_new_and_returning_attendees(history):
    _attendance_world(history)
    spring, summer = event_figures(history.community.id, None, history.now)
    # Spring: Ann and Dan attend (going, nobody checked in), both for the first time.
    assert (spring.attended, spring.newcomers, spring.returning) == (2, 2, 0)
    # Summer: Ann came to Spring (returning); Ben and Eve are new; Cat was not checked in.
    assert (summer.attended, summer.newcomers, summer.returning) == (3, 2, 1)


def test_share_of_attendees_who_made_a_new_connection(history):
    _attendance_world(history)
    spring, summer = event_figures(history.community.id, None, history.now)
    assert (spring.connected, spring.connected_share) == (2, 1.0)  # Ann and Dan, new there
    # Summer: Ann and Ben connected for the first time; Eve only met Dan again; Cat did not attend.
    assert summer.connected == 2 and round(summer.connected_share, 4) == round(2 / 3, 4)


def test_the_period_keeps_later_events_and_remembers_earlier_visits(history):
    _attendance_world(history)
    (summer,) = event_figures(history.community.id, history.ago(3), history.now)
    assert summer.title == "Summer meetup" and (summer.newcomers, summer.returning) == (2, 1)


def test_drafts_cancelled_and_future_events_are_not_counted(history):
    from community.events.models import EventStatus

    h = history
    ann = h.member("Ann")
    for status in (EventStatus.DRAFT, EventStatus.CANCELLED):
        h.rsvp(h.event(f"{status} one", h.ago(1), status=status), ann, checked_in=True)
    h.rsvp(h.event("Next month", h.ago(-1)), ann)
    assert event_figures(h.community.id, None, h.now) == []


def test_cohort_turnout_counts_members_of_the_cohorts_an_event_is_for(history):
    h = history
    ann, ben, _fay = (h.member(name, cohort="Class of 2016") for name in ("Ann", "Ben", "Fay"))
    cat = h.member("Cat", cohort="Class of 2017")
    reunion = h.event("2016 reunion", h.ago(1), cohorts=["Class of 2016"])
    h.event("2017 reunion", h.ago(1, days=3), cohorts=["Class of 2017"])
    h.rsvp(reunion, ann, h.organizer, checked_in=True)  # Oscar, an organizer of class 2016, is left out
    h.rsvp(reunion, ben, cat)  # Cat goes to the 2016 reunion: not a 2017 reunion
    events = event_figures(h.community.id, None, h.now)
    class_2016, class_2017 = cohort_turnout(h.community.id, events, h.now)
    # 2016: 3 members; Ann and Ben going (67 %); only Ann checked in (33 %).
    assert (class_2016.cohort, class_2016.members, class_2016.going, class_2016.attended) == (
        "Class of 2016",
        3,
        2,
        1,
    )
    assert round(class_2016.going_share * 100) == 67 and round(class_2016.attended_share * 100) == 33
    assert (class_2017.cohort, class_2017.members, class_2017.going, class_2017.attended) == (
        "Class of 2017",
        1,
        0,
        0,
    )


def test_no_cohort_event_no_turnout(history):
    history.member("Ann", cohort="Class of 2016")
    history.event("Meetup", history.ago(1))
    events = event_figures(history.community.id, None, history.now)
    assert cohort_turnout(history.community.id, events, history.now) == []
