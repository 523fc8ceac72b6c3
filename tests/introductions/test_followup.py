""" "Who did you meet?": one email per person and event the morning after, the page where
people tick whom they met (a connection when both tick), and unsubscribing without a login."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta

import pytest
from sqlalchemy import func, select

from community.auth.models import User
from community.communities.models import Community, Role
from community.core.models import utcnow
from community.events.models import Event, EventKind, EventVisibility
from community.events.services import cancel_event
from community.extensions import db
from community.introductions import connections, followup, optins, requests
from community.introductions.models import EmailPreference, FollowUp, MetTick
from community.members.models import Profile
from community.rsvps.models import RSVP, RSVPStatus
from tests.conftest import link_in, outbox_messages
from tests.factories import create_community, create_event, create_membership, create_rsvp, create_user


def ended(hours_ago: float, **details) -> dict:
    """Event details for an event (in UTC) that ended `hours_ago` hours ago, two hours long."""
    end = utcnow() - timedelta(hours=hours_ago)
    start = end - timedelta(hours=2)
    return {
        "day": start.date(),
        "end_day": end.date(),
        "start_time": start.time().replace(second=0, microsecond=0),
        "end_time": end.time().replace(second=0, microsecond=0),
        "timezone": "UTC",
        **details,
    }


@dataclass
class Afterwards:
    community: Community
    event: Event
    organizer: User
    ana: User
    bo: User
    cy: User


def past_event(community, organizer, hours_ago: float = 50, **details) -> Event:
    details.setdefault("kind", EventKind.ROUNDTABLE)
    details.setdefault("title", "Product roundtable")
    return create_event(community, organizer, **ended(hours_ago, **details))


@pytest.fixture
def afterwards(db) -> Afterwards:
    """A roundtable that ended two days ago; Ana, Bo and Cy went."""
    organizer = create_user(email="org@example.org", name="Olu Organizer")
    community = create_community(organizer)
    people = [create_user(email=f"{name.lower()}@example.org", name=name) for name in ("Ana", "Bo", "Cy")]
    for person in people:
        create_membership(community, person, role=Role.MEMBER)
    event = past_event(community, organizer)
    for person in people:
        create_rsvp(event, person)
    return Afterwards(community, event, organizer, *people)


def run(app) -> str:
    result = app.test_cli_runner().invoke(args=["introductions", "followup"])
    assert result.exit_code == 0, result.output
    return result.output


def followup_emails(to: str | None = None):
    return outbox_messages("introductions.followup", to=to)


def met_path(world) -> str:
    return f"/c/{world.community.slug}/events/{world.event.id}/met"


def set_profile(user: User, **visibility) -> None:
    profile = db.session.get(Profile, user.id) or Profile(user_id=user.id)
    profile.visibility = {**(profile.visibility or {}), **visibility}
    db.session.add(profile)
    db.session.commit()


# -- the email ---------------------------------------------------------------------------------


def test_everyone_going_is_asked_once_however_often_cron_runs(app, afterwards):
    assert (
        run(app) == "Who did you meet?: 3 emails for 1 event. Introduction requests: 0 reminded, 0 expired.\n"
    )
    assert (
        run(app)
        == "Who did you meet?: 0 emails for 0 events. Introduction requests: 0 reminded, 0 expired.\n"
    )

    emails = followup_emails()
    assert sorted(m.to_address for m in emails) == ["ana@example.org", "bo@example.org", "cy@example.org"]
    (to_ana,) = followup_emails("ana@example.org")
    assert to_ana.subject == "Who did you meet at Product roundtable?"
    assert "Hello Ana," in to_ana.body_text
    assert link_in(to_ana, "/met") == met_path(afterwards)
    assert "/introductions/unsubscribe/" in to_ana.body_text
    assert db.session.scalar(select(func.count()).select_from(FollowUp)) == 3


def test_only_the_people_checked_in_are_asked_when_the_organizers_checked_people_in(app, db):
    organizer = create_user(name="Olu Organizer")
    community = create_community(organizer)
    event = past_event(community, organizer)
    came = [create_user(name=f"Came {n}") for n in range(2)]
    stayed_home = create_user(name="Stayed Home")
    for person in came:
        create_rsvp(event, person, checked_in=True)
    create_rsvp(event, stayed_home)
    create_rsvp(event, create_user(name="Said no"), status=RSVPStatus.NOT_GOING)

    run(app)

    assert sorted(m.to_address for m in followup_emails()) == sorted(p.email for p in came)


def test_nobody_is_asked_before_the_morning_after_or_a_week_later(app, db):
    organizer = create_user(name="Olu Organizer")
    community = create_community(organizer)
    just_over = past_event(community, organizer, hours_ago=1)
    long_ago = past_event(community, organizer, hours_ago=24 * 8)
    for event in (just_over, long_ago):
        for _ in range(2):
            create_rsvp(event, create_user())

    assert run(app).startswith("Who did you meet?: 0 emails for 0 events.")
    assert followup_emails() == []


def test_the_email_is_due_at_eight_in_the_morning_after_in_the_events_time_zone(db):
    organizer = create_user(name="Olu Organizer")
    community = create_community(organizer)
    event = create_event(
        community, organizer, day=utcnow().date() - timedelta(days=3), timezone="America/New_York",
        start_time=time(19, 0), end_time=time(22, 0), kind=EventKind.ROUNDTABLE,
    )  # fmt: skip
    due = followup.due_at(event)
    assert (due.hour, due.tzinfo.key) == (8, "America/New_York")
    assert due.date() == event.ends_at.astimezone(due.tzinfo).date() + timedelta(days=1)
    assert event.id not in followup.events_due(now=due - timedelta(minutes=1))
    assert event.id in followup.events_due(now=due)


def test_cancelled_events_events_with_introductions_off_and_lone_attendees_get_nothing(app, afterwards):
    cancel_event(afterwards.event, afterwards.organizer, reason="Storm warning.")
    switched_off = past_event(afterwards.community, afterwards.organizer, title="Quiet meetup")
    optins.set_enabled(switched_off, afterwards.organizer, False)
    alone = past_event(afterwards.community, afterwards.organizer, title="Small roundtable")
    db.session.commit()
    for person in (afterwards.ana, afterwards.bo):
        create_rsvp(switched_off, person)
    create_rsvp(alone, afterwards.cy)

    assert run(app).startswith("Who did you meet?: 0 emails for 0 events.")


def test_a_meetup_is_only_followed_up_when_its_organizers_switched_introductions_on(app, afterwards):
    meetup = past_event(afterwards.community, afterwards.organizer, kind=EventKind.MEETUP, title="Pub quiz")
    for person in (afterwards.ana, afterwards.bo):
        create_rsvp(meetup, person)
    assert meetup.id not in followup.events_due()

    optins.set_enabled(meetup, afterwards.organizer, True)
    db.session.commit()

    assert meetup.id in followup.events_due()


def test_a_run_that_loses_the_race_sends_nothing(app, afterwards):
    """Two runs at once: the unique insert decides, so the loser sends no second email."""
    assert followup.claim(afterwards.event.id, afterwards.ana.id) is True
    db.session.commit()  # the other run committed its claim

    assert followup.claim(afterwards.event.id, afterwards.ana.id) is False
    followup.send_followups(afterwards.event.id)
    db.session.commit()

    assert followup_emails("ana@example.org") == []
    assert len(followup_emails("bo@example.org")) == 1


def test_a_run_that_read_the_list_before_another_run_committed_sends_no_second_email(
    app, afterwards, monkeypatch
):
    everyone = [afterwards.ana, afterwards.bo, afterwards.cy]
    run(app)
    # The second run read "not asked yet" for everyone just before the first one committed.
    monkeypatch.setattr(followup, "_recipients", lambda event: everyone)

    assert followup.send_followups(afterwards.event.id) == 0
    db.session.commit()

    assert len(followup_emails()) == 3


def test_someone_who_unsubscribed_gets_no_email(app, afterwards):
    followup.set_followups(afterwards.bo, False)
    db.session.commit()

    run(app)

    assert followup_emails("bo@example.org") == []
    assert len(followup_emails()) == 2


def test_a_members_only_event_asks_only_people_who_are_still_members(app, afterwards):
    afterwards.event.visibility = EventVisibility.MEMBERS
    guest = create_user(email="guest@example.org", name="Gus Guest")  # went, then left the community
    create_rsvp(afterwards.event, guest)
    db.session.commit()

    run(app)

    assert followup_emails("guest@example.org") == []
    assert len(followup_emails()) == 3


def test_the_email_names_the_people_they_were_introduced_to(app, afterwards):
    introduction = _accepted_introduction(afterwards, afterwards.ana, afterwards.bo)
    assert introduction is not None

    run(app)

    (to_ana,) = followup_emails("ana@example.org")
    assert "You were introduced to Bo." in to_ana.body_text
    assert "introduced to" not in followup_emails("cy@example.org")[0].body_text


def _accepted_introduction(world, asker, recipient):
    """An introduction asked and accepted while the event was still ahead."""
    ends_at = world.event.ends_at
    world.event.ends_at = utcnow() + timedelta(days=1)  # it was upcoming then
    db.session.commit()
    optins.opt_in(world.event, recipient)
    introduction = requests.ask(
        asker, recipient, community=world.community, event=world.event, note="Let's talk."
    )
    requests.accept(introduction, recipient)
    world.event.ends_at = ends_at
    db.session.commit()
    return introduction


# -- the page ----------------------------------------------------------------------------------


def test_the_page_lists_who_was_there_and_mutual_ticks_make_a_connection(client, afterwards):
    client.login("ana@example.org")
    page = client.get(met_path(afterwards)).get_data(as_text=True)
    assert "Who did you meet?" in page
    assert 'name="met"' in page and ">Bo<" in page and ">Cy<" in page
    assert ">Ana<" not in page  # not oneself

    saved = client.submit(met_path(afterwards), {"met": [afterwards.bo.id]}, follow_redirects=True)
    assert "When someone you ticked ticks you too, you&#39;ll be connected." in saved.get_data(as_text=True)
    assert connections.connection_between(afterwards.ana.id, afterwards.bo.id) is None  # one-sided: none

    client.logout()
    client.login("bo@example.org")
    saved = client.submit(met_path(afterwards), {"met": [afterwards.ana.id]}, follow_redirects=True)
    assert "You have 1 new connection" in saved.get_data(as_text=True)
    assert "you both said you met: connected" in saved.get_data(as_text=True)
    connection = connections.connection_between(afterwards.ana.id, afterwards.bo.id)
    assert [(m.event_title, m.how) for m in connection.moments] == [("Product roundtable", "met")]


def test_people_already_ticked_stay_ticked(client, afterwards):
    connections.tick(afterwards.event, afterwards.ana, [afterwards.cy])
    db.session.commit()
    client.login("ana@example.org")

    page = client.get(met_path(afterwards)).get_data(as_text=True)

    cy_box = page[
        page.index(f'id="met-{afterwards.cy.id}"') - 80 : page.index(f'id="met-{afterwards.cy.id}"') + 200
    ]
    bo_box = page[
        page.index(f'id="met-{afterwards.bo.id}"') - 80 : page.index(f'id="met-{afterwards.bo.id}"') + 200
    ]
    assert "checked" in cy_box and "disabled" in cy_box and "you said you met" in page
    assert "checked" not in bo_box
    # Saving others leaves the earlier tick in place.
    client.submit(met_path(afterwards), {"met": [afterwards.bo.id]})
    assert connections.ticked_ids(afterwards.event, afterwards.ana) == {afterwards.bo.id, afterwards.cy.id}


def test_people_introduced_at_the_event_come_first(client, afterwards):
    _accepted_introduction(afterwards, afterwards.ana, afterwards.cy)
    client.login("ana@example.org")

    page = client.get(met_path(afterwards)).get_data(as_text=True)

    assert page.index("You were introduced to") < page.index(">Cy<") < page.index("Others who were there")
    assert page.index("Others who were there") < page.index(">Bo<")
    assert "already connected" in page


def test_people_unlisted_or_hidden_from_members_are_not_shown(client, afterwards):
    hidden, unlisted = create_user(name="Hana Hidden"), create_user(name="Uma Unlisted")
    for person in (hidden, unlisted):
        create_membership(afterwards.community, person, role=Role.MEMBER)
    create_rsvp(afterwards.event, hidden)
    create_rsvp(afterwards.event, unlisted, listed=False)
    set_profile(hidden, name="nobody")
    client.login("ana@example.org")

    page = client.get(met_path(afterwards)).get_data(as_text=True)

    assert ">Bo<" in page
    assert "Hana Hidden" not in page and "Uma Unlisted" not in page
    refused = client.submit(met_path(afterwards), {"met": [unlisted.id]})
    assert refused.status_code == 422
    assert "Tick people from the list of those who were there." in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(MetTick)) == 0


def test_when_people_were_checked_in_only_they_are_listed(client, afterwards):
    for person in (afterwards.ana, afterwards.bo):
        db.session.scalar(select(RSVP).where(RSVP.user_id == person.id)).checked_in_at = utcnow()
    db.session.commit()
    client.login("ana@example.org")

    page = client.get(met_path(afterwards)).get_data(as_text=True)

    assert ">Bo<" in page and ">Cy<" not in page


def test_saving_nothing_or_nonsense_changes_nothing(client, afterwards):
    client.login("ana@example.org")

    empty = client.submit(met_path(afterwards), {})
    nonsense = client.submit(met_path(afterwards), {"met": ["bo"]})
    stranger = client.submit(met_path(afterwards), {"met": [afterwards.organizer.id]})

    assert empty.status_code == nonsense.status_code == stranger.status_code == 422
    assert "Tick the people you met, then save." in empty.get_data(as_text=True)
    assert "Tick people from the list" in nonsense.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(MetTick)) == 0


def test_the_page_is_for_people_who_went_once_the_event_is_over(client, afterwards):
    create_membership(afterwards.community, create_user(email="stay@example.org", name="Stay Home"))
    client.login("stay@example.org")
    page = client.get(met_path(afterwards))
    assert "This page is for the people who went to Product roundtable." in page.get_data(as_text=True)
    assert 'name="met"' not in page.get_data(as_text=True)
    assert client.submit(met_path(afterwards), {"met": [afterwards.bo.id]}).status_code == 403

    upcoming = create_event(
        afterwards.community, afterwards.organizer, kind=EventKind.ROUNDTABLE, title="Next one"
    )
    create_rsvp(upcoming, afterwards.ana)
    client.logout()
    client.login("ana@example.org")
    soon = client.get(f"/c/northfield/events/{upcoming.id}/met").get_data(as_text=True)
    assert "Come back after the event" in soon


def test_visitors_log_in_first_and_outsiders_of_a_members_only_event_get_404(client, afterwards):
    visitor = client.get(met_path(afterwards))
    assert visitor.status_code == 302 and "/login" in visitor.headers["Location"]

    afterwards.event.visibility = EventVisibility.MEMBERS
    db.session.commit()
    create_user(email="out@example.org", name="Otto Outsider")
    client.login("out@example.org")
    assert client.get(met_path(afterwards)).status_code == 403  # "join the community to see it"
    assert client.get("/c/northfield/events/999999/met").status_code == 404


# -- unsubscribing -----------------------------------------------------------------------------


def _unsubscribe_path(app, afterwards) -> str:
    run(app)
    return link_in(followup_emails("bo@example.org")[0], "/introductions/unsubscribe/")


def test_unsubscribing_works_without_logging_in_and_at_once(app, client, afterwards):
    path = _unsubscribe_path(app, afterwards)

    asked = client.get(path)
    assert asked.status_code == 200
    assert "Stop these emails?" in asked.get_data(as_text=True)
    assert followup.wants_followups(afterwards.bo)  # looking changes nothing (mail scanners)

    done = client.submit(path, {"action": "unsubscribe"})
    assert "You're unsubscribed" in done.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(EmailPreference, afterwards.bo.id).followups is False

    later = past_event(afterwards.community, afterwards.organizer, title="Second roundtable")
    for person in (afterwards.ana, afterwards.bo):
        create_rsvp(later, person)
    run(app)
    assert [m.subject for m in followup_emails("bo@example.org")] == [
        "Who did you meet at Product roundtable?"
    ]
    assert len(followup_emails("ana@example.org")) == 2


def test_unsubscribing_while_logged_in_as_someone_else_unsubscribes_the_emails_owner(app, client, afterwards):
    path = _unsubscribe_path(app, afterwards)
    client.login("ana@example.org")

    client.submit(path, {"action": "unsubscribe"})

    assert not followup.wants_followups(afterwards.bo)
    assert followup.wants_followups(afterwards.ana)


def test_subscribing_again(app, client, afterwards):
    path = _unsubscribe_path(app, afterwards)
    client.submit(path, {"action": "unsubscribe"})

    again = client.submit(path, {"action": "subscribe"})

    assert "You're subscribed again" in again.get_data(as_text=True)
    db.session.expire_all()
    assert followup.wants_followups(afterwards.bo)


def test_a_bad_unsubscribe_link_says_so_and_changes_nothing(app, client, afterwards):
    path = _unsubscribe_path(app, afterwards)

    for broken in (path[:-5], "/introductions/unsubscribe/nonsense"):
        answer = client.get(broken)
        posted = client.submit(broken, {"action": "unsubscribe"})
        assert answer.status_code == posted.status_code == 400
        assert "This unsubscribe link doesn&#39;t work" in answer.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(EmailPreference)) == 0


def test_a_link_of_a_deleted_account_does_not_work(app, client, afterwards):
    path = _unsubscribe_path(app, afterwards)
    afterwards.bo.deleted_at = utcnow()
    db.session.commit()

    assert client.get(path).status_code == 400


def test_the_page_takes_a_fixed_number_of_queries_for_few_or_many(client, afterwards, count_queries):
    client.login("ana@example.org")

    def queries() -> int:
        with count_queries() as statements:
            assert client.get(met_path(afterwards)).status_code == 200
        return len(statements)

    few = queries()
    for n in range(30):
        person = create_user(name=f"Guest {n}")
        create_membership(afterwards.community, person, role=Role.MEMBER)
        create_rsvp(afterwards.event, person)
        connections.tick(afterwards.event, afterwards.ana, [person])
    _accepted_introduction(afterwards, afterwards.ana, afterwards.bo)
    db.session.commit()

    assert queries() == few
