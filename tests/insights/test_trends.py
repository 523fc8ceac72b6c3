"""community/insights/trends.py: members active and dormant at each month's end, joined and left,
introductions per month, and who is drifting away (at the rule's boundaries)."""

from __future__ import annotations

from community.communities import services as communities
from community.communities.models import Membership
from community.extensions import db
from community.insights.trends import drifting_away, month_of, monthly
from community.rsvps.models import RSVPStatus


def _joined(history, user, months_ago: int) -> None:
    membership = (
        db.session.query(Membership).filter_by(community_id=history.community.id, user_id=user.id).one()
    )
    membership.joined_at = history.ago(months_ago)
    db.session.commit()


def test_active_dormant_joined_left_and_introductions_per_month(history):
    """Ann joined 8 months ago and came to an event 7 months ago: active for 6 months (7 to 2 months
    ago). Ben joined 2 months ago and said he could not come to an event then (an RSVP all the
    same); Cat joined a month ago; Ben and Cat met at an event a month ago (a new connection, which
    keeps both active). Dan joined this month and did nothing; Eve joined and left this month."""
    h = history
    ann, ben, cat, dan, eve = (h.member(name) for name in ("Ann", "Ben", "Cat", "Dan", "Eve"))
    for person, months in ((ann, 8), (ben, 2), (cat, 1)):
        _joined(h, person, months)
    h.rsvp(h.event("May meetup", h.ago(7)), ann)
    h.rsvp(h.event("Talk", h.ago(2)), ben, status=RSVPStatus.NOT_GOING)
    last_month = h.event("Roundtable", h.ago(1))
    h.rsvp(last_month, ben, cat, h.owner, checked_in=True)
    h.connect(ben, cat, last_month, last_month.starts_at)
    h.introduction(ben, cat, h.ago(1), accepted_at=h.ago(1))
    h.introduction(dan, ann, h.now)
    communities.leave(h.community, eve)
    db.session.commit()
    del dan

    now = month_of(h.now)
    figures = {m.month - now: m for m in monthly(h.community.id, now - 8, h.now)}
    assert sorted(figures) == list(range(-8, 1))
    assert [(figures[k].members, figures[k].active, figures[k].dormant) for k in range(-8, 1)] == [
        (1, 0, 1), (1, 1, 0), (1, 1, 0), (1, 1, 0), (1, 1, 0), (1, 1, 0),
        (2, 2, 0),  # 2 months ago: Ann still active, Ben's RSVP
        (3, 2, 1),  # last month: Ann is dormant now; Ben and Cat met
        (4, 2, 2),  # this month: Dan joined (Eve left and is not counted)
    ]  # fmt: skip
    assert [figures[k].joined for k in range(-8, 1)] == [1, 0, 0, 0, 0, 0, 1, 1, 1]
    assert [figures[k].left for k in range(-8, 1)] == [0] * 8 + [1]
    assert (figures[-1].requested, figures[-1].accepted, figures[-1].connections) == (1, 1, 1)
    assert (figures[0].requested, figures[0].accepted, figures[0].connections) == (1, 0, 0)
    assert figures[0].label == f"{h.now:%b %Y}"


def test_drifting_away_at_the_rule_boundaries(history):
    h = history
    gil, hal, ida, jo, kim = (
        h.member(name, cohort="Class of 2016") for name in ("Gil", "Hal", "Ida", "Jo", "Kim")
    )
    ten, seven = h.event("October social", h.ago(10)), h.event("January social", h.ago(7))
    h.rsvp(ten, gil, ida, h.organizer)
    h.rsvp(seven, gil, ida, hal, h.organizer)  # the organizer came twice too: never listed
    h.rsvp(h.event("Long ago", h.ago(20)), hal)  # Hal: only one event in the year that counts
    h.rsvp(h.event("Exactly six months ago", h.ago(6)), ida)  # Ida came within the last 6 months
    h.rsvp(h.event("Exactly eighteen months ago", h.ago(18)), jo)  # the year's first moment counts
    h.rsvp(h.event("A year ago", h.ago(12)), jo)
    checked = h.event("Checked-in roundtable", h.ago(9))
    h.rsvp(checked, hal, checked_in=True)
    h.rsvp(checked, kim)  # going, not checked in where others were: not attended
    h.rsvp(h.event("Another", h.ago(8)), kim, status=RSVPStatus.WAITLISTED)

    drifting = drifting_away(h.community.id, h.now)

    assert [(d.name, d.earlier_events, d.last_event_title) for d in drifting] == [
        ("Gil", 2, "January social"),
        ("Hal", 2, "January social"),  # the checked-in roundtable and January: two
        ("Jo", 2, "A year ago"),
    ]
    assert drifting[0].last_attended_at == h.ago(7) and drifting[0].cohort == "Class of 2016"


def test_one_day_inside_the_last_six_months_is_not_drifting(history):
    h = history
    lee = h.member("Lee")
    h.rsvp(h.event("One", h.ago(9)), lee)
    h.rsvp(h.event("Two", h.ago(8)), lee)
    assert [d.name for d in drifting_away(h.community.id, h.now)] == ["Lee"]
    h.rsvp(h.event("Just inside", h.ago(6, days=-1)), lee)
    assert drifting_away(h.community.id, h.now) == []
