"""The organizers' side: the community's networking topics, and an event's Introductions tab
(the switch, the counts without the notes, introducing two attendees)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from community.communities.models import Role
from community.core.audit import AuditEntry
from community.events.models import EventKind
from community.extensions import db
from community.introductions import optins, requests
from community.introductions.models import Introduction, IntroductionStatus, Topic
from community.rsvps.models import RSVPStatus
from tests.conftest import outbox_messages
from tests.factories import create_community, create_event, create_membership, create_rsvp, create_user

TOPICS = "/c/northfield/manage/topics"


def topic_names(community, *, archived: bool = False) -> list[str]:
    db.session.expire_all()
    return [t.name for t in optins.topics_of(community, with_archived=True) if t.archived == archived]


def audit_actions(community) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEntry.action).where(AuditEntry.community_id == community.id).order_by(AuditEntry.id)
        )
    )


def event_tab(world) -> str:
    return f"/c/northfield/manage/events/{world.event.id}/introductions"


# -- topics -------------------------------------------------------------------------------------


def test_organizers_add_rename_archive_and_restore_topics(client, roundtable):
    client.login("org@example.org")

    added = client.submit(TOPICS, {"name": "  Fundraising "}, follow_redirects=True)
    assert "“Fundraising” is on the list" in added.get_data(as_text=True)
    client.submit(TOPICS, {"name": "Hiring"})
    assert topic_names(roundtable.community) == ["Fundraising", "Hiring"]

    hiring = db.session.scalar(select(Topic).where(Topic.name == "Hiring"))
    new_name = {f"topic-{hiring.id}-name": "Hiring a first designer"}
    renamed = client.submit(f"{TOPICS}/{hiring.id}/rename", new_name, follow_redirects=True)
    assert "“Hiring” is now called “Hiring a first designer”" in renamed.get_data(as_text=True)

    confirm = client.get(f"{TOPICS}/{hiring.id}/archive").get_data(as_text=True)
    assert "Archive “Hiring a first designer”?" in confirm
    assert topic_names(roundtable.community) == [
        "Fundraising",
        "Hiring a first designer",
    ]  # asking changes nothing
    archived = client.submit(f"{TOPICS}/{hiring.id}/archive", follow_redirects=True).get_data(as_text=True)
    assert "“Hiring a first designer” is archived." in archived
    assert topic_names(roundtable.community) == ["Fundraising"]
    assert topic_names(roundtable.community, archived=True) == ["Hiring a first designer"]
    assert archived.index("Archived <span") < archived.index("Restore<span")

    restored = client.submit(f"{TOPICS}/{hiring.id}/restore", follow_redirects=True)
    assert "“Hiring a first designer” is back" in restored.get_data(as_text=True)
    assert topic_names(roundtable.community) == ["Fundraising", "Hiring a first designer"]
    assert audit_actions(roundtable.community)[-5:] == [
        "introductions.topic-added", "introductions.topic-added", "introductions.topic-renamed",
        "introductions.topic-archived", "introductions.topic-added",
    ]  # fmt: skip


def test_the_list_says_how_many_people_ticked_each_topic(client, roundtable):
    product = optins.add_topic(roundtable.community, roundtable.organizer, "Product management")
    optins.add_topic(roundtable.community, roundtable.organizer, "Climate tech")
    db.session.commit()
    roundtable.opt_in(roundtable.ana, offers=[product.id])
    roundtable.opt_in(roundtable.bo, seeks=[product.id])
    client.login("org@example.org")

    page = client.get(TOPICS).get_data(as_text=True)

    assert "ticked by 2 people" in page and "not ticked yet" in page


@pytest.mark.parametrize(
    "name, message",
    [
        ("", "Give the topic a name."),
        ("fundraising", "There is already a topic called “Fundraising”."),
        ("x" * 61, "Please keep topic names to 60 characters."),
        ("Two\nlines", "Remove the line breaks"),
    ],
)
def test_a_refused_topic_name_says_why_and_changes_nothing(client, roundtable, name, message):
    optins.add_topic(roundtable.community, roundtable.organizer, "Fundraising")
    db.session.commit()
    client.login("org@example.org")

    answer = client.submit(TOPICS, {"name": name})

    assert answer.status_code == 422
    assert message in answer.get_data(as_text=True)
    assert topic_names(roundtable.community) == ["Fundraising"]


def test_a_refused_new_name_shows_on_its_own_row(client, roundtable):
    optins.add_topic(roundtable.community, roundtable.organizer, "Fundraising")
    hiring = optins.add_topic(roundtable.community, roundtable.organizer, "Hiring")
    db.session.commit()
    client.login("org@example.org")

    answer = client.submit(f"{TOPICS}/{hiring.id}/rename", {f"topic-{hiring.id}-name": "FUNDRAISING"})

    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert "There is already a topic called “FUNDRAISING”." in page
    row = page[page.index(f'id="topic-{hiring.id}-name"') :]
    assert 'value="FUNDRAISING"' in row[:400] and 'aria-invalid="true"' in row[:400]
    assert topic_names(roundtable.community) == ["Fundraising", "Hiring"]


def test_only_organizers_reach_the_topics(client, roundtable):
    other = create_community(create_user(), slug="elsewhere", name="Elsewhere")
    foreign = optins.add_topic(other, other.memberships[0].user, "Not yours")
    db.session.commit()

    visitor = client.get(TOPICS)
    assert visitor.status_code == 302 and "/login" in visitor.headers["Location"]
    client.login("ana@example.org")
    assert client.get(TOPICS).status_code == 403
    assert client.submit(TOPICS, {"name": "Sneaky"}).status_code == 403
    client.logout()
    create_user(email="out@example.org")
    client.login("out@example.org")
    assert client.get(TOPICS).status_code == 404
    client.logout()
    client.login("org@example.org")
    assert client.get(f"{TOPICS}/{foreign.id}/archive").status_code == 404
    assert client.submit(f"{TOPICS}/{foreign.id}/archive").status_code == 404
    assert topic_names(roundtable.community) == []
    assert topic_names(other) == ["Not yours"]


def test_topics_are_a_tab_and_a_card_of_the_community_manage_screens(client, roundtable):
    client.login("org@example.org")

    overview = client.get("/c/northfield/manage").get_data(as_text=True)

    assert f'href="{TOPICS}"' in overview
    assert "Networking topics" in overview


# -- an event's Introductions tab -----------------------------------------------------------------


def test_the_tab_shows_counts_but_never_the_notes(client, roundtable):
    roundtable.opt_in(roundtable.ana, roundtable.bo, roundtable.cy)
    here = {"community": roundtable.community, "event": roundtable.event}
    first = requests.ask(roundtable.ana, roundtable.bo, note="Secret: I want your job.", **here)
    requests.accept(first, roundtable.bo)
    requests.ask(roundtable.cy, roundtable.ana, note="Another private note.", **here)
    db.session.commit()
    client.login("org@example.org")

    page = client.get(event_tab(roundtable)).get_data(as_text=True)

    assert "Introductions are on" in page  # a roundtable: on by default
    figures = page[page.index('class="stats"') :]
    assert '<span class="stat__value">3</span><span class="stat__label">opted in' in figures
    assert '<span class="stat__value">2</span><span class="stat__label">introductions requested' in figures
    assert '<span class="stat__value">1</span><span class="stat__label">accepted by both' in figures
    assert "Secret" not in page and "private note" not in page
    assert 'aria-current="page">Introductions</a>' in page


def test_organizers_switch_introductions_off_and_on(client, roundtable):
    client.login("org@example.org")

    off = client.submit(f"{event_tab(roundtable)}/off", follow_redirects=True).get_data(as_text=True)
    assert "Introductions are off" in off
    assert not optins.introductions_enabled(roundtable.event)
    assert "The organizers have switched introductions off for this event." in off  # no introducing either

    on = client.submit(f"{event_tab(roundtable)}/on", follow_redirects=True).get_data(as_text=True)
    assert "Introductions are on" in on
    db.session.expire_all()
    assert optins.introductions_enabled(roundtable.event)
    assert audit_actions(roundtable.community)[-2:] == ["introductions.switched", "introductions.switched"]


def test_a_meetup_starts_with_introductions_off(client, roundtable):
    meetup = create_event(roundtable.community, roundtable.organizer, kind=EventKind.MEETUP, title="Pub quiz")
    client.login("org@example.org")

    page = client.get(f"/c/northfield/manage/events/{meetup.id}/introductions").get_data(as_text=True)

    assert "Introductions are off" in page and "Switch introductions on" in page


def test_an_organizer_introduces_two_attendees_and_both_are_asked(client, roundtable):
    client.login("org@example.org")
    form = client.get(event_tab(roundtable)).get_data(as_text=True)
    assert f'<option value="{roundtable.bo.id}">Bo</option>' in form

    sent = client.submit(event_tab(roundtable), {
        "first": roundtable.ana.id, "second": roundtable.cy.id, "note": "You both run product teams.",
    }, follow_redirects=True)  # fmt: skip

    assert "Sent: Ana and Cy are both asked" in sent.get_data(as_text=True)
    (introduction,) = db.session.scalars(select(Introduction))
    assert introduction.introducer_id == roundtable.organizer.id
    assert introduction.status == IntroductionStatus.PENDING
    for person in ("ana@example.org", "cy@example.org"):
        (message,) = outbox_messages("introductions.request", to=person)
        assert "Olu Organizer would like to introduce you" in message.subject
        assert "You both run product teams." in message.body_text


@pytest.mark.parametrize(
    "choose, message",
    [
        (lambda w: {"first": w.ana.id, "second": w.ana.id}, "Pick two different people to introduce."),
        (lambda w: {"first": w.ana.id, "second": 0}, "Choose someone who is coming."),
        (lambda w: {"first": "nonsense", "second": w.bo.id}, "Choose someone who is coming."),
        (lambda w: {"first": w.ana.id, "second": w.organizer.id}, "Choose someone who is coming."),
        (lambda w: {"first": w.ana.id, "second": w.bo.id, "note": ""}, "Add a short note"),
        (lambda w: {"first": w.ana.id, "second": w.bo.id, "note": "x" * 501}, "Please keep the note to 500"),
    ],
)
def test_a_refused_introduction_says_why_and_writes_nothing(client, roundtable, choose, message):
    client.login("org@example.org")

    answer = client.submit(event_tab(roundtable), {"note": "Meet!", **choose(roundtable)})

    assert answer.status_code == 422
    assert message in answer.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Introduction)) == 0
    assert outbox_messages("introductions.request") == []


def test_introducing_a_pair_twice_is_refused_by_the_service(client, roundtable):
    client.login("org@example.org")
    pair = {"first": roundtable.ana.id, "second": roundtable.bo.id, "note": "Meet!"}
    client.submit(event_tab(roundtable), pair)

    again = client.submit(event_tab(roundtable), pair)

    assert again.status_code == 422
    assert "Ana and Bo have been introduced before" in again.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Introduction)) == 1


def test_waitlisted_people_can_be_introduced_and_people_not_coming_are_not_offered(client, roundtable):
    waiting = create_user(name="Wes Waitlist")
    gone = create_user(name="Nia Notgoing")
    for person in (waiting, gone):
        create_membership(roundtable.community, person, role=Role.MEMBER)
    create_rsvp(roundtable.event, waiting, status=RSVPStatus.WAITLISTED)
    create_rsvp(roundtable.event, gone, status=RSVPStatus.NOT_GOING)
    roundtable.opt_in(roundtable.bo)
    client.login("org@example.org")

    page = client.get(event_tab(roundtable)).get_data(as_text=True)

    assert "Wes Waitlist" in page and "Nia Notgoing" not in page
    assert f'<option value="{roundtable.bo.id}">Bo (open to introductions)</option>' in page


def test_only_the_events_organizers_reach_the_tab(client, roundtable):
    other = create_community(create_user(), slug="elsewhere", name="Elsewhere")
    elsewhere = create_event(other, other.memberships[0].user, kind=EventKind.ROUNDTABLE)
    client.login("ana@example.org")
    assert client.get(event_tab(roundtable)).status_code == 403
    assert client.submit(f"{event_tab(roundtable)}/off").status_code == 403
    assert client.submit(event_tab(roundtable), {"first": roundtable.bo.id, "second": roundtable.cy.id,
                                                 "note": "Hi"}).status_code == 403  # fmt: skip
    client.logout()
    client.login("org@example.org")
    assert client.get(f"/c/northfield/manage/events/{elsewhere.id}/introductions").status_code == 404
    assert optins.introductions_enabled(roundtable.event)
    assert db.session.scalar(select(func.count()).select_from(Introduction)) == 0
