"""The admin page's failed emails: what went wrong, and retrying them, for site admins only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import insert

from community.core.mail.delivery import deliver_due
from community.core.mail.models import OutboxMessage, OutboxStatus
from community.core.mail.services import queue_email
from community.core.models import utcnow
from community.extensions import db
from tests.conftest import outbox_messages
from tests.factories import create_outbox_message, create_user
from tests.mail_server import Inbox, free_port, start_smtp


@pytest.fixture
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def app_settings():
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_USE_TLS": False, "MAIL_TIMEOUT": 2.0, "MAIL_MAX_ATTEMPTS": 1}


@pytest.fixture
def app(app, smtp_port):
    """The shared app, sending to this test's own SMTP port (the setting is restored after)."""
    app.config["MAIL_PORT"] = smtp_port
    return app


@pytest.fixture
def admin(db):
    return create_user(email="ada@example.org", name="Ada Admin", admin=True)


def failed_row(**fields) -> OutboxMessage:
    failed = dict(
        status=OutboxStatus.FAILED,
        attempts=1,
        last_error="ValueError: only text attachments are supported, not 'application/pdf'",
    )
    return create_outbox_message(**{**failed, **fields})


def failed_for_real() -> OutboxMessage:
    """A reset email that failed the honest way: the SMTP server was down (and one try is all)."""
    queue_email(
        to="guest@example.org", subject="Reset your password", template="auth/email_taken", kind="auth.reset"
    )
    db.session.commit()
    assert len(deliver_due().failed) == 1
    [row] = outbox_messages()
    return row


def row_state(row_id: int) -> tuple:
    row = {m.id: m for m in outbox_messages()}[row_id]
    return row.status, row.attempts, row.last_error, row.next_attempt_at


def test_a_failed_email_is_listed_with_its_error_escaped(client, admin):
    failed_row(
        to_address="amara@example.org",
        subject="<b>Welcome</b> to Quiet Club",
        kind="communities.request-approved",
        attempts=3,
        last_error="SMTPDataError: (554, b'<script>alert(1)</script> rejected')",
    )
    client.login(admin.email)

    page = client.get("/admin/").get_data(as_text=True)

    assert "<caption" in page and "Failed emails, newest first" in page
    assert "amara@example.org" in page
    assert "&lt;b&gt;Welcome&lt;/b&gt; to Quiet Club" in page
    assert "<code>communities.request-approved</code>" in page
    assert '<td data-label="Attempts">3</td>' in page
    assert "(554, b&#39;&lt;script&gt;alert(1)&lt;/script&gt; rejected&#39;)" in page
    assert "<script>alert" not in page
    assert 'Retry<span class="visually-hidden"> the email to amara@example.org</span>' in page
    assert "Retry all" not in page  # one failed email: its own Retry button is enough


def test_retry_puts_it_back_in_the_queue_and_the_next_run_sends_it(client, admin, smtp_port):
    row = failed_for_real()
    assert "ConnectionRefusedError" in row.last_error
    client.login(admin.email)

    response = client.submit(f"/admin/mail/{row.id}/retry", follow_redirects=True)

    page = response.get_data(as_text=True)
    assert response.request.path == "/admin/"
    assert "The email is back in the queue" in page
    assert "No failed messages." in page
    status, attempts, _, next_attempt_at = row_state(row.id)
    assert (status, attempts) == (OutboxStatus.PENDING, 0)
    assert next_attempt_at <= utcnow()
    inbox = Inbox()
    controller = start_smtp(inbox, smtp_port)
    try:
        report = deliver_due()
    finally:
        controller.stop()
    assert report.sent == [row.id]
    assert [m["Subject"] for m in inbox.received] == ["Reset your password"]
    assert row_state(row.id)[:3] == (OutboxStatus.SENT, 1, None)


def test_retry_all_failed(client, admin):
    first, second = failed_row(), failed_row(to_address="other@example.org")
    sent = failed_row(status=OutboxStatus.SENT, last_error=None)
    client.login(admin.email)

    page = client.submit("/admin/mail/retry-all", follow_redirects=True).get_data(as_text=True)

    assert "2 emails are back in the queue for the outbox worker&#39;s next run." in page
    assert [row_state(r.id)[:2] for r in (first, second, sent)] == [
        (OutboxStatus.PENDING, 0),
        (OutboxStatus.PENDING, 0),
        (OutboxStatus.SENT, 1),
    ]
    again = client.submit("/admin/mail/retry-all", follow_redirects=True).get_data(as_text=True)
    assert "No failed emails to retry." in again


def test_retrying_an_email_that_is_no_longer_failed_says_so(client, admin):
    row = failed_row(status=OutboxStatus.SENT, last_error=None)
    before = row_state(row.id)
    client.login(admin.email)

    page = client.submit(f"/admin/mail/{row.id}/retry", follow_redirects=True).get_data(as_text=True)

    assert "That email is not waiting for a retry" in page
    assert row_state(row.id) == before
    unknown = client.submit("/admin/mail/999999/retry")
    assert unknown.status_code == 302
    assert unknown.headers["Location"] == "/admin/"


@pytest.mark.parametrize("who", ["visitor", "member", "unconfirmed"])
def test_only_site_admins_can_retry(client, db, who):
    row = failed_row()
    before = row_state(row.id)
    if who != "visitor":
        client.login(create_user(verified=who == "member").email)

    assert client.submit(f"/admin/mail/{row.id}/retry").status_code == 404
    assert client.submit("/admin/mail/retry-all").status_code == 404
    assert row_state(row.id) == before


def test_a_retry_without_the_csrf_token_is_refused(client, admin):
    row = failed_row()
    before = row_state(row.id)
    client.login(admin.email)

    response = client.post(f"/admin/mail/{row.id}/retry")
    assert response.status_code == 400
    assert "The form had expired or came from another site" in response.get_data(as_text=True)
    assert client.post("/admin/mail/retry-all").status_code == 400
    assert row_state(row.id) == before


def test_many_failures_show_the_newest_fifty_and_count_the_rest(client, admin):
    now = utcnow()
    db.session.execute(
        insert(OutboxMessage),
        [
            dict(
                message_id=f"<{number}@example.org>",
                to_address=f"person{number}@example.org",
                subject=f"Mail {number}",
                body_text="Hello.",
                attachments=[],
                kind="test.bulk",
                status=OutboxStatus.FAILED,
                attempts=8,
                next_attempt_at=now,
                created_at=now - timedelta(minutes=100 - number),
                last_error="TimeoutError: timed out",
            )
            for number in range(1, 53)
        ],
    )
    db.session.commit()
    client.login(admin.email)

    page = client.get("/admin/").get_data(as_text=True)

    assert page.count("person") == 50 * 2  # the cell and the button's hidden label
    assert "person52@example.org" in page and "person3@example.org" in page
    assert "person2@example.org" not in page
    assert "Showing the 50 newest; 2 more failed emails are not listed." in page
    assert "Retry all 52 failed emails" in page


def test_no_failures(client, admin):
    client.login(admin.email)
    page = client.get("/admin/").get_data(as_text=True)
    assert "No failed messages." in page
    assert "Retry all" not in page
