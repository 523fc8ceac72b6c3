"""The outbox against a real SMTP server (aiosmtpd), including one that is down, one that
refuses a recipient, and rows that cannot become an email at all."""

from __future__ import annotations

import email
import logging
from datetime import timedelta
from email.policy import default as default_policy

import pytest
from sqlalchemy import text

from community.core.mail import cli
from community.core.mail.delivery import deliver_due
from community.core.mail.models import OutboxMessage, OutboxStatus
from community.core.mail.services import Attachment, queue_email
from community.core.models import utcnow
from community.extensions import db
from config import Config
from tests.conftest import outbox_messages
from tests.factories import create_outbox_message
from tests.mail_server import Inbox, free_port, start_smtp


@pytest.fixture
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def app_settings():
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_USE_TLS": False, "MAIL_TIMEOUT": 2.0, "MAIL_MAX_ATTEMPTS": 3}


@pytest.fixture
def app(app, smtp_port):
    """The shared app, sending to this test's own SMTP port (the setting is restored after)."""
    app.config["MAIL_PORT"] = smtp_port
    return app


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


def test_a_relay_down_for_twenty_hours_loses_nothing_and_sends_nothing_twice(app, smtp_port):
    """A worker runs every ten minutes (simulated) while the relay is down for 20 hours, with the
    production limit on tries; mail queued before and during the outage all arrives once it is
    back, within the hour, each message exactly once."""
    app.config["MAIL_MAX_ATTEMPTS"] = Config.MAIL_MAX_ATTEMPTS
    start = utcnow()
    before = queue(4)
    runs = [start + timedelta(minutes=10 * n) for n in range(24 * 6 + 1)]  # a day of runs
    down, back = runs[: 20 * 6], runs[20 * 6 :]
    tries = []
    for number, now in enumerate(down):
        if number == 10 * 6:  # halfway through, more mail is queued
            late = queue_email(
                to="late@example.org", subject="Late", template="auth/email_taken", kind="t.late"
            )
            db.session.commit()
        report = deliver_due(now=now)
        assert report.sent == [] and report.failed == []
        tries.append(len(report.retrying))

    messages = outbox_messages()
    assert {m.status for m in messages} == {OutboxStatus.PENDING}  # nothing given up on
    # Backoff: 1, 2, 4 ... minutes, then hourly: 25 tries of each early message in 20 hours,
    # not one every run.
    assert [m.attempts for m in messages] == [25, 25, 25, 25, 15]
    assert sum(tries) == 4 * 25 + 15

    inbox = Inbox()  # the relay is back
    controller = start_smtp(inbox, smtp_port)
    try:
        sent_at = {}
        for now in back:
            for message_id in deliver_due(now=now).sent:
                sent_at[message_id] = now
    finally:
        controller.stop()

    assert sorted(inbox.message_ids()) == sorted([*before, late.message_id])  # each once
    assert {m.status for m in outbox_messages()} == {OutboxStatus.SENT}
    assert max(sent_at.values()) - back[0] <= timedelta(hours=1)


def test_gives_up_after_the_maximum_attempts_and_keeps_the_row(app, smtp_port):
    queue(1)
    now = utcnow()
    for attempt in range(3):
        deliver_due(now=now + timedelta(hours=attempt * 7))

    [message] = outbox_messages()
    assert message.status == OutboxStatus.FAILED
    assert message.attempts == 3
    assert "ConnectionRefusedError" in message.last_error


@pytest.mark.fresh_app  # adds a route
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


# -- one bad row never stops the others ---------------------------------------------------

POISON = "Poison\r\nBcc: x@evil.example"


#: An outbox row written directly, as an older release or a careless script might have.
insert_row = create_outbox_message


def poisoned_queue() -> dict[str, int]:
    """Good, poisoned subject, unbuildable attachment, broken address, good: in that order."""
    rows = {
        "first": insert_row(to_address="first@example.org", subject="First"),
        "poisoned": insert_row(to_address="poisoned@example.org", subject=POISON),
        "attachment": insert_row(
            to_address="pdf@example.org",
            attachments=[{"filename": "x.pdf", "mime": "application/pdf", "params": {}, "text": "%PDF"}],
        ),
        "address": insert_row(to_address="victim@example.org\r\nBcc: x@evil.example"),
        "last": insert_row(to_address="last@example.org", subject="Last"),
    }
    return {name: row.id for name, row in rows.items()}


def rows_by_id() -> dict[int, OutboxMessage]:
    return {m.id: m for m in outbox_messages()}


