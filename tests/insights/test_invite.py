""" "Invite to <next event>" on the Drifting away list: one email per member per event, through the
outbox, organizers only, and what the list says afterwards."""

from __future__ import annotations

import re
import threading
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from community.auth.models import User
from community.communities.models import Community
from community.core.audit import AuditEntry, sentence
from community.core.errors import DomainError
from community.core.mail import unsubscribe
from community.events.models import EventStatus
from community.extensions import db
from community.insights.models import DriftInvitation
from community.insights.services import invite_back
from community.rsvps.models import RSVPStatus
from tests.conftest import link_in, outbox_messages
from tests.factories import create_user

PAGE = "/c/northfield/manage/insights"
KIND = "insights.drift-invitation"
ZONE = ZoneInfo("America/New_York")


def _day(moment: datetime, fmt: str = "%-d %b %Y") -> str:
    """A date as the page and the email give it: in the community's zone."""
    return moment.astimezone(ZONE).strftime(fmt)


def _drifting(history):
    """Dana came to two events 8 and 10 months ago and none since; Ray came to the same two and
    one 2 months ago (he came back). The next event is "Spring roundtable", in 20 days at 18:30 in
    the community's zone (New York; the event's own zone is UTC)."""
    h = history
    h.community.timezone = "America/New_York"
    dana = h.member("Dana Drift", cohort="Class of 2012")
    ray = h.member("Ray Return")
    older = h.event("Autumn talk", h.ago(10))
    last = h.event("Winter supper", h.ago(8))
    recent = h.event("Summer picnic", h.ago(2))
    h.rsvp(older, dana, ray, checked_in=True)
    h.rsvp(last, dana, ray, checked_in=True)
    h.rsvp(recent, ray, checked_in=True)
    at = datetime.combine((h.now + timedelta(days=20)).date(), time(18, 30), ZONE)
    upcoming = h.event(
        "Spring roundtable", at, venue_name="Members' room", address="1 College Green, Northfield"
    )
    return dana, ray, last, upcoming


def _invite_url(user) -> str:
    return f"{PAGE}/drifting/{user.id}/invite?period=24"


def _invitations() -> int:
    return db.session.scalar(select(func.count()).select_from(DriftInvitation))


def test_the_invitation_email_names_the_event_and_the_list_then_says_who_was_invited(client, history):
    dana, ray, last, upcoming = _drifting(history)
    client.login(history.organizer.email)
    page = client.get(PAGE).get_data(as_text=True)
    assert '<th scope="row">Dana Drift</th>' in page and "Ray Return" not in page  # Ray came back
    assert ">Invite to Spring roundtable</th>" in page  # the column, a button in Dana's row
    assert page.count('Invite<span class="visually-hidden"> Dana Drift to Spring roundtable</span>') == 1

    answer = client.submit(_invite_url(dana), {"event_id": upcoming.id}, follow_redirects=True)

    shown = answer.get_data(as_text=True)
    assert answer.request.path == PAGE and 'value="24" selected' in shown  # back where they were
    assert "Invited Dana Drift to Spring roundtable: the email is on its way." in shown
    assert f"Invited to Spring roundtable on {_day(history.now)}" in shown
    assert 'Invite<span class="visually-hidden"> Dana Drift' not in shown
    (message,) = outbox_messages(kind=KIND)
    assert message.to_address == "dana.drift@example.org"
    assert message.subject == "You're invited: Spring roundtable · Northfield Alumni"
    text = message.body_text
    assert text.startswith("Hello Dana Drift,\n\nWe haven't seen you at Northfield Alumni for a while")
    assert f"the last event you came to was Winter supper, on {_day(last.starts_at, '%-d %B %Y')}." in text
    assert "Oscar Organizer, one of its organizers, would love to see you at the next one" in text
    when = f"{_day(upcoming.starts_at, '%A %-d %B %Y')}, 18:30–21:30 (America/New_York)"
    assert f"Spring roundtable\n{when}\nMembers' room, 1 College Green, Northfield\n" in text
    assert link_in(message, "/events/") == f"/c/northfield/events/{upcoming.id}"
    assert "Stop these emails (no login needed)" in text
    assert "Members&#39; room, 1 College Green" in message.body_html and when in message.body_html
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "insights.drift_invited"))
    assert sentence(entry, "America/New_York").startswith(
        "Oscar Organizer invited Dana Drift back, to “Spring roundtable” at "
    )


def test_a_second_click_sends_nothing_and_says_so(client, history):
    dana, _, _, upcoming = _drifting(history)
    client.login(history.owner.email)
    client.submit(_invite_url(dana), {"event_id": upcoming.id})

    again = client.submit(_invite_url(dana), {"event_id": upcoming.id}, follow_redirects=True)

    today = _day(history.now, "%-d %B %Y")
    assert (
        f"Dana Drift was already invited to Spring roundtable on {today}, so nothing more was sent."
        in again.get_data(as_text=True)
    )
    assert len(outbox_messages(kind=KIND)) == 1 and _invitations() == 1
    audit = select(func.count()).where(AuditEntry.action == "insights.drift_invited")
    assert db.session.scalar(audit) == 1


