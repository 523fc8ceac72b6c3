"""The admin overview's email delivery: what waits and for how long, what is being retried,
what failed; retrying is recorded in the admin audit log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import insert, select

from community.admin.models import AdminAuditEntry
from community.admin.queries import waited
from community.core.mail.models import OutboxMessage, OutboxStatus
from community.core.models import utcnow
from tests.factories import create_user


@pytest.mark.parametrize(
    ("age", "said"),
    [
        (timedelta(seconds=59), "less than a minute"),
        (timedelta(minutes=1), "1 min"),
        (timedelta(minutes=59, seconds=59), "59 min"),
        (timedelta(hours=3, minutes=10), "3 h 10 min"),
        (timedelta(hours=23, minutes=59), "23 h 59 min"),
        (timedelta(days=2, hours=4, minutes=30), "2 d 4 h"),
    ],
)
def test_how_long_an_email_has_waited(age, said):
    assert waited(age) == said


def outbox_row(number: int, status: OutboxStatus, *, attempts: int = 0, minutes_ago: int = 0) -> dict:
    return dict(
        message_id=f"<{number}@example.org>", to_address=f"person{number}@example.org",
        subject=f"Mail {number}", body_text="Hello.", attachments=[], kind="test.bulk",
        status=status, attempts=attempts, next_attempt_at=utcnow(),
        created_at=utcnow() - timedelta(minutes=minutes_ago),
        last_error="TimeoutError: timed out" if attempts else None,
    )  # fmt: skip


def test_the_overview_shows_the_state_of_delivery(client, db):
    admin = create_user(name="Ada Admin", admin=True)
    db.session.execute(
        insert(OutboxMessage),
        [
            outbox_row(1, OutboxStatus.PENDING, minutes_ago=190),
            outbox_row(2, OutboxStatus.PENDING, attempts=2, minutes_ago=30),
            outbox_row(3, OutboxStatus.PENDING),
            outbox_row(4, OutboxStatus.FAILED, attempts=8, minutes_ago=500),
            outbox_row(5, OutboxStatus.SENT, minutes_ago=1000),
        ],
    )
    db.session.commit()
    client.login(admin.email)

    page = client.get("/admin/").get_data(as_text=True)

    assert "<strong>3</strong> emails waiting to be sent, oldest waiting 3 h 10 min." in page
    assert "<strong>1</strong> of them is being retried after a failed attempt." in page
    assert "<strong>1</strong> failed for good (listed below)." in page
    assert "person4@example.org" in page and "TimeoutError: timed out" in page


def test_an_empty_outbox(client, db):
    client.login(create_user(name="Ada Admin", admin=True).email)
    page = client.get("/admin/").get_data(as_text=True)
    assert "<strong>0</strong> emails waiting to be sent." in page
    assert "<strong>0</strong> failed for good (none below)." in page


def test_retrying_is_recorded_in_the_audit_log(client, db):
    admin = create_user(name="Ada Admin", admin=True)
    db.session.execute(
        insert(OutboxMessage), [outbox_row(n, OutboxStatus.FAILED, attempts=8) for n in (1, 2, 3)]
    )
    db.session.commit()
    first = db.session.scalar(
        select(OutboxMessage.id).where(OutboxMessage.to_address == "person1@example.org")
    )
    client.login(admin.email)

    client.submit(f"/admin/mail/{first}/retry")
    client.submit("/admin/mail/retry-all")
    client.submit("/admin/mail/retry-all")  # nothing left: nothing recorded
    client.submit(f"/admin/mail/{first}/retry")  # no longer failed: refused, nothing recorded

    page = client.get("/admin/audit").get_data(as_text=True)
    assert "Ada Admin retried the failed email “Mail 1” to person1@example.org." in page
    assert "Ada Admin retried all 2 failed emails." in page
    assert len(db.session.scalars(select(AdminAuditEntry)).all()) == 2