def test_a_poisoned_row_is_sent_clean_and_unbuildable_rows_fail_without_stopping_the_rest(
    app, smtp_port, caplog
):
    ids = poisoned_queue()
    inbox = Inbox()
    controller = start_smtp(inbox, smtp_port)
    try:
        report = deliver_due()
    finally:
        controller.stop()

    assert sorted(report.sent) == sorted([ids["first"], ids["poisoned"], ids["last"]])
    assert sorted(report.failed) == sorted([ids["attachment"], ids["address"]])
    assert [m["Subject"] for m in inbox.received] == ["First", "Poison Bcc: x@evil.example", "Last"]
    assert all(m["Bcc"] is None for m in inbox.received)
    assert sorted(inbox.recipients) == ["first@example.org", "last@example.org", "poisoned@example.org"]
    rows = rows_by_id()
    for name in ("attachment", "address"):
        row = rows[ids[name]]
        assert (row.status, row.attempts, row.claimed_until) == (OutboxStatus.FAILED, 1, None)
    assert "only text attachments are supported" in rows[ids["attachment"]].last_error
    assert "cannot be used in an email header" in rows[ids["address"]].last_error
    assert "cannot be built or sent; marked failed" in caplog.text
    # Failed rows stay failed: nothing is sent twice or tried again.
    assert deliver_due(now=utcnow() + timedelta(days=1)).failed == []


def test_a_recipient_the_server_refuses_fails_at_once_and_the_next_is_sent(app, smtp_port):
    refused = insert_row(to_address="gone@example.org")
    kept = insert_row(to_address="here@example.org")
    inbox = Inbox(refuse_recipients=("gone@example.org",))
    controller = start_smtp(inbox, smtp_port)
    try:
        report = deliver_due()
    finally:
        controller.stop()

    assert report.failed == [refused.id] and report.sent == [kept.id]
    assert inbox.recipients == ["here@example.org"]
    row = rows_by_id()[refused.id]
    assert row.status == OutboxStatus.FAILED and row.attempts == 1  # MAIL_MAX_ATTEMPTS is 3
    assert "550" in row.last_error and "No such user" in row.last_error


def test_the_cli_exits_0_with_a_poisoned_queue_and_later_rows_still_go(app, smtp_port):
    poisoned_queue()
    inbox = Inbox()
    controller = start_smtp(inbox, smtp_port)
    try:
        result = app.test_cli_runner().invoke(args=["outbox"])
    finally:
        controller.stop()

    assert result.exit_code == 0, result.output
    assert result.output == "outbox: 3 sent, 0 to retry, 2 failed\n"
    assert [m["To"] for m in inbox.received] == [
        "first@example.org",
        "poisoned@example.org",
        "last@example.org",
    ]


class OutboxTableAway:
    """A real database hiccup: while the outbox table is renamed, every query on it fails."""

    def __init__(self) -> None:
        self.away = False

    def _rename(self, old: str, new: str) -> None:
        with db.engine.begin() as connection:
            connection.execute(text(f"ALTER TABLE {old} RENAME TO {new}"))

    def start(self) -> None:
        db.session.remove()
        self._rename("outbox_message", "outbox_message_away")
        self.away = True

    def end(self) -> None:
        if self.away:
            self._rename("outbox_message_away", "outbox_message")
            self.away = False


def test_the_loop_outlives_a_database_hiccup_and_stops_on_ctrl_c(app, smtp_port, monkeypatch, caplog):
    ids = queue(2)
    hiccup = OutboxTableAway()
    naps = []

    def nap(seconds: float) -> None:
        naps.append(seconds)
        if len(naps) == 1:
            hiccup.end()  # the database is back for the second run
        else:
            raise KeyboardInterrupt  # Ctrl+C during the second pause

    monkeypatch.setattr(cli, "sleep", nap, raising=False)  # raising=False: older cli.py used time.sleep
    inbox = Inbox()
    controller = start_smtp(inbox, smtp_port)
    try:
        hiccup.start()
        with caplog.at_level(logging.ERROR, logger="community.core.mail.cli"):
            result = app.test_cli_runner().invoke(args=["outbox", "--loop", "--interval", "0.5"])
    finally:
        hiccup.end()
        controller.stop()

    assert naps == [0.5, 0.5]
    assert "Outbox run failed; trying again in 0.5 seconds" in caplog.text
    assert "outbox: 2 sent, 0 to retry, 0 failed" in result.output
    assert inbox.message_ids() == ids
    assert result.exit_code == 1 and "Aborted!" in result.output  # Ctrl+C still stops the worker
