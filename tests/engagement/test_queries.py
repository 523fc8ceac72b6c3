"""Fading connections: the person's setting, a connection's own rhythm, a snooze, and what
refreshes a connection (an event together, an introduction, a note); in three queries."""

from __future__ import annotations

from datetime import timedelta

import pytest

from community.core.models import utcnow
from community.engagement import services
from community.engagement.queries import connection_states, fading_connections
from community.extensions import db
from community.introductions.models import Introduction, IntroductionStatus
from community.rsvps.models import RSVPStatus
from tests.engagement.conftest import months_ago
from tests.factories import create_membership, create_rsvp


def fading_names(circle, person=None) -> list[str]:
    person = person or circle.ana
    names = {user.id: user.name for user in (circle.ana, circle.bo, circle.cy, circle.dee)}
    return [names[state.other_id] for state in fading_connections(person.id, utcnow())]


def test_seven_months_without_contact_is_fading_with_the_default_six(circle):
    circle.connect(circle.ana, circle.bo, months_ago(7))
    circle.connect(circle.ana, circle.cy, months_ago(5))

    assert fading_names(circle) == ["Bo"]
    assert fading_names(circle, circle.bo) == ["Ana"]


def test_the_persons_own_setting_decides(circle):
    circle.connect(circle.ana, circle.bo, months_ago(7))
    circle.connect(circle.ana, circle.cy, months_ago(4))

    services.save_settings(circle.ana, fading_months=12, timezone="")
    db.session.commit()
    assert fading_names(circle) == []

    services.save_settings(circle.ana, fading_months=3, timezone="")
    db.session.commit()
    assert fading_names(circle) == ["Bo", "Cy"]  # longest without contact first
    assert fading_names(circle, circle.bo) == ["Ana"]  # Bo keeps the default six months


def test_a_connections_rhythm_overrides_the_setting(circle):
    circle.connect(circle.ana, circle.bo, months_ago(4))
    circle.connect(circle.ana, circle.cy, months_ago(8))
    services.set_rhythm(circle.ana, circle.bo, 3)
    services.set_rhythm(circle.ana, circle.cy, 12)
    db.session.commit()

    states = connection_states(circle.ana.id, utcnow())
    assert fading_names(circle) == ["Bo"]
    assert (states[circle.bo.id].months, states[circle.cy.id].months) == (3, 12)


def test_a_snoozed_connection_is_not_nudged_until_the_snooze_ends(circle):
    circle.connect(circle.ana, circle.bo, months_ago(7))
    services.snooze(circle.ana, circle.bo)
    db.session.commit()

    assert fading_names(circle) == []
    state = connection_states(circle.ana.id, utcnow())[circle.bo.id]
    assert state.fading and state.snoozed_until is not None
    # Five weeks later the reminder is back.
    later = utcnow() + timedelta(days=35)
    assert [s.other_id for s in fading_connections(circle.ana.id, later)] == [circle.bo.id]


def test_an_event_both_went_to_refreshes_the_connection(circle):
    circle.connect(circle.ana, circle.bo, months_ago(9))
    circle.connect(circle.ana, circle.cy, months_ago(9))
    circle.connect(circle.ana, circle.dee, months_ago(9))
    two_months_ago = (utcnow() - timedelta(days=60)).date()
    circle.event(two_months_ago, circle.ana, circle.bo)  # both going, and it has ended
    circle.event(two_months_ago, circle.cy)  # Ana was not there
    lapsed = circle.event(two_months_ago, circle.dee)
    create_rsvp(lapsed, circle.ana, status=RSVPStatus.NOT_GOING)
    upcoming = circle.event((utcnow() + timedelta(days=10)).date(), circle.ana, circle.cy)  # not yet
    assert upcoming.ends_at > utcnow()

    assert fading_names(circle) == ["Cy", "Dee"]


def test_both_checked_in_counts_as_together(circle):
    circle.connect(circle.ana, circle.bo, months_ago(9))
    event = circle.event((utcnow() - timedelta(days=30)).date())
    # Their RSVPs say "not going" (they changed their minds at the door) but both checked in.
    create_rsvp(event, circle.ana, status=RSVPStatus.NOT_GOING, checked_in=True)
    create_rsvp(event, circle.bo, status=RSVPStatus.NOT_GOING, checked_in=True)

    assert fading_names(circle) == []


def test_an_introduction_or_a_note_refreshes_the_connection(circle):
    circle.connect(circle.ana, circle.bo, months_ago(9))
    circle.connect(circle.ana, circle.cy, months_ago(9))
    circle.connect(circle.ana, circle.dee, months_ago(9))
    db.session.add(
        Introduction(
            community_id=circle.community.id,
            asker_id=circle.bo.id,
            recipient_id=circle.ana.id,
            note="Hello again",
            status=IntroductionStatus.DECLINED,
            created_at=months_ago(1),
            expires_at=utcnow(),
        )
    )
    db.session.commit()
    assert fading_names(circle) == ["Cy", "Dee"]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("community.engagement.services.url_for", lambda *a, **k: "http://x/me/network")
        services.send_note(circle.dee, circle.ana, "Coffee?")  # a note either way counts
    db.session.commit()
    assert fading_names(circle) == ["Cy"]


def test_fading_connections_take_three_queries_however_many_connections(circle, count_queries):
    circle.connect(circle.ana, circle.bo, months_ago(7))
    ana_id = circle.ana.id
    with count_queries() as few:
        assert len(fading_connections(ana_id, utcnow())) == 1
    for number in range(12):
        other = create_membership(circle.community, name=f"Extra {number}").user
        circle.connect(circle.ana, other, months_ago(8))
        services.set_rhythm(circle.ana, other, 3)
        circle.event((utcnow() - timedelta(days=400 + number)).date(), circle.ana, other)
    db.session.commit()
    db.session.expire_all()
    with count_queries() as many:
        assert len(fading_connections(ana_id, utcnow())) == 13
    assert len(few) == len(many) == 3
