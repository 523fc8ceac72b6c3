"""Double opt-in introductions: asking, answering, limits, reminders and expiry."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from community.core.models import utcnow
from community.extensions import db
from community.introductions import connections, optins, requests
from community.introductions.models import Connection, Introduction, IntroductionStatus
from community.introductions.optins import IntroductionError
from community.rsvps.models import RSVPStatus
from tests.conftest import outbox_messages
from tests.factories import create_membership, create_rsvp, create_user


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def ask(world, asker, recipient, note="Would love your advice on product roles."):
    introduction = requests.ask(asker, recipient, community=world.community, event=world.event, note=note)
    db.session.commit()
    return introduction


def test_asking_emails_the_other_person_and_waits_for_them(roundtable):
    roundtable.opt_in(roundtable.ana, roundtable.bo)

    introduction = ask(roundtable, roundtable.ana, roundtable.bo)

    assert introduction.status == IntroductionStatus.PENDING
    (message,) = outbox_messages("introductions.request", to="bo@example.org")
    assert "Ana would like to meet you" in message.subject
    assert "Would love your advice on product roles." in message.body_text
    assert "ana@example.org" not in message.body_text  # contact details only after both said yes
    assert connections.connection_between(roundtable.ana.id, roundtable.bo.id) is None


def test_accepting_connects_them_and_sends_both_the_introduction(roundtable):
    roundtable.opt_in(roundtable.ana, roundtable.bo)
    introduction = ask(roundtable, roundtable.ana, roundtable.bo)

    requests.accept(introduction, roundtable.bo)
    db.session.commit()

    assert introduction.status == IntroductionStatus.ACCEPTED
    connection = connections.connection_between(roundtable.bo.id, roundtable.ana.id)
    assert connection is not None
    assert [(m.event_title, m.how) for m in connection.moments] == [("Product roundtable", "introduced")]
    to_ana = outbox_messages("introductions.introduced", to="ana@example.org")
    to_bo = outbox_messages("introductions.introduced", to="bo@example.org")
    assert len(to_ana) == len(to_bo) == 1
    assert "bo@example.org" in to_ana[0].body_text and "ana@example.org" in to_bo[0].body_text


def test_a_decline_is_quiet_and_final(roundtable):
    roundtable.opt_in(roundtable.ana, roundtable.bo)
    introduction = ask(roundtable, roundtable.ana, roundtable.bo)

    requests.decline(introduction, roundtable.bo)
    db.session.commit()

    assert outbox_messages("introductions.introduced") == []
    assert outbox_messages(to="ana@example.org") == []
    with pytest.raises(IntroductionError, match="Not this time"):
        ask(roundtable, roundtable.ana, roundtable.bo)


def test_asking_twice_makes_one_request(roundtable):
    roundtable.opt_in(roundtable.ana, roundtable.bo)

    first = ask(roundtable, roundtable.ana, roundtable.bo)
    second = ask(roundtable, roundtable.ana, roundtable.bo)

    assert first.id == second.id
    assert count(Introduction) == 1
    assert len(outbox_messages("introductions.request")) == 1


@pytest.mark.parametrize(
    "case, message",
    [
        ("oneself", "That's you"),
        ("not opted in", "isn't open to introductions"),
        ("not going", "isn't open to introductions"),
        ("asker not going", "Say you're going"),
        ("empty note", "Add a short note"),
        ("long note", "500 characters"),
        ("switched off", "switched introductions off"),
        ("archived", "a while ago"),
    ],
)
def test_refusals_say_why_and_write_nothing(roundtable, case, message):
    roundtable.opt_in(roundtable.ana, roundtable.bo)
    asker, recipient, note = roundtable.ana, roundtable.bo, "Hello there"
    if case == "oneself":
        recipient = asker
    elif case == "not opted in":
        recipient = roundtable.cy
    elif case == "not going":
        optins.attending_rsvp(roundtable.event, roundtable.bo.id).status = RSVPStatus.NOT_GOING
    elif case == "asker not going":
        asker = create_user(email="dee@example.org", name="Dee")
        create_membership(roundtable.community, asker)
    elif case == "empty note":
        note = "  \n "
    elif case == "long note":
        note = "x" * 501
    elif case == "switched off":
        optins.set_enabled(roundtable.event, roundtable.organizer, False)
    elif case == "archived":
        roundtable.event.ends_at = utcnow() - timedelta(days=31)
        roundtable.event.starts_at = roundtable.event.ends_at - timedelta(hours=3)
    db.session.commit()

    with pytest.raises(IntroductionError, match=message):
        ask(roundtable, asker, recipient, note=note)
    db.session.rollback()

    assert count(Introduction) == 0
    assert outbox_messages("introductions.request") == []


def test_at_most_five_requests_wait_per_person_per_event(roundtable):
    others = [create_user(email=f"p{i}@example.org", name=f"Person {i}") for i in range(6)]
    for person in others:
        create_membership(roundtable.community, person)
        create_rsvp(roundtable.event, person)
    roundtable.opt_in(roundtable.ana, *others)
    for person in others[:5]:
        ask(roundtable, roundtable.ana, person)

    with pytest.raises(IntroductionError, match="5 requests waiting"):
        ask(roundtable, roundtable.ana, others[5])


def test_unanswered_requests_get_one_reminder_then_expire_kindly(roundtable):
    roundtable.opt_in(roundtable.ana, roundtable.bo)
    introduction = ask(roundtable, roundtable.ana, roundtable.bo)
    start = introduction.created_at

    assert requests.remind_and_expire(start + timedelta(days=2)) == (0, 0)
    assert requests.remind_and_expire(start + timedelta(days=3, minutes=1)) == (1, 0)
    assert requests.remind_and_expire(start + timedelta(days=4)) == (0, 0)  # once only
    assert requests.remind_and_expire(start + timedelta(days=14, minutes=1)) == (0, 1)
    db.session.commit()

    assert len(outbox_messages("introductions.reminder", to="bo@example.org")) == 1
    (told,) = outbox_messages("introductions.expired", to="ana@example.org")
    assert "someone else" in told.body_text
    assert introduction.status == IntroductionStatus.EXPIRED
    with pytest.raises(IntroductionError, match="Not this time"):  # ignored counts as no
        ask(roundtable, roundtable.ana, roundtable.bo)


def test_an_organizer_introduction_needs_both_sides(roundtable):
    introduction = requests.introduce(
        roundtable.organizer,
        roundtable.ana,
        roundtable.bo,
        event=roundtable.event,
        note="You two should talk hiring.",
    )
    db.session.commit()
    assert {m.to_address for m in outbox_messages("introductions.request")} == {
        "ana@example.org",
        "bo@example.org",
    }

    requests.accept(introduction, roundtable.bo)
    assert introduction.status == IntroductionStatus.PENDING
    requests.accept(introduction, roundtable.ana)
    db.session.commit()

    assert introduction.status == IntroductionStatus.ACCEPTED
    assert count(Connection) == 1
    with pytest.raises(IntroductionError, match="isn't yours"):
        requests.accept(introduction, roundtable.cy)


def test_deleting_an_account_erases_its_requests_and_connections(roundtable):
    from community.auth.services import delete_account
    from tests.factories import DEFAULT_PASSWORD

    roundtable.opt_in(roundtable.ana, roundtable.bo)
    requests.accept(ask(roundtable, roundtable.ana, roundtable.bo), roundtable.bo)
    db.session.commit()

    delete_account(roundtable.ana, password=DEFAULT_PASSWORD)
    db.session.commit()

    assert count(Introduction) == 0
    assert count(Connection) == 0
    assert optins.opt_in_of(roundtable.event, roundtable.ana) is None


def test_a_connection_survives_the_event(roundtable):
    roundtable.opt_in(roundtable.ana, roundtable.bo)
    requests.accept(ask(roundtable, roundtable.ana, roundtable.bo), roundtable.bo)
    db.session.commit()

    db.session.delete(roundtable.event)
    db.session.commit()

    connection = connections.connection_between(roundtable.ana.id, roundtable.bo.id)
    assert connection is not None
    assert [(m.event_id, m.event_title) for m in connection.moments] == [(None, "Product roundtable")]
