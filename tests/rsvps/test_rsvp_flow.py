"""RSVPing on the event page: going, can't go, waitlist, guests, questions, emails, and
signing in (or up) in the middle of it without losing the answers."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from community.auth.models import User
from community.core.models import utcnow
from community.events.models import EventVisibility
from community.events.services import Question, cancel_event
from community.extensions import db
from community.rsvps.models import RSVP, RSVPStatus
from community.rsvps.services import respond
from tests.conftest import link_in, outbox_messages
from tests.events.page_helpers import member, page_url, text_of
from tests.factories import create_user


def rsvp_url(event) -> str:
    return page_url(event) + "/rsvp"


def rsvp_row(event, user) -> RSVP | None:
    db.session.expire_all()
    return db.session.scalar(select(RSVP).where(RSVP.event_id == event.id, RSVP.user_id == user.id))


def test_saying_going_confirms_by_email(client, community, published_event):
    event = published_event(capacity=10)
    person = member(community, "Gia Going")
    client.login(person.email)
    response = client.submit(rsvp_url(event), {"response": "going", "listed": "y"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/c/northfield/events/{event.id}#rsvp")
    assert rsvp_row(event, person).status == RSVPStatus.GOING
    [mail] = outbox_messages(kind="events.rsvp-going", to=person.email)
    assert mail.subject == "You're going to Class of 2016 reunion"
    assert f'href="http://localhost/c/northfield/events/{event.id}"' in mail.body_html
    assert "You&#39;re going" in mail.body_html and "You're going" in mail.body_text
    page = text_of(client.get(page_url(event)).get_data(as_text=True))
    assert "You're going! We've emailed you the details." in page
    assert "9 seats left" in page


def test_pressing_going_again_sends_no_second_email(client, community, published_event):
    event = published_event()
    person = member(community)
    client.login(person.email)
    client.submit(rsvp_url(event), {"response": "going", "listed": "y"})
    client.submit(rsvp_url(event), {"response": "going", "listed": "y"})
    assert len(outbox_messages(kind="events.rsvp-going")) == 1
    assert "Your RSVP is updated." in text_of(client.get(page_url(event)).get_data(as_text=True))


def test_cant_go(client, community, published_event):
    event = published_event()
    person = member(community)
    client.login(person.email)
    client.submit(rsvp_url(event), {"response": "not_going"})
    assert rsvp_row(event, person).status == RSVPStatus.NOT_GOING
    assert (
        outbox_messages(kind="events.rsvp-not_going")[0].subject
        == "You're not going to Class of 2016 reunion"
    )
    assert "You said you can't go" in text_of(client.get(page_url(event)).get_data(as_text=True))


def test_a_full_event_puts_people_on_the_waitlist(client, community, published_event):
    event = published_event(capacity=1)
    respond(event, create_user(), going=True)
    db.session.commit()
    person = member(community)
    client.login(person.email)
    client.submit(rsvp_url(event), {"response": "going", "listed": "y"})
    assert rsvp_row(event, person).status == RSVPStatus.WAITLISTED
    assert outbox_messages(kind="events.rsvp-waitlisted")[0].subject == (
        "You're on the waitlist for Class of 2016 reunion"
    )
    assert "You're number 1 on the waitlist" in text_of(client.get(page_url(event)).get_data(as_text=True))


def test_cancelling_promotes_the_first_on_the_waitlist_and_emails_them(client, community, published_event):
    event = published_event(capacity=1)
    going, waiting = member(community, "Gia Going"), member(community, "Wes Waiting")
    respond(event, going, going=True)
    respond(event, waiting, going=True)
    db.session.commit()
    client.login(going.email)
    client.submit(rsvp_url(event), {"response": "not_going"})
    assert rsvp_row(event, waiting).status == RSVPStatus.GOING
    [mail] = outbox_messages(kind="events.promoted", to=waiting.email)
    assert mail.subject == "A seat opened up: you're going to Class of 2016 reunion"


def test_changing_the_number_of_guests(client, community, published_event):
    event = published_event(capacity=5, guests_allowed=2)
    person = member(community)
    client.login(person.email)
    client.submit(rsvp_url(event), {"response": "going", "guests": "1", "listed": "y"})
    assert rsvp_row(event, person).guests == 1
    assert "You're going with 1 guest" in text_of(client.get(page_url(event)).get_data(as_text=True))
    client.submit(rsvp_url(event), {"response": "going", "guests": "2", "listed": "y"})
    assert rsvp_row(event, person).guests == 2
    assert "2 seats left" in text_of(client.get(page_url(event)).get_data(as_text=True))
    assert len(outbox_messages(kind="events.rsvp-going")) == 1


def test_too_many_guests_is_refused(client, community, published_event):
    event = published_event(guests_allowed=1)
    client.login(member(community).email)
    response = client.submit(rsvp_url(event), {"response": "going", "guests": "3", "listed": "y"})
    assert response.status_code == 422
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert db.session.scalar(select(RSVP)) is None


def test_required_answers(client, community, published_event):
    event = published_event(
        questions=(
            Question("Dietary needs?", required=True),
            Question("Which track?", kind="choice", choices=("Data", "Design"), required=True),
            Question("Staying for dinner?", kind="yes_no", required=True),
            Question("Anything else?"),
        )
    )
    person = member(community)
    client.login(person.email)
    response = client.submit(rsvp_url(event), {"response": "going", "listed": "y"})
    assert response.status_code == 422
    page = text_of(response.get_data(as_text=True))
    assert "Please answer: Dietary needs?" in page
    assert "Please answer: Which track?" in page
    assert "Please answer: Staying for dinner?" in page
    assert "Please answer: Anything else?" not in page
    assert rsvp_row(event, person) is None

    q = {question.label: question.id for question in event.questions}
    response = client.submit(
        rsvp_url(event),
        {
            "response": "going",
            "listed": "y",
            f"q_{q['Dietary needs?']}": "Vegetarian",
            f"q_{q['Which track?']}": "Design",
            f"q_{q['Staying for dinner?']}": "yes",
        },
    )
    assert response.status_code == 302
    assert rsvp_row(event, person).answers == {
        str(q["Dietary needs?"]): "Vegetarian",
        str(q["Which track?"]): "Design",
        str(q["Staying for dinner?"]): "yes",
    }


def test_saying_cant_go_needs_no_answers(client, community, published_event):
    event = published_event(questions=(Question("Dietary needs?", required=True),))
    person = member(community)
    client.login(person.email)
    assert client.submit(rsvp_url(event), {"response": "not_going"}).status_code == 302
    assert rsvp_row(event, person).status == RSVPStatus.NOT_GOING


def test_after_the_deadline_nothing_changes(client, community, published_event):
    event = published_event()
    event.rsvp_deadline = utcnow() - timedelta(hours=1)
    db.session.commit()
    person = member(community)
    client.login(person.email)
    page = text_of(client.get(page_url(event)).get_data(as_text=True))
    assert "RSVPs closed on" in page
    response = client.submit(rsvp_url(event), {"response": "going", "listed": "y"})
    assert response.status_code == 422
    assert "RSVPs for this event closed at the deadline." in text_of(response.get_data(as_text=True))
    assert rsvp_row(event, person) is None


def test_a_cancelled_event_refuses_rsvps(client, community, organizer, published_event):
    event = published_event()
    cancel_event(event, organizer, reason="Snow.")
    db.session.commit()
    person = member(community)
    client.login(person.email)
    response = client.submit(rsvp_url(event), {"response": "going", "listed": "y"})
    assert response.status_code == 422
    assert "This event is cancelled." in text_of(response.get_data(as_text=True))
    assert rsvp_row(event, person) is None


def test_members_only_events_refuse_outsiders(client, community, published_event):
    event = published_event(visibility=EventVisibility.MEMBERS)
    client.login(create_user().email)
    # The event's page would tell them to join (tests/events/test_login_prompts.py).
    assert client.submit(rsvp_url(event), {"response": "going", "listed": "y"}).status_code == 403
    assert db.session.scalar(select(RSVP)) is None


def test_an_outsider_may_rsvp_to_a_public_event(client, published_event):
    event = published_event()
    outsider = create_user()
    client.login(outsider.email)
    assert client.submit(rsvp_url(event), {"response": "going", "listed": "y"}).status_code == 302
    assert rsvp_row(event, outsider).status == RSVPStatus.GOING


def test_no_rsvp_on_get_and_csrf_is_required(client, community, published_event):
    event = published_event()
    client.login(member(community).email)
    on_get = client.get(rsvp_url(event))  # a visitor's RSVP page; signed in, back to the event
    assert on_get.status_code == 302 and on_get.headers["Location"].endswith(f"/events/{event.id}#rsvp")
    assert client.post(rsvp_url(event), data={"response": "going"}).status_code == 400
    assert db.session.scalar(select(RSVP)) is None


def test_signing_up_in_the_middle_of_an_rsvp_keeps_it(client, community, published_event):
    event = published_event(guests_allowed=2, questions=(Question("Dietary needs?", required=True),))
    question_id = event.questions[0].id
    # A visitor answers, and is asked to log in; nothing is saved yet.
    response = client.submit(
        rsvp_url(event), {"response": "going", "guests": "1", f"q_{question_id}": "Vegan"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/login?next=/c/northfield/events/{event.id}"
    assert db.session.scalar(select(RSVP)) is None
    login_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Log in or create an account to finish your RSVP. We&#39;ve kept your answers." in login_page
    assert f'href="/signup?next=/c/northfield/events/{event.id}"' in login_page

    # They sign up instead, and confirm their address from the email.
    signup = client.submit(
        f"/signup?next=/c/northfield/events/{event.id}",
        {
            "name": "Nia New",
            "email": "nia@example.org",
            "password": "a long enough password",
            "confirm": "a long enough password",
        },
    )
    assert signup.status_code == 200, text_of(signup.get_data(as_text=True))
    [mail] = outbox_messages(kind="auth.verify-email")
    landed = client.get(link_in(mail, "/verify/"))
    assert landed.status_code == 302
    assert landed.headers["Location"] == f"/c/northfield/events/{event.id}"

    # Back on the event: the kept answers, one click to confirm. Still nothing saved.
    page = client.get(landed.headers["Location"]).get_data(as_text=True)
    assert "Confirm your RSVP" in page
    assert 'value="Vegan"' in page
    assert '<option selected value="1">+1</option>' in page
    assert db.session.scalar(select(RSVP)) is None

    nia = db.session.scalar(select(User).where(User.email == "nia@example.org"))
    done = client.submit(
        rsvp_url(event), {"response": "going", "guests": "1", "listed": "y", f"q_{question_id}": "Vegan"}
    )
    assert done.status_code == 302
    row = rsvp_row(event, nia)
    assert (row.status, row.guests, row.answers) == (RSVPStatus.GOING, 1, {str(question_id): "Vegan"})
    assert outbox_messages(kind="events.rsvp-going", to="nia@example.org")
    assert "Confirm your RSVP" not in client.get(page_url(event)).get_data(as_text=True)


def test_a_kept_rsvp_can_be_forgotten(client, community, published_event):
    event = published_event()
    person = member(community)
    client.submit(rsvp_url(event), {"response": "going", "listed": "y"})
    client.login(person.email)
    assert "Confirm your RSVP" in client.get(page_url(event)).get_data(as_text=True)
    client.submit(page_url(event) + "/rsvp/forget")
    assert "Confirm your RSVP" not in client.get(page_url(event)).get_data(as_text=True)
    assert rsvp_row(event, person) is None
