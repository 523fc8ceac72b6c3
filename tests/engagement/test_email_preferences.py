"""Account → Email preferences: every kind of email with its switch and the digest's frequency,
in one place, linked from the account page; the switches are the ones the emails' links use."""

from __future__ import annotations

from community.core.mail import unsubscribe
from community.engagement import digests
from community.engagement.models import DigestFrequency
from community.extensions import db
from community.introductions.followup import wants_followups


def test_the_account_page_links_to_email_preferences(app, logged_in):
    page = logged_in.get("/account").get_data(as_text=True)
    assert "Email preferences" in page and 'href="/account/email-preferences"' in page
    assert "Digest: Off." in page


def test_the_page_lists_every_kind_switched_on_and_the_digest_off(app, logged_in):
    page = logged_in.get("/account/email-preferences").get_data(as_text=True)
    for label in ("Event reminders", "“Who did you meet?”"):
        assert label in page
    assert 'value="reminders" checked' in page and 'value="follow-ups" checked' in page
    assert 'value="off" checked' in page


def test_saving_switches_each_kind_and_sets_the_digest(app, logged_in, user):
    answer = logged_in.submit("/account/email-preferences", {"wanted": ["follow-ups"], "digest": "monthly"})
    assert answer.status_code == 302
    page = logged_in.get("/account/email-preferences").get_data(as_text=True)
    assert "Saved. Your email preferences apply from the next email." in page
    db.session.expire_all()
    assert not unsubscribe.wants(user.id, "reminders")
    assert wants_followups(user) is True
    assert digests.frequency_of(user.id) == DigestFrequency.MONTHLY
    assert 'value="monthly" checked' in page and 'value="reminders" checked' not in page
    # And back: everything on, digest off.
    logged_in.submit("/account/email-preferences", {"wanted": ["reminders", "follow-ups"], "digest": "off"})
    db.session.expire_all()
    assert unsubscribe.wants(user.id, "reminders")
    assert digests.frequency_of(user.id) == DigestFrequency.OFF


def test_an_unknown_kind_or_frequency_is_refused(app, logged_in, user):
    answer = logged_in.submit("/account/email-preferences", {"wanted": ["newsletters"], "digest": "daily"})
    assert answer.status_code == 422
    db.session.expire_all()
    assert unsubscribe.wants(user.id, "reminders") and digests.frequency_of(user.id) == DigestFrequency.OFF


def test_the_page_needs_a_login(app, client):
    answer = client.get("/account/email-preferences")
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]
