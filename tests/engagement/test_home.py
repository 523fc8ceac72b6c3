"""The signed-in home at `/`: my upcoming events (answered first, with my answer; members-only ones
of my communities), introductions waiting for me, fading connections with their nudge, my goals'
progress, helpful empty states, a fixed number of queries; visitors keep the cached front page."""

from __future__ import annotations

from datetime import timedelta

from community.core.models import utcnow
from community.engagement.models import CatchUpNote, ConnectionPreference, Goal, GoalKind, GoalPeriod
from community.events.models import EventVisibility
from community.events.timing import to_local
from community.extensions import db
from community.introductions import requests
from community.rsvps.models import RSVPStatus
from tests.engagement.conftest import months_ago
from tests.factories import create_community, create_event, create_membership, create_rsvp, create_user
from tests.introductions.bulk import text


def home(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    assert "public" not in response.headers.get("Cache-Control", "")  # never the visitors' cached page
    return text(response.get_data(as_text=True))


def in_days(days: int):
    return (utcnow() + timedelta(days=days)).date()


def today_in_london():
    return to_local(utcnow(), "Europe/London").date()


def test_visitors_keep_the_front_page_and_a_member_gets_their_home(client, circle):
    visitor = text(client.get("/").get_data(as_text=True))
    client.login("ana@example.org")

    shown = home(client)
    client.logout()
    again = text(client.get("/").get_data(as_text=True))

    assert "Keep your people meeting." in visitor and "Keep your people meeting." in again
    assert "Your upcoming events" not in again
    assert "Welcome, Ana." in shown and "Keep your people meeting." not in shown
    assert "Nothing coming up in your communities." in shown
    assert "No introductions waiting." in shown
    assert "Nobody is fading." in shown
    assert "No goals yet. Set yourself a goal" in shown


def test_the_home_lists_my_events_those_i_answered_first_with_my_answer(client, circle):
    circle.event(in_days(3), title="Soon picnic")
    circle.event(in_days(20), circle.ana, title="Going dinner")
    waiting = circle.event(in_days(30), title="Full roundtable")
    create_rsvp(waiting, circle.ana, status=RSVPStatus.WAITLISTED)
    circle.event(in_days(10), title="Members lunch", visibility=EventVisibility.MEMBERS)
    circle.event(in_days(-10), circle.ana, title="Last month's talk")
    create_event(circle.community, circle.organizer, title="Draft gala", publish=False)
    other = create_community(circle.organizer, slug="elsewhere", name="Elsewhere")
    create_event(other, circle.organizer, title="Somebody else's party")
    create_rsvp(create_event(other, circle.organizer, title="Elsewhere but going"), circle.ana)
    db.session.commit()
    client.login("ana@example.org")

    shown = home(client)

    order = ["Elsewhere but going", "Going dinner", "Full roundtable", "Soon picnic", "Members lunch"]
    assert [shown.index(title) for title in order] == sorted(shown.index(title) for title in order)

    def card(title: str, next_title: str | None) -> str:
        start = shown.index(title)
        return shown[start : shown.index(next_title) if next_title else None]

    assert "You're going" in card("Elsewhere but going", "Going dinner")
    assert "You're going" in card("Going dinner", "Full roundtable")
    assert "You're on the waitlist" in card("Full roundtable", "Soon picnic")
    assert "You're" not in card("Soon picnic", "Members lunch")
    assert "Members only" in card("Members lunch", "Keep in touch")
    for hidden in ("Last month's talk", "Draft gala", "Somebody else's party"):
        assert hidden not in shown


def test_the_home_shows_introductions_waiting_for_me(client, circle):
    requests.ask(circle.bo, circle.ana, community=circle.community, note="Coffee next week?")
    db.session.commit()
    client.login("ana@example.org")

    shown = home(client)

    assert "Introductions 1" in shown
    assert "Bo would like to meet you. Answer Bo" in shown
    assert "No introductions waiting." not in shown


def test_the_home_nudges_about_fading_connections_with_their_events(client, circle):
    circle.connect(circle.ana, circle.bo, months_ago(8))
    circle.connect(circle.ana, circle.cy, months_ago(2))
    circle.connect(circle.ana, circle.dee, months_ago(4))
    db.session.add(ConnectionPreference(user_id=circle.ana.id, other_id=circle.dee.id, rhythm_months=3))
    circle.event(in_days(20), circle.bo, title="March roundtable")
    db.session.commit()
    client.login("ana@example.org")

    shown = home(client)

    assert "Fading Bo" in shown and "Fading Dee" in shown and "Fading Cy" not in shown
    assert "every 3 months" in shown  # Dee fades after her own rhythm, not the six months
    assert "Bo is going to March roundtable" in shown and "you could go too" in shown
    assert "Let's catch up with Bo" in shown
    assert shown.index("Fading Bo") < shown.index("Fading Dee")  # longest without contact first


def test_the_home_shows_each_goals_progress_this_period(client, circle):
    circle.event(today_in_london(), circle.ana, title="Tonight")
    create_rsvp(circle.event(today_in_london(), title="Checked in"), circle.ana, checked_in=True)
    circle.connect(circle.ana, circle.bo, months_ago(9))
    circle.connect(circle.ana, circle.cy, utcnow() - timedelta(minutes=5))
    for minutes in (30, 20):  # two notes to Bo, who was fading: one reconnection
        db.session.add(
            CatchUpNote(
                sender_id=circle.ana.id,
                recipient_id=circle.bo.id,
                message="Catch up?",
                to_fading=True,
                created_at=utcnow() - timedelta(minutes=minutes),
            )
        )
    for kind, target, period in (
        (GoalKind.ATTEND_EVENTS, 1, GoalPeriod.MONTH),
        (GoalKind.NEW_CONNECTIONS, 2, GoalPeriod.QUARTER),
        (GoalKind.RECONNECT_FADING, 3, GoalPeriod.QUARTER),
    ):
        db.session.add(Goal(user_id=circle.ana.id, kind=kind, target=target, period=period))
    db.session.commit()
    client.login("ana@example.org")

    page = client.get("/").get_data(as_text=True)
    shown = text(page)

    # "Tonight" has not ended and she is not checked in there: only "Checked in" counts.
    assert "Attend events: 1 of 1 event" in shown and ", reached" in shown
    assert "Make new connections: 1 of 2 connections" in shown  # Bo's is nine months old
    assert "Reconnect with fading connections: 1 of 3 fading connections" in shown
    assert page.count("<progress") == 3
    assert 'max="2" value="1"' in page and 'max="1" value="1"' in page
    assert "My goals and their history" in shown


def _more_of_everything(circle, number: int) -> None:
    """More events, fading connections, introductions and goals for Ana."""
    for extra in range(number):
        person = create_membership(circle.community, name=f"Extra {number}-{extra}").user
        circle.connect(circle.ana, person, months_ago(9))
        event = circle.event(in_days(5 + extra), person, title=f"Event {number}-{extra}")
        create_rsvp(event, circle.ana, status=RSVPStatus.GOING if extra % 2 else RSVPStatus.WAITLISTED)
        asker = create_membership(circle.community, name=f"Asker {number}-{extra}").user
        requests.ask(asker, circle.ana, community=circle.community, note="Hello!")
    db.session.commit()


def test_the_home_reads_the_same_number_of_queries_with_more_data(client, circle, count_queries):
    db.session.add(
        Goal(user_id=circle.ana.id, kind=GoalKind.ATTEND_EVENTS, target=1, period=GoalPeriod.MONTH)
    )
    _more_of_everything(circle, 1)
    client.login("ana@example.org")
    home(client)
    with count_queries() as small:
        shown = home(client)
    assert "Asker 1-0 would like to meet you." in shown and "Fading Extra 1-0" in shown

    for kind in (GoalKind.NEW_CONNECTIONS, GoalKind.RECONNECT_FADING, GoalKind.INTRODUCE_PEOPLE):
        db.session.add(Goal(user_id=circle.ana.id, kind=kind, target=2, period=GoalPeriod.QUARTER))
    db.session.add(
        Goal(user_id=circle.ana.id, kind=GoalKind.ATTEND_EVENTS, target=3, period=GoalPeriod.QUARTER)
    )
    _more_of_everything(circle, 8)
    with count_queries() as large:
        shown = home(client)

    assert shown.count("Fading") == 3 and "Event 8-3" in shown and "Event 8-4" not in shown
    assert len(large) == len(small), "\n".join(large)


def test_someone_in_no_community_gets_a_home_that_says_where_to_start(client, db):
    create_user(email="kwame@example.org", name="Kwame Mensah")
    client.login("kwame@example.org")

    shown = home(client)

    assert "Welcome, Kwame Mensah." in shown
    assert "Find a community to join" in shown
