"""The pages: nudges on My network (fading mark, events to join with a one-click RSVP, a
note, a snooze, a rhythm), /me/goals, login and CSRF, and clear refusals."""

from __future__ import annotations

from datetime import timedelta

import pytest

from community.core.models import utcnow
from community.engagement.models import CatchUpNote, ConnectionPreference, EngagementSettings, Goal
from community.events.models import EventVisibility
from community.extensions import db
from community.members.models import Profile
from community.rsvps.models import RSVP, RSVPStatus
from tests.conftest import outbox_messages
from tests.engagement.conftest import months_ago
from tests.factories import create_community, create_event, create_membership, create_rsvp
from tests.introductions.bulk import text

NETWORK = "/me/network"


@pytest.fixture
def fading(circle):
    """Ana and Bo met eight months ago; Ana and Cy two months ago. Bo goes to two upcoming events
    (one he keeps out of the list of who's going) and a members-only one elsewhere."""
    circle.connect(circle.ana, circle.bo, months_ago(8))
    circle.connect(circle.ana, circle.cy, months_ago(2))
    soon = (utcnow() + timedelta(days=20)).date()
    circle.event(soon, circle.bo, title="March roundtable")
    hidden = circle.event(soon, title="Quiet dinner")
    create_rsvp(hidden, circle.bo, listed=False)
    other = create_community(circle.organizer, slug="elsewhere", name="Elsewhere")
    create_membership(other, circle.bo)
    create_rsvp(
        create_event(other, circle.organizer, title="Not Ana's", visibility=EventVisibility.MEMBERS),
        circle.bo,
    )
    db.session.commit()
    return circle


def page(client, url=NETWORK) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return text(response.get_data(as_text=True))


def test_my_network_marks_a_fading_connection_and_suggests_their_events(client, fading):
    client.login("ana@example.org")

    shown = page(client)

    assert shown.count("Fading") == 1
    assert "No shared event, introduction or note for 6 months or more." in shown
    assert "Bo is going to March roundtable" in shown and "you could go too" in shown
    assert "Quiet dinner" not in shown and "Not Ana's" not in shown
    assert "Let's catch up: a short note to Bo" in shown
    assert "Let's catch up: a short note to Cy" not in shown


def test_the_one_click_rsvp_makes_ana_going(client, fading):
    client.login("ana@example.org")
    event_id = db.session.scalar(
        db.select(RSVP.event_id).where(RSVP.user_id == fading.bo.id).order_by(RSVP.id)
    )

    response = client.submit(f"/c/northfield/events/{event_id}/rsvp", {"response": "going", "listed": "y"})

    assert response.status_code == 302
    rsvp = db.session.scalar(db.select(RSVP).where(RSVP.user_id == fading.ana.id, RSVP.event_id == event_id))
    assert rsvp.status == RSVPStatus.GOING
    assert "Bo is going to" not in page(client)  # answered: no longer suggested


def test_a_note_is_emailed_without_revealing_an_unshared_address(client, fading):
    client.login("ana@example.org")

    response = client.submit(f"{NETWORK}/{fading.bo.id}/note", {"message": "Coffee in town next week?"})

    assert response.status_code == 302
    [email] = outbox_messages(kind="engagement.catch-up")
    assert email.to_address == "bo@example.org"
    assert "Coffee in town next week?" in email.body_text
    assert "ana@example.org" not in email.body_text
    assert "keeps their email address private" in email.body_text and "/me/network#person-" in email.body_text
    assert "Fading" not in page(client)  # the note refreshed the connection


def test_a_note_carries_the_address_the_sender_shares(client, fading):
    profile = db.session.get(Profile, fading.ana.id)
    profile.visibility = {**(profile.visibility or {}), "email": "members"}
    db.session.commit()
    client.login("ana@example.org")

    client.submit(f"{NETWORK}/{fading.bo.id}/note", {"message": "Lunch?"})

    [email] = outbox_messages(kind="engagement.catch-up")
    assert "You can write back to Ana at ana@example.org" in email.body_text


def test_the_sixth_note_in_a_week_is_refused_and_nothing_is_sent(client, fading):
    client.login("ana@example.org")
    for number in range(5):
        assert (
            client.submit(f"{NETWORK}/{fading.bo.id}/note", {"message": f"Note {number}"}).status_code == 302
        )

    response = client.submit(f"{NETWORK}/{fading.cy.id}/note", {"message": "One too many"})

    assert response.status_code == 422
    assert "You've sent 5 catch-up notes in the last seven days" in text(response.get_data(as_text=True))
    assert len(outbox_messages(kind="engagement.catch-up")) == 5
    assert db.session.scalar(db.select(db.func.count()).select_from(CatchUpNote)) == 5


def test_snooze_hides_the_nudge_until_next_month(client, fading):
    client.login("ana@example.org")

    response = client.submit(f"{NETWORK}/{fading.bo.id}/snooze")

    assert response.status_code == 302
    shown = page(client)
    assert "Fading" not in shown and "Reminder about Bo on" in shown
    until = db.session.get(ConnectionPreference, (fading.ana.id, fading.bo.id)).snoozed_until
    assert 28 <= (until - utcnow()).days <= 31


def test_a_rhythm_is_saved_and_shown(client, fading):
    client.login("ana@example.org")

    assert client.submit(f"{NETWORK}/{fading.cy.id}/rhythm", {"rhythm": "1"}).status_code == 302

    assert "Keep in touch with Cy (every 1 months)" in page(client)
    assert client.submit(f"{NETWORK}/{fading.cy.id}/rhythm", {"rhythm": "7"}).status_code == 422
    assert db.session.get(ConnectionPreference, (fading.ana.id, fading.cy.id)).rhythm_months == 1


