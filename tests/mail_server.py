"""A real SMTP server (aiosmtpd) for the mail tests: an inbox that keeps what it receives."""

from __future__ import annotations

import email
import socket
from email.policy import default as default_policy

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """An aiosmtpd handler that keeps what it receives, and can refuse the first tries."""

    def __init__(self, refuse_first: int = 0, refuse_recipients: tuple[str, ...] = ()):
        self.received: list[email.message.EmailMessage] = []
        self.recipients: list[str] = []
        self.refuse_first = refuse_first
        self.refuse_recipients = refuse_recipients

    async def handle_RCPT(self, server, session, envelope: Envelope, address: str, rcpt_options) -> str:
        if address in self.refuse_recipients:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope: Envelope) -> str:
        if self.refuse_first > 0:
            self.refuse_first -= 1
            return "451 Requested action aborted: try again later"
        self.received.append(email.message_from_bytes(envelope.content, policy=default_policy))
        self.recipients.extend(envelope.rcpt_tos)
        return "250 Message accepted for delivery"

    def message_ids(self) -> list[str]:
        return [m["Message-ID"] for m in self.received]


def start_smtp(inbox: Inbox, port: int) -> Controller:
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    return controller
