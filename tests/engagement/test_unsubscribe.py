"""Unsubscribing with an email's signed link, without logging in: the GET page asks, the POST
(the page's button, or a mail client's RFC 8058 one-click POST without a CSRF token) switches
that kind of email off at once; the List-Unsubscribe headers are on every non-transactional
email and on no transactional one; broken links get a clear page."""

from __future__ import annotations

from datetime import timedelta

import pytest

from community.auth.services import request_password_reset
from community.core.mail import unsubscribe
from community.core.mail.delivery import build_email
from community.core.models import utcnow
from community.engagement import digests
from community.engagement.models import DigestFrequency
from community.extensions import db
from community.introductions.followup import send_followups, wants_followups
from community.rsvps import notifications
from community.rsvps.models import RSVP
from community.rsvps.reminders import send_reminders
from tests.conftest import link_in, outbox_messages
from tests.engagement.digest_world import busy_fixture  # noqa: F401  (the fixture "busy")

ONE_CLICK = "List-Unsubscribe=One-Click"


def headers(message):
    email = build_email(message, "Roundtable <no-reply@example.org>")
    return email["List-Unsubscribe"], email["List-Unsubscribe-Post"]


def path_of(message) -> str:
    return link_in(message, "/unsubscribe/")


@pytest.fixture
def digest_email(app, busy):
    c, *_ = busy
    digests.send_digest(c.ana.id)
    db.session.commit()
    [message] = outbox_messages(kind="engagement.digest")
    return c, message


def test_the_digest_carries_the_link_and_both_headers(digest_email):
    c, message = digest_email
    path = path_of(message)
    unsubscribe_header, post_header = headers(message)
    assert unsubscribe_header == f"<http://localhost{path}>"
    assert post_header == ONE_CLICK
    assert "Stop these emails (no login needed):" in message.body_text
    assert f'href="http://localhost{path}"' in message.body_html if message.body_html else True


def test_the_link_asks_first_and_the_button_unsubscribes_at_once(app, client, digest_email):
    c, message = digest_email
    path = path_of(message)
    page = client.get(path)  # logged out
    text = page.get_data(as_text=True)
    assert (
        page.status_code == 200 and "Ana, you get “Digest” emails" in text and "Unsubscribe</button>" in text
    )
    assert digests.frequency_of(c.ana.id) == DigestFrequency.WEEKLY  # a GET (a mail scanner) changes nothing
    done = client.submit(path, {"action": "unsubscribe"})
    assert "You're unsubscribed" in done.get_data(as_text=True)
    db.session.expire_all()
    assert digests.frequency_of(c.ana.id) == DigestFrequency.OFF
    assert digests.send_digest(c.ana.id) == "off"
    again = client.submit(path, {"action": "subscribe"})
    assert "You're subscribed again" in again.get_data(as_text=True)
    db.session.expire_all()
    assert digests.frequency_of(c.ana.id) == DigestFrequency.WEEKLY


def test_the_rfc_8058_one_click_post_needs_no_csrf_token(app, client, digest_email):
    c, message = digest_email
    assert app.config.get("WTF_CSRF_ENABLED", True)
    answer = client.post(path_of(message), data=ONE_CLICK, content_type="application/x-www-form-urlencoded")
    assert answer.status_code == 200 and "You're unsubscribed" in answer.get_data(as_text=True)
    db.session.expire_all()
    assert digests.frequency_of(c.ana.id) == DigestFrequency.OFF


def test_subscribing_again_needs_the_pages_own_form(app, client, digest_email):
    c, message = digest_email
    client.post(path_of(message), data=ONE_CLICK, content_type="application/x-www-form-urlencoded")
    forged = client.post(path_of(message), data={"action": "subscribe"})  # no CSRF token
    assert forged.status_code == 422
    db.session.expire_all()
    assert digests.frequency_of(c.ana.id) == DigestFrequency.OFF