def test_notes_only_go_to_connections(client, fading):
    client.login("bo@example.org")

    response = client.submit(f"{NETWORK}/{fading.cy.id}/note", {"message": "Hi"})

    assert response.status_code == 404
    assert outbox_messages(kind="engagement.catch-up") == []


def test_an_empty_note_is_refused_with_a_message(client, fading):
    client.login("ana@example.org")

    response = client.submit(f"{NETWORK}/{fading.bo.id}/note", {"message": "  "})

    assert response.status_code == 422
    assert "Write a short message." in text(response.get_data(as_text=True))
    assert outbox_messages(kind="engagement.catch-up") == []


@pytest.mark.parametrize("url", ["/me/goals", "/me/network/1/keep-in-touch"])
def test_pages_need_a_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/login" in response.location


@pytest.mark.parametrize("path", ["/me/goals", "/me/network/{bo}/note", "/me/network/{bo}/snooze"])
def test_posts_without_the_csrf_token_are_refused(client, fading, path):
    client.login("ana@example.org")

    response = client.post(
        path.format(bo=fading.bo.id),
        data={"message": "Hi", "kind": "attend_events", "target": "1", "period": "month"},
    )

    assert response.status_code == 400
    assert outbox_messages(kind="engagement.catch-up") == [] and db.session.scalar(db.select(Goal)) is None


def test_a_member_sets_a_goal_and_sees_its_progress(client, fading):
    client.login("ana@example.org")
    fading.connect(fading.ana, fading.dee, utcnow())  # this month (Bo and Cy were earlier)

    response = client.submit("/me/goals", {"kind": "new_connections", "target": "2", "period": "month"})

    assert response.status_code == 302
    shown = page(client, "/me/goals")
    assert "Make new connections: 2 connections a month" in shown
    html = client.get("/me/goals").get_data(as_text=True)
    assert '<progress id="goal-' in html and 'max="2" value="1"' in html  # Dee
    assert "<script" not in html.split("<main", 1)[-1].split("</main>", 1)[0]
    assert "the time zone of your first community" in shown


def test_a_bad_goal_is_refused_with_a_message(client, fading):
    client.login("ana@example.org")

    response = client.submit("/me/goals", {"kind": "attend_events", "target": "0", "period": "month"})

    assert response.status_code == 422
    assert "Between 1 and 100." in text(response.get_data(as_text=True))
    assert db.session.scalar(db.select(Goal)) is None


def test_a_goal_can_be_changed_and_removed_by_its_owner_only(client, fading):
    client.login("ana@example.org")
    client.submit("/me/goals", {"kind": "attend_events", "target": "2", "period": "month"})
    goal_id = db.session.scalar(db.select(Goal.id))
    # Each goal's form has its own field names (its CSRF token too, as the page renders it).
    edit = {"kind": "attend_events", "target": "4", "period": "quarter", "csrf_token": client.csrf_token()}

    assert (
        client.submit(
            f"/me/goals/{goal_id}", {f"goal-{goal_id}-{name}": value for name, value in edit.items()}
        ).status_code
        == 302
    )
    db.session.expire_all()
    assert (db.session.get(Goal, goal_id).target, db.session.get(Goal, goal_id).period) == (4, "quarter")

    client.logout()
    client.login("bo@example.org")
    assert client.submit(f"/me/goals/{goal_id}/delete").status_code == 404
    assert db.session.get(Goal, goal_id) is not None
    client.logout()
    client.login("ana@example.org")
    assert client.submit(f"/me/goals/{goal_id}/delete").status_code == 302
    db.session.expire_all()
    assert db.session.get(Goal, goal_id) is None


def test_the_network_page_takes_the_same_number_of_queries_for_more_people(client, fading, count_queries):
    client.login("ana@example.org")
    with count_queries() as few:
        page(client)
    for number in range(8):
        other = create_membership(fading.community, name=f"Extra {number}").user
        fading.connect(fading.ana, other, months_ago(9))
        circle_event = fading.event(
            (utcnow() + timedelta(days=30 + number)).date(), other, title=f"Meetup {number}"
        )
        assert circle_event is not None
    with count_queries() as many:
        shown = page(client)
    assert shown.count("Fading") == 9
    assert len(few) == len(many)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"fading_months": "5", "timezone": ""}, "Choose 3, 6 or 12 months."),
        ({"fading_months": "6", "timezone": "Mars/Olympus_Mons"}, "Choose a time zone from the list."),
    ],
)
def test_bad_settings_are_refused_with_a_message(client, fading, values, message):
    client.login("ana@example.org")

    response = client.submit("/me/goals/settings", values)

    assert response.status_code == 422
    assert message in text(response.get_data(as_text=True))
    assert db.session.get(EngagementSettings, fading.ana.id) is None


def test_settings_are_saved(client, fading):
    client.login("ana@example.org")

    response = client.submit("/me/goals/settings", {"fading_months": "3", "timezone": "Pacific/Kiritimati"})

    assert response.status_code == 302
    settings = db.session.get(EngagementSettings, fading.ana.id)
    assert (settings.fading_months, settings.timezone) == (3, "Pacific/Kiritimati")
    assert "Fading" in page(client) and page(client).count("Fading") == 1  # Cy, two months: not yet


def test_the_account_page_leads_to_my_goals(client, fading):
    client.login("ana@example.org")
    client.submit("/me/goals", {"kind": "attend_events", "target": "1", "period": "month"})

    shown = page(client, "/account")

    assert "Networking goals" in shown and "You have 1 goal." in shown
