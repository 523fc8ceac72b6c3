"""With MAIL_DELIVER_IN_PROCESS (development) mail is delivered right after the request that
queued it, so a new account's confirmation is there to read without an outbox worker."""

from __future__ import annotations

import email
from email.policy import default as default_policy
from pathlib import Path

import pytest

from community.core.mail.models import OutboxStatus
from tests.conftest import outbox_messages

SIGNUP = {"name": "Amara Diallo", "email": "amara@example.org", "password": "a long enough secret"}


def eml_files(app) -> list[Path]:
    return sorted(Path(app.config["MAIL_FILE_DIR"]).glob("*.eml"))


@pytest.fixture
def app_settings():
    return {"MAIL_DELIVER_IN_PROCESS": True}


def test_signup_confirmation_is_written_before_the_response_returns(app, client):
    response = client.submit("/signup", SIGNUP)

    assert response.status_code == 200
    [path] = eml_files(app)
    message = email.message_from_bytes(path.read_bytes(), policy=default_policy)
    assert message["To"] == "amara@example.org"
    assert "/verify/" in message.get_body(("plain",)).get_content()
    [row] = outbox_messages(kind="auth.verify-email")
    assert row.status == OutboxStatus.SENT


def test_a_failed_delivery_leaves_the_request_and_the_mail_alone(app, client, caplog):
    app.config["MAIL_DEFAULT_SENDER"] = "not an address"

    response = client.submit("/signup", SIGNUP)

    assert response.status_code == 200
    assert eml_files(app) == []
    [row] = outbox_messages(kind="auth.verify-email")
    assert row.status == OutboxStatus.PENDING
    assert "Delivering the outbox after the request failed" in caplog.text


@pytest.mark.parametrize("app_settings", [{}])
def test_without_the_setting_mail_waits_for_the_outbox_worker(client, app):
    assert app.config["MAIL_DELIVER_IN_PROCESS"] is False  # TestingConfig's default

    client.submit("/signup", SIGNUP)

    assert eml_files(app) == []
    [row] = outbox_messages(kind="auth.verify-email")
    assert row.status == OutboxStatus.PENDING
