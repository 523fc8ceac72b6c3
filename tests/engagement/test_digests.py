"""Digest emails: what is in one (hand-computed), nothing new means no email, each period once,
the pause after a quiet year and the one-click resume, and the tracked links."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from community.core.models import utcnow
from community.engagement import digests
from community.engagement.cli import run_digests
from community.engagement.models import DigestFrequency, DigestSent
from community.extensions import db
from tests.conftest import link_in, outbox_messages
from tests.engagement.digest_world import WEEKLY, busy_fixture, digest_to, opt_in  # noqa: F401  (fixture)


def test_the_digest_holds_what_is_new_for_her(app, busy):
    c, roundtable, members = busy
    assert digests.send_digest(c.ana.id) == "sent"
    db.session.commit()
    [email] = digest_to("ana@example.org")
    text = email.body_text
    assert email.subject == "Your weekly digest"
    # Events her connections go to first (soonest first), then the others; never unlisted ones
    # or those more than two weeks away.
    events = [line for line in text.splitlines() if line.startswith(("Members'", "March", "Book"))]
    assert events[:3] == [
        f"Members' dinner, {c.community.name}, with Cy (new)",
        f"March roundtable, {c.community.name}, with Bo and 1 other (new)",
        f"Book club, {c.community.name} (new)",
    ]
    assert "Secret supper" not in text and "Summer party" not in text
    # New members who match, in the words of their profile as other members see it.
    assert (
        "Greta Guide joined" in text and "can help with pm career advice, which you are looking for" in text
    )
    assert "Ivo Investor joined" in text and "is looking for Fundraising, which you can help with" in text
    assert "Hank Hidden" not in text  # what he can help with is for nobody to see
    assert "Jo Nomatch" not in text
    # Fading connections: Dee (no contact for six months), not Bo or Cy.
    assert "Dee: no contact since" in text and "Bo: no contact" not in text
    assert "INTRODUCTIONS WAITING FOR YOUR ANSWER\n\nGreta Guide" in text
    assert "Attend events: 0 of 2 in" in text
    assert db.session.scalar(select(func.count()).select_from(DigestSent)) == 1


def test_links_in_the_digest_count_as_opening_it(app, client, busy):
    c, roundtable, _ = busy
    digests.send_digest(c.ana.id)
    db.session.commit()
    path = link_in(digest_to("ana@example.org")[0], f"next=/c/{c.community.slug}/events/{roundtable.id}")
    answer = client.get(path)
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith(f"/c/{c.community.slug}/events/{roundtable.id}")
    db.session.expire_all()
    assert digests.digest_settings(c.ana.id).opened_at is not None
    # A link may only lead somewhere on this site.
    elsewhere = client.get(path.split("?")[0] + "?next=https://evil.example.org/")
    assert elsewhere.headers["Location"] in ("/", "http://localhost/")


def test_nothing_new_since_her_last_visit_means_no_email_and_no_claim(app, circle):
    c = circle
    c.connect(c.ana, c.bo, utcnow() - timedelta(days=20))
    c.event((utcnow() + timedelta(days=3)).date(), c.bo, title="Book club")
    opt_in(c.ana, seen_days_ago=0)
    c.ana.last_seen_at = utcnow()  # she visited after the event was planned
    db.session.commit()
    assert digests.send_digest(c.ana.id) == "nothing-new"
    db.session.commit()
    assert digest_to("ana@example.org") == []
    assert db.session.scalar(select(func.count()).select_from(DigestSent)) == 0
    # News later in the week: that week's digest goes then.
    c.event((utcnow() + timedelta(days=4)).date(), title="Quiz night")
    assert digests.send_digest(c.ana.id) == "sent"
    db.session.commit()
    assert "Quiz night" in digest_to("ana@example.org")[0].body_text


def test_one_digest_per_period_however_often_cron_runs(app, busy):
    c, *_ = busy
    assert run_digests()["sent"] == 1
    db.session.commit()
    c.event((utcnow() + timedelta(days=10)).date(), title="Another one")
    assert run_digests() == {"already-sent": 1}
    assert len(digest_to("ana@example.org")) == 1
    # Next week is a new period.
    later = utcnow() + timedelta(days=7)
    assert digests.send_digest(c.ana.id, later) == "sent"


def test_periods_follow_her_time_zone():
    from datetime import UTC, datetime

    late_sunday_utc = datetime(2027, 1, 3, 23, 30, tzinfo=UTC)  # already Monday in Tokyo
    assert digests.period_key(late_sunday_utc, WEEKLY, "UTC") == "2026-W53"
    assert digests.period_key(late_sunday_utc, WEEKLY, "Asia/Tokyo") == "2027-W01"
    new_year = datetime(2026, 12, 31, 20, 0, tzinfo=UTC)
    assert digests.period_key(new_year, DigestFrequency.MONTHLY, "Europe/London") == "2026-12"
    assert digests.period_key(new_year, DigestFrequency.MONTHLY, "Pacific/Auckland") == "2027-01"


def test_off_and_nobody_opted_in_get_nothing(app, busy):
    c, *_ = busy
    digests.set_frequency(c.ana.id, DigestFrequency.OFF)
    db.session.commit()
    assert run_digests() == {}
    assert digest_to("ana@example.org") == []


def test_a_suspended_account_gets_no_digest(app, busy):
    c, *_ = busy
    c.ana.suspended_at = utcnow()
    db.session.commit()
    assert run_digests() == {}
    assert digest_to("ana@example.org") == []


def test_a_quiet_year_pauses_digests_with_one_notice_and_one_click_resumes(app, client, busy):
    c, *_ = busy
    year_ago = utcnow() - timedelta(days=400)
    digests.digest_settings(c.ana.id).chosen_at = year_ago
    c.ana.last_seen_at = year_ago
    db.session.commit()
    assert run_digests() == {"paused": 1}
    assert run_digests() == {}  # paused: no digest, no second notice
    assert digest_to("ana@example.org") == []
    [notice] = outbox_messages(kind="engagement.digest-paused")
    assert notice.subject == "We paused your digest"
    path = link_in(notice, "/digests/resume/")
    page = client.get(path)  # logged out
    assert "Start them again?" in page.get_data(as_text=True)
    db.session.expire_all()
    assert digests.digest_settings(c.ana.id).paused_at is not None  # a GET changes nothing
    done = client.submit(path)
    assert "you'll get your weekly digest again" in done.get_data(as_text=True)
    db.session.expire_all()
    assert digests.digest_settings(c.ana.id).paused_at is None
    assert run_digests()["sent"] == 1


def test_a_broken_resume_link_says_so(app, client, busy):
    answer = client.get("/digests/resume/nonsense")
    assert answer.status_code == 400
    assert "This link doesn&#39;t work" in answer.get_data(as_text=True)


def test_the_unique_claim_lets_only_one_run_take_a_period(app, circle):
    """What a second run meets when it raced past the "already sent?" check: the insert fails
    inside its savepoint, nothing else of the transaction is lost, and no email goes."""
    now = utcnow()
    assert digests.claim(circle.ana.id, "2027-W09", now) is True
    assert digests.claim(circle.ana.id, "2027-W09", now) is False
    assert digests.claim(circle.bo.id, "2027-W09", now) is True
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(DigestSent)) == 2
