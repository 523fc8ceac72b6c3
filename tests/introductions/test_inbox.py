"""My introductions (/me/introductions): what waits for an answer, accepting and declining,
what the asker reads, organizer introductions, and who may answer."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import insert, select

from community.core.models import utcnow
from community.extensions import db
from community.introductions import connections, requests
from community.introductions.models import Introduction, IntroductionStatus
from community.members.models import Profile
from tests.conftest import link_in, outbox_messages
from tests.introductions.bulk import bulk_people, text

INBOX = "/me/introductions"


def ask(world, asker, recipient, note="Would love your advice on product roles.", reasons=""):
    introduction = requests.ask(
        asker, recipient, community=world.community, event=world.event, note=note, reasons=reasons
    )
    db.session.commit()
    return introduction


@pytest.fixture
def asked(roundtable):
    """Ana asked Bo for an introduction at the roundtable; Bo has not answered."""
    roundtable.opt_in(roundtable.ana, roundtable.bo)
    profile = db.session.get(Profile, roundtable.bo.id)
    profile.links = [
        {"label": "LinkedIn", "url": "https://www.linkedin.com/in/bo", "share": True},
        {"label": "Blog", "url": "https://bo.example.org/"},  # not marked to share
    ]
    db.session.commit()
    roundtable.introduction = ask(
        roundtable,
        roundtable.ana,
        roundtable.bo,
        reasons="Ana can help with hiring, which you are looking for",
    )
    return roundtable


def page_of(client) -> str:
    response = client.get(INBOX)
    assert response.status_code == 200
    return text(response.get_data(as_text=True))


def test_the_emailed_link_leads_here_after_logging_in(client, asked):
    (message,) = outbox_messages("introductions.request", to="bo@example.org")
    link = link_in(message, INBOX)

    response = client.get(link)
    assert response.status_code == 302 and "/login?next=%2Fme%2Fintroductions" in response.location
    response = client.login("bo@example.org", next=INBOX)
    assert response.location.endswith(INBOX)
    assert "Ana would like to meet you" in page_of(client)


def test_a_request_waits_with_its_note_event_and_reasons(client, asked):
    client.login("bo@example.org")

    page = page_of(client)

    waiting = page.split("Waiting for your answer", 1)[1].split("You're introduced", 1)[0]
    assert "Ana would like to meet you at Product roundtable." in waiting
    assert "Would love your advice on product roles." in waiting
    assert "Ana can help with hiring, which you are looking for" in waiting
    assert "Yes, introduce us" in waiting and "Not this time" in waiting
    assert "ana@example.org" not in page  # no contact details before both said yes


def test_accepting_shows_both_sides_each_others_contact_details(client, asked):
    client.login("bo@example.org")
    url = f"{INBOX}/{asked.introduction.id}/accept"

    response = client.submit(url)

    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Introduction, asked.introduction.id).status == IntroductionStatus.ACCEPTED
    assert connections.connection_between(asked.ana.id, asked.bo.id) is not None
    page = text(client.get(response.location).get_data(as_text=True))
    assert "You and Ana are introduced" in page
    introduced = page.split("You're introduced", 1)[1]
    assert "ana@example.org" in introduced
    assert "Nothing waiting for you" in page

    client.logout()
    client.login("ana@example.org")
    page = page_of(client)
    assert "bo@example.org" in page and "https://www.linkedin.com/in/bo" in page
    assert "https://bo.example.org/" not in page  # only the links Bo marked to share


def test_declining_is_quiet_and_the_asker_reads_not_this_time(client, asked):
    client.login("bo@example.org")
    response = client.submit(f"{INBOX}/{asked.introduction.id}/decline")
    assert response.status_code == 302
    assert "will only read “not this time”" in page_of(client)
    assert outbox_messages(to="ana@example.org") == []

    client.logout()
    client.login("ana@example.org")
    sent = page_of(client).split("Requests you sent", 1)[1]
    assert "Not this time" in sent and "Bo" in sent
    assert "declined" not in sent.lower()
    assert "bo@example.org" not in sent


def test_the_asker_sees_a_request_waiting(client, asked):
    client.login("ana@example.org")

    page = page_of(client)

    assert "Nothing waiting for you" in page
    sent = page.split("Requests you sent", 1)[1]
    assert "Waiting You asked at Product roundtable" in sent and "Bo has until" in sent


def test_an_expired_request_reads_not_this_time(client, asked):
    requests.remind_and_expire(now=utcnow() + timedelta(days=15))
    db.session.commit()
    client.login("ana@example.org")

    assert "Not this time" in page_of(client).split("Requests you sent", 1)[1]


@pytest.mark.parametrize("who", ["ana@example.org", "cy@example.org", "org@example.org"])
def test_only_the_recipient_may_answer(client, asked, who):
    client.login(who)

    for action in ("accept", "decline"):
        assert client.submit(f"{INBOX}/{asked.introduction.id}/{action}").status_code == 404
    assert client.submit(f"{INBOX}/999999/accept").status_code == 404
    db.session.expire_all()
    assert db.session.get(Introduction, asked.introduction.id).status == IntroductionStatus.PENDING


def test_answering_needs_a_login_and_the_form_token(client, asked):
    response = client.submit(f"{INBOX}/{asked.introduction.id}/accept")
    assert response.status_code == 302 and response.location.endswith("/login?next=/me/introductions")

    client.login("bo@example.org")
    assert client.post(f"{INBOX}/{asked.introduction.id}/accept", data={}).status_code == 400
    db.session.expire_all()
    assert db.session.get(Introduction, asked.introduction.id).status == IntroductionStatus.PENDING


def test_an_answered_request_cannot_be_answered_again(client, asked):
    client.login("bo@example.org")
    client.submit(f"{INBOX}/{asked.introduction.id}/decline")

    client.submit(f"{INBOX}/{asked.introduction.id}/accept")

    assert "This introduction has already been answered." in page_of(client)
    assert connections.connection_between(asked.ana.id, asked.bo.id) is None


def test_an_organizer_introduction_waits_for_both_sides(client, roundtable):
    introduction = requests.introduce(
        roundtable.organizer,
        roundtable.ana,
        roundtable.bo,
        event=roundtable.event,
        note="You two should talk.",
    )
    db.session.commit()
    client.login("ana@example.org")
    page = page_of(client)
    assert "Olu Organizer would like to introduce you to Bo at Product roundtable." in page
    assert "You two should talk." in page

    client.submit(f"{INBOX}/{introduction.id}/accept")
    page = page_of(client)
    assert "as soon as Bo says yes too" in page
    assert "Waiting You said yes to an organizer's introduction" in page.split("Requests you sent", 1)[1]
    assert "bo@example.org" not in page

    client.logout()
    client.login("bo@example.org")
    client.submit(f"{INBOX}/{introduction.id}/accept")
    assert "ana@example.org" in page_of(client).split("You're introduced", 1)[1]


def _accepted_with(world, count: int, prefix: str) -> None:
    """`count` accepted introductions between Ana and new members, written directly."""
    ids = bulk_people(count, prefix=prefix, community_id=world.community.id, headline="Founder")
    now = utcnow()
    db.session.execute(
        insert(Introduction),
        [
            {"community_id": world.community.id, "event_id": world.event.id, "event_key": world.event.id,
             "asker_id": uid, "recipient_id": world.ana.id, "note": f"Note from {uid}", "reasons": "",
             "status": IntroductionStatus.ACCEPTED, "asker_accepted_at": now, "recipient_accepted_at": now,
             "answered_at": now - timedelta(minutes=n), "expires_at": now + timedelta(days=14)}
            for n, uid in enumerate(ids)
        ],
    )  # fmt: skip
    db.session.commit()


def test_a_long_list_of_introductions_comes_a_page_at_a_time(client, roundtable):
    _accepted_with(roundtable, 23, "friend")
    client.login("ana@example.org")

    first = client.get(INBOX).get_data(as_text=True)
    second = client.get(INBOX + "?page=2").get_data(as_text=True)

    assert first.count("@example.org</a>") == 20 and second.count("@example.org</a>") == 3
    assert "Friend 000" in text(first) and "Friend 022" not in text(first)  # the newest answer first
    assert "Friend 022" in text(second) and "2 of 2" in text(second)


def test_the_page_runs_the_same_queries_for_few_and_many_introductions(client, roundtable, count_queries):
    _accepted_with(roundtable, 3, "few")
    client.login("ana@example.org")
    counts = []
    for more in (0, 40):
        if more:
            _accepted_with(roundtable, more, "many")
        client.get(INBOX)
        with count_queries() as statements:
            assert client.get(INBOX).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_the_account_page_leads_to_introductions_and_the_network(client, asked):
    client.login("bo@example.org")

    html = client.get("/account").get_data(as_text=True)

    assert "1 person wants to meet you." in text(html)
    assert 'href="/me/introductions"' in html and 'href="/me/network"' in html


def test_nobody_else_sees_it(client, asked):
    client.login("cy@example.org")
    page = page_of(client)
    assert "Nothing waiting for you" in page and "Ana" not in page and "Bo" not in page
    assert db.session.scalar(select(Introduction.id)) == asked.introduction.id
