"""The one function every email header value goes through, its address and attachment kin,
and titles and names with line breaks sent through the real flows to a real SMTP server."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from community.communities.models import JoinPolicy, Role
from community.core.mail.headers import (
    SUBJECT_MAX,
    address_header,
    filename_text,
    header_text,
    parameter_values,
    sender_header,
    text_subtype,
)
from community.extensions import db
from tests.conftest import outbox_messages
from tests.factories import create_community, create_event, create_membership, create_user
from tests.mail_server import Inbox, free_port, start_smtp


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("Poison\r\nBcc: x@evil.example", "Poison Bcc: x@evil.example"),
        ("Poison\rBcc: x@evil.example", "Poison Bcc: x@evil.example"),
        ("Poison\nBcc: x@evil.example", "Poison Bcc: x@evil.example"),
        ("Nul\x00byte", "Nul byte"),
        ("Line\u2028separator\u2029paragraph", "Line separator paragraph"),
        ("Next\x85line and \x1bescape \x7fdelete", "Next line and escape delete"),
        ("Tabs\t\tand   spaces", "Tabs and spaces"),
        ("  \r\n  padded \n ", "padded"),
        ("Café · Zürich 🎉", "Café · Zürich 🎉"),
        ("", ""),
        (None, ""),
        (2016, "2016"),
    ],
)
def test_header_text_makes_one_clean_line(raw, clean):
    assert header_text(raw) == clean


def test_header_text_caps_very_long_input_visibly():
    subject = header_text("Reunion " * 1000)
    assert SUBJECT_MAX - 8 <= len(subject) <= SUBJECT_MAX
    assert subject.endswith(" Reunion…")  # cut between words, and marked
    assert header_text("x" * 50, limit=10) == "xxxxxxxxx…"  # a huge word is cut inside
    assert header_text("ab " * 5, limit=10) == "ab ab ab…"
    assert header_text("x" * 10, limit=10) == "x" * 10


def test_whatever_header_text_returns_can_be_set_on_an_email():
    hostile = "".join(chr(code) for code in range(0, 0x40)) + "\u2028\u2029\u0085" + "é" * 400
    email = EmailMessage()
    email["Subject"] = header_text(hostile)
    assert "\n" not in str(email["Subject"]) and "\r" not in str(email["Subject"])
    assert b"\r" not in bytes(email).split(b"\n\n")[0].replace(b"\r\n", b"")


def test_address_header_keeps_good_addresses_and_cleans_the_display_name():
    assert address_header("amara@example.org") == "amara@example.org"
    assert address_header("amara@example.org", "Amara\r\nBcc: x@evil.example") == (
        '"Amara Bcc: x@evil.example" <amara@example.org>'
    )
    assert address_header('"odd local"@example.org') == '"odd local"@example.org'


@pytest.mark.parametrize(
    "address",
    ["victim@example.org\r\nBcc: x@evil.example", "a\n@example.org", "nul\x00@example.org", "", " a@b.org"],
)
def test_address_header_refuses_an_address_it_would_have_to_change(address):
    with pytest.raises(ValueError, match="cannot be used in an email header"):
        address_header(address)


def test_sender_header():
    assert sender_header("Roundtable <no-reply@example.org>") == "Roundtable <no-reply@example.org>"
    assert sender_header("Round\r\ntable <no-reply@example.org>") == "Round table <no-reply@example.org>"
    with pytest.raises(ValueError):
        sender_header("nobody")


def test_attachment_parts():
    assert filename_text("invite\r\n.ics") == "invite .ics"
    assert filename_text("../../etc/passwd") == ".._.._etc_passwd"
    assert filename_text("\r\n") == "attachment"
    assert len(filename_text("a" * 500)) == 120
    assert text_subtype("text/calendar") == "calendar"
    assert parameter_values({"method": "REQUEST\r\nBcc: x"}) == {"method": "REQUEST Bcc: x"}
    assert parameter_values(None) == {}
    for mime in ("application/pdf", "text/calendar\r\nBcc: x", "text/", None):
        with pytest.raises(ValueError, match="only text attachments"):
            text_subtype(mime)
    with pytest.raises(ValueError, match="not a valid name"):
        parameter_values({"method\r\nBcc": "x"})


# -- through the real flows ---------------------------------------------------------------

POISON = "Poison\r\nBcc: x@evil.example"


@pytest.fixture
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def app_settings():
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_USE_TLS": False, "MAIL_TIMEOUT": 2.0}


@pytest.fixture
def app(app, smtp_port):
    """The shared app, sending to this test's own SMTP port (the setting is restored after)."""
    app.config["MAIL_PORT"] = smtp_port
    return app


def run_outbox(app, port: int) -> tuple[Inbox, str]:
    """`flask outbox` once against a real SMTP server; asserts it exits 0."""
    inbox = Inbox()
    controller = start_smtp(inbox, port)
    try:
        result = app.test_cli_runner().invoke(args=["outbox"])
    finally:
        controller.stop()
    assert result.exit_code == 0, result.output
    return inbox, result.output


def test_an_rsvp_to_an_event_titled_with_a_line_break_is_confirmed(app, client, smtp_port):
    owner = create_user(name="Olive Owner")
    community = create_community(owner)
    event = create_event(community, owner, title="Reunion")
    event.title = POISON  # as stored before the forms refused control characters
    db.session.commit()
    person = create_membership(community, name="Gia Going").user
    client.login(person.email)
    assert client.submit(f"/c/northfield/events/{event.id}/rsvp", {"response": "going"}).status_code == 302

    [row] = outbox_messages(kind="events.rsvp-going")
    assert row.subject == "You're going to Poison Bcc: x@evil.example"  # stored clean
    inbox, output = run_outbox(app, smtp_port)

    assert output == "outbox: 1 sent, 0 to retry, 0 failed\n"
    [received] = inbox.received
    assert received["Subject"] == "You're going to Poison Bcc: x@evil.example"
    assert received["Bcc"] is None and inbox.recipients == [person.email]
    [invite] = list(received.iter_attachments())
    assert invite.get_filename() == "invite.ics"


def test_a_name_with_a_line_break_asking_to_join_reaches_the_organizers_clean(app, client, smtp_port):
    owner = create_user(email="owner@example.org", name="Olive Owner")
    community = create_community(owner, policy=JoinPolicy.APPROVAL, name="Quiet Club")
    create_membership(community, role=Role.ORGANIZER, email="org@example.org", name="Oscar Organizer")
    applicant = create_user(name="Amara\r\nBcc: x@evil.example")
    client.login(applicant.email)
    assert client.submit("/c/northfield/join/request", {"answer": "Class of 2009"}).status_code == 302

    inbox, output = run_outbox(app, smtp_port)

    assert output == "outbox: 2 sent, 0 to retry, 0 failed\n"
    subject = "Amara Bcc: x@evil.example asks to join Quiet Club"
    assert [m["Subject"] for m in inbox.received] == [subject, subject]
    assert all(m["Bcc"] is None for m in inbox.received)
    assert sorted(inbox.recipients) == ["org@example.org", "owner@example.org"]