@pytest.mark.parametrize("broken", ["nonsense", "cut"])
def test_a_tampered_or_cut_link_says_so_and_changes_nothing(app, client, digest_email, broken):
    c, message = digest_email
    path = path_of(message)
    bad = "/unsubscribe/nonsense" if broken == "nonsense" else path[:-4]
    for answer in (
        client.get(bad),
        client.post(bad, data=ONE_CLICK, content_type="application/x-www-form-urlencoded"),
    ):
        assert answer.status_code == 400
        assert "This link doesn&#39;t work" in answer.get_data(as_text=True)
    db.session.expire_all()
    assert digests.frequency_of(c.ana.id) == DigestFrequency.WEEKLY


def test_a_signed_link_for_an_unknown_kind_or_person_is_refused(app, client, circle):
    for token in (
        unsubscribe.sign(unsubscribe.UNSUBSCRIBE_PURPOSE, {"u": circle.ana.id, "k": "newsletters"}),
        unsubscribe.sign(unsubscribe.UNSUBSCRIBE_PURPOSE, {"u": 99999, "k": "digests"}),
        unsubscribe.sign("digests.open", {"u": circle.ana.id, "k": "digests"}),  # another purpose
    ):
        answer = client.get(f"/unsubscribe/{token}")
        assert answer.status_code == 400 and "This link doesn&#39;t work" in answer.get_data(as_text=True)


def test_reminders_carry_the_headers_and_stop_at_once(app, client, circle):
    c = circle
    event = c.event((utcnow() + timedelta(days=1)).date(), c.ana, c.bo, title="Quiz night")
    now = event.starts_at - timedelta(hours=2)
    assert send_reminders(event.id, now) == 2
    db.session.commit()
    to_ana = outbox_messages(kind="events.reminder", to="ana@example.org")[0]
    assert headers(to_ana)[1] == ONE_CLICK
    client.post(path_of(to_ana), data=ONE_CLICK, content_type="application/x-www-form-urlencoded")
    db.session.expire_all()
    assert not unsubscribe.wants(c.ana.id, "reminders") and unsubscribe.wants(c.bo.id, "reminders")
    later = c.event((utcnow() + timedelta(days=3)).date(), c.ana, c.bo, title="Book club")
    assert send_reminders(later.id, later.starts_at - timedelta(hours=2)) == 1
    db.session.commit()
    assert [m.to_address for m in outbox_messages(kind="events.reminder") if "Book club" in m.subject] == [
        "bo@example.org"
    ]


def test_follow_ups_use_their_one_switch(app, client, circle):
    c = circle
    event = c.event((utcnow() - timedelta(days=2)).date(), c.ana, c.bo, title="Spring reunion")
    assert send_followups(event.id, event.ends_at + timedelta(hours=12)) == 2
    db.session.commit()
    to_ana = outbox_messages(kind="introductions.followup", to="ana@example.org")[0]
    assert headers(to_ana)[1] == ONE_CLICK
    one_click = headers(to_ana)[0].strip("<>").replace("http://localhost", "")
    client.post(one_click, data=ONE_CLICK, content_type="application/x-www-form-urlencoded")
    db.session.expire_all()
    assert wants_followups(c.ana) is False  # introductions' own preference, not a second switch
    assert not unsubscribe.wants(c.ana.id, "follow-ups")


def test_transactional_emails_have_no_unsubscribe_headers(app, circle):
    c = circle
    request_password_reset("ana@example.org")
    event = c.event((utcnow() + timedelta(days=5)).date(), c.ana, title="Quiz night")
    notifications.rsvp_confirmation(db.session.query(RSVP).filter_by(event_id=event.id).one())
    db.session.commit()
    for kind in ("auth.reset-password", "events.rsvp-going"):
        [message] = outbox_messages(kind=kind, to="ana@example.org")
        assert headers(message) == (None, None), kind
        assert "Stop these emails" not in message.body_text
