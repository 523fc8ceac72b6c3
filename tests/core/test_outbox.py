"""The outbox against a real SMTP server (aiosmtpd), including one that is down."""

from __future__ import annotations

import email
import socket
from datetime import timedelta
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope

from community.core.mail.delivery import deliver_due
from community.core.mail.models import OutboxStatus
from community.core.mail.services import Attachment, queue_email
from community.core.models import utcnow
from community.extensions import db
from tests.conftest import outbox_messages


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """An aiosmtpd handler that keeps what it receives, and can refuse the first tries."""

    def __init__(self, refuse_first: int = 0):
        self.received: list[email.message.EmailMessage] = []
        self.refuse_first = refuse_first

    async def handle_DATA(self, server, session, envelope: Envelope) -> str:
        if self.refuse_first > 0:
            self.refuse_first -= 1
            return "451 Requested action aborted: try again later"
        self.received.append(email.message_from_bytes(envelope.content, policy=default_policy))
        return "250 Message accepted for delivery"

    def message_ids(self) -> list[str]:
        return [m["Message-ID"] for m in self.received]


@pytest.fixture
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def app_settings(smtp_port):
    return {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp_port,
        "MAIL_USE_TLS": False,
        "MAIL_TIMEOUT": 2.0,
        "MAIL_MAX_ATTEMPTS": 3,
    }


def start_smtp(inbox: Inbox, port: int) -> Controller:
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    return controller


def queue(n: int) -> list[str]:
    ids = []
    for number in range(n):
        message = queue_email(
            to=f"person{number}@example.org",
            subject=f"Hello number {number}",
            template="auth/email_taken",
            kind="test.hello",
        )
        ids.append(message.message_id)
    db.session.commit()
    return ids


def test_delivers_each_message_once_over_smtp(app, smtp_port):
    ids = queue(3)
    inbox = Inbox()
    controller = start_smtp(inbox, smtp_port)
    try:
        report = deliver_due()
        again = deliver_due(now=utcnow() + timedelta(days=1))
    finally:
        controller.stop()

    assert len(report.sent) == 3
    assert again.sent == [] and again.retrying == []
    assert inbox.message_ids() == ids
    first = inbox.received[0]
    assert first["To"] == "person0@example.org"
    assert first["Subject"] == "Hello number 0"
    assert "already has an account" in first.get_body(("plain",)).get_content()
    assert all(m.status == OutboxStatus.SENT for m in outbox_messages())


def test_nothing_is_lost_or_duplicated_across_an_outage(app, smtp_port):
    ids = queue(5)

    # The SMTP server is down: every message stays pending, with a retry scheduled.
    down = deliver_due()
    assert len(down.retrying) == 5 and down.sent == []
    messages = outbox_messages()
    assert {m.status for m in messages} == {OutboxStatus.PENDING}
    assert all(m.attempts == 1 and m.last_error for m in messages)

    # Backoff: a run straight away does not hammer the server.
    assert deliver_due().retrying == []

    # The server comes back, and refuses the first two messages once more (451).
    inbox = Inbox(refuse_first=2)
    controller = start_smtp(inbox, smtp_port)
    try:
        later = utcnow() + timedelta(minutes=1, seconds=5)
        partly = deliver_due(now=later)
        assert len(partly.sent) == 3 and len(partly.retrying) == 2
        rest = deliver_due(now=later + timedelta(minutes=2, seconds=5))
        assert len(rest.sent) == 2
        nothing = deliver_due(now=later + timedelta(days=2))
        assert nothing.sent == [] and nothing.retrying == []
    finally:
        controller.stop()

    assert sorted(inbox.message_ids()) == sorted(ids)  # each exactly once
    assert all(m.status == OutboxStatus.SENT for m in outbox_messages())


def test_gives_up_after_the_maximum_attempts_and_keeps_the_row(app, smtp_port):
    queue(1)
    now = utcnow()
    for attempt in range(3):
        deliver_due(now=now + timedelta(hours=attempt * 7))

    [message] = outbox_messages()
    assert message.status == OutboxStatus.FAILED
    assert message.attempts == 3
    assert "ConnectionRefusedError" in message.last_error


def test_a_failed_request_writes_no_email(app, client):
    def boom():
        queue_email(to="x@example.org", subject="Never", template="auth/email_taken", kind="test.boom")
        raise RuntimeError("the change behind the email failed")

    app.add_url_rule("/boom", view_func=boom)
    response = client.get("/boom")

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.get_data(as_text=True)
    assert outbox_messages() == []


class TestWithoutSMTP:
    @pytest.fixture
    def app_settings(self):
        return {"MAIL_SERVER": None}

    def test_mail_is_written_as_eml_files_by_the_cli(self, app, tmp_path):
        queue(2)

        result = app.test_cli_runner().invoke(args=["outbox"])

        assert "outbox: 2 sent, 0 to retry, 0 failed" in result.output
        files = sorted((tmp_path / "mail").glob("*.eml"))
        assert len(files) == 2
        parsed = email.message_from_bytes(files[0].read_bytes(), policy=default_policy)
        assert parsed["To"] in {"person0@example.org", "person1@example.org"}
        assert (
            app.test_cli_runner().invoke(args=["outbox"]).output == "outbox: 0 sent, 0 to retry, 0 failed\n"
        )


def test_a_calendar_attachment_arrives_with_its_method(app, smtp_port):
    invitation = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"
    queue_email(
        to="guest@example.org",
        subject="You're going",
        template="auth/email_taken",
        kind="test.invite",
        attachments=[Attachment("invite.ics", "text/calendar", invitation, {"method": "REQUEST"})],
    )
    db.session.commit()
    inbox = Inbox()
    controller = start_smtp(inbox, smtp_port)
    try:
        assert len(deliver_due().sent) == 1
    finally:
        controller.stop()

    [received] = inbox.received
    [part] = [p for p in received.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "REQUEST"
    assert part.get_filename() == "invite.ics"
    assert part.get_content() == invitation
    assert "already has an account" in received.get_body(("plain",)).get_content()