def test_a_member_who_came_back_is_not_invited(client, history):
    _, ray, _, upcoming = _drifting(history)
    client.login(history.organizer.email)

    answer = client.submit(_invite_url(ray), {"event_id": upcoming.id}, follow_redirects=True)

    assert "That member is not drifting away any more" in answer.get_data(as_text=True)
    assert outbox_messages(kind=KIND) == [] and _invitations() == 0


def test_someone_going_already_or_who_switched_these_emails_off_gets_nothing(client, history):
    dana, _, _, upcoming = _drifting(history)
    colin = history.member("Colin Quiet")
    for months in (9, 11):
        history.rsvp(history.event(f"Talk {months}", history.ago(months)), colin, checked_in=True)
    unsubscribe.set_wanted(colin.id, "invitations-back", False)
    history.rsvp(upcoming, dana, status=RSVPStatus.GOING)
    db.session.commit()
    client.login(history.organizer.email)
    page = client.get(PAGE).get_data(as_text=True)
    assert "Going to Spring roundtable" in page

    going = client.submit(_invite_url(dana), {"event_id": upcoming.id}, follow_redirects=True)
    quiet = client.submit(_invite_url(colin), {"event_id": upcoming.id}, follow_redirects=True)

    assert "Dana Drift is already going to Spring roundtable, so nothing was sent." in going.get_data(
        as_text=True
    )
    assert "Colin Quiet has switched off invitations from organizers, so nothing was sent." in quiet.get_data(
        as_text=True
    )
    assert outbox_messages(kind=KIND) == [] and _invitations() == 0


def test_without_an_upcoming_event_there_is_no_button_but_a_way_to_plan_one(client, history):
    dana, _, last, upcoming = _drifting(history)
    upcoming.status = EventStatus.CANCELLED
    db.session.commit()
    client.login(history.organizer.email)

    page = client.get(PAGE).get_data(as_text=True)
    assert "No upcoming event to invite them to yet." in page
    assert 'href="/c/northfield/manage/events/new">Plan the next event</a>' in page
    assert "Invite" not in page and '<th scope="row">Dana Drift</th>' in page
    for event in (upcoming, last):  # cancelled, or past
        answer = client.submit(_invite_url(dana), {"event_id": event.id}, follow_redirects=True)
        assert "That event has started, was cancelled or is not one of this community" in answer.get_data(
            as_text=True
        )
    nonsense = client.submit(_invite_url(dana), {"event_id": "soon"}, follow_redirects=True)
    assert nonsense.status_code == 200 and "Nothing was sent: reload the page" in nonsense.get_data(
        as_text=True
    )
    assert outbox_messages(kind=KIND) == [] and _invitations() == 0


def test_only_organizers_may_invite_and_a_post_needs_its_csrf_token(client, history):
    dana, ray, _, upcoming = _drifting(history)
    url = _invite_url(dana)
    visitor = client.post(url, data={"event_id": upcoming.id})
    assert visitor.status_code == 400  # no CSRF token: refused before anything else
    assert client.submit(url, {"event_id": upcoming.id}).headers["Location"].startswith("/login")
    client.login(ray.email)
    assert client.submit(url, {"event_id": upcoming.id}).status_code == 403
    client.logout()
    client.login(create_user(email="stranger@example.org").email)
    assert client.submit(url, {"event_id": upcoming.id}).status_code == 404
    client.logout()
    client.login(history.organizer.email)
    forged = client.post(url, data={"event_id": upcoming.id})
    assert forged.status_code == 400 and "The form had expired" in forged.get_data(as_text=True)
    assert re.search(r'name="csrf_token"', client.get(PAGE).get_data(as_text=True))
    assert outbox_messages(kind=KIND) == [] and _invitations() == 0


def test_two_organizers_clicking_at_once_send_one_email(app, history):
    """Two requests at the same moment: the unique row decides in a savepoint, so one email goes
    and the other organizer is told it was already sent (each thread has its own session)."""
    dana, _, _, upcoming = _drifting(history)
    community_id, organizers = history.community.id, [history.owner.id, history.organizer.id]
    dana_id, event_id, now = dana.id, upcoming.id, history.now
    db.session.remove()  # the test's own session holds no transaction while the threads run
    together, outcomes = threading.Barrier(2), []

    def click(organizer_id: int) -> None:
        with app.test_request_context():
            organizer = db.session.get(User, organizer_id)
            community = db.session.get(Community, community_id)
            together.wait()
            try:
                invite_back(community, organizer, dana_id, event_id, now)
                db.session.commit()
                outcomes.append("sent")
            except DomainError as error:
                db.session.rollback()
                outcomes.append(error.message)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=click, args=(organizer_id,)) for organizer_id in organizers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert (
        sorted(outcomes)[-1] == "sent" and "was already invited to Spring roundtable" in sorted(outcomes)[0]
    )
    assert len(outbox_messages(kind=KIND)) == 1 and _invitations() == 1
