"""Mail that people make the site send to others: confirmed accounts only, and only so much.

Invitations (pasted or imported) count against a per-account hourly and a per-community daily
limit; a refused batch sends nothing and writes nothing.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from community.communities.models import Invitation, JoinPolicy, Membership
from community.core.mail.models import OutboxMessage
from community.extensions import db
from tests.communities.community_helpers import add_member
from tests.communities.test_import_flow import BASE as IMPORT_BASE
from tests.communities.test_import_flow import batch_id_of, upload
from tests.conftest import outbox_messages
from tests.factories import create_community, create_user

INVITATIONS = "/c/northfield/manage/invitations"
CONFIRM_FIRST = "Please confirm your email address first"


@pytest.fixture
def app_settings():
    return {"INVITATIONS_PER_ACCOUNT_PER_HOUR": 4, "INVITATIONS_PER_COMMUNITY_PER_DAY": 6}


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def addresses(start: int, stop: int) -> str:
    return "\n".join(f"guest{n}@example.org" for n in range(start, stop))


def test_an_unconfirmed_account_cannot_send_invitations(client, db):
    owner = create_user(email="new@example.org", name="New Owner", verified=False)
    create_community(owner, policy=JoinPolicy.INVITATION)
    client.login("new@example.org")

    response = client.submit(INVITATIONS, {"emails": addresses(0, 5)})

    assert response.status_code == 422
    assert CONFIRM_FIRST in response.get_data(as_text=True)
    assert count(Invitation) == 0
    assert outbox_messages(kind="communities.invitation") == []


def test_an_unconfirmed_account_cannot_import_invitations(client, db):
    owner = create_user(email="new@example.org", name="New Owner", verified=False)
    create_community(owner)
    client.login("new@example.org")
    batch_id = batch_id_of(upload(client, "Email\nann@example.org\nbo@example.org\n"))
    client.submit(f"{IMPORT_BASE}/{batch_id}/map", {"email": "0"})
    preview = client.get(f"{IMPORT_BASE}/{batch_id}/preview").get_data(as_text=True)
    assert "Confirm your email address before sending invitations" in preview

    response = client.submit(f"{IMPORT_BASE}/{batch_id}/run", follow_redirects=True)

    assert CONFIRM_FIRST in response.get_data(as_text=True)
    assert count(Invitation) == 0
    assert outbox_messages(kind="communities.invitation") == []


def test_an_unconfirmed_account_cannot_ask_organizers_to_let_it_in(client, db):
    create_community(policy=JoinPolicy.APPROVAL, join_question="Which class?")
    create_user(email="new@example.org", name="New Person", verified=False)
    client.login("new@example.org")

    response = client.submit("/c/northfield/join/request", {"answer": "Class of 2009"})

    assert response.status_code == 422
    assert CONFIRM_FIRST in response.get_data(as_text=True)
    assert count(Membership) == 1  # the owner's, no pending request
    assert outbox_messages(kind="communities.join-request") == []


def test_an_account_may_send_so_many_invitations_an_hour(client, db):
    create_community(create_user(email="olive@example.org", name="Olive Owner"))
    client.login("olive@example.org")

    refused = client.submit(INVITATIONS, {"emails": addresses(0, 5)})
    assert refused.status_code == 422
    assert "That would send 5 invitation emails, but you can send 4 more this hour" in refused.get_data(
        as_text=True
    )
    assert count(Invitation) == 0 and count(OutboxMessage) == 0

    sent = client.submit(INVITATIONS, {"emails": addresses(0, 4)}, follow_redirects=True)
    assert "4 invited" in sent.get_data(as_text=True)
    again = client.submit(INVITATIONS, {"emails": addresses(4, 5)})
    assert again.status_code == 422
    assert "you can send 0 more this hour" in again.get_data(as_text=True)
    assert sorted(m.to_address for m in outbox_messages(kind="communities.invitation")) == [
        f"guest{n}@example.org" for n in range(4)
    ]


def test_a_community_may_send_so_many_invitations_a_day(client, db):
    community = create_community(create_user(email="olive@example.org", name="Olive Owner"))
    add_member(community, email="otto@example.org", name="Otto Organizer", role="organizer")
    client.login("olive@example.org")
    client.submit(INVITATIONS, {"emails": addresses(0, 4)})
    client.logout()
    client.login("otto@example.org")

    refused = client.submit(INVITATIONS, {"emails": addresses(4, 7)})

    assert refused.status_code == 422
    assert "but this community can send 2 more today (at most 6 a day)" in refused.get_data(as_text=True)
    assert count(Invitation) == 4
    ok = client.submit(INVITATIONS, {"emails": addresses(4, 6)}, follow_redirects=True)
    assert "2 invited" in ok.get_data(as_text=True)


def test_an_import_counts_and_pauses_at_the_limit(client, db):
    create_community(create_user(email="olive@example.org", name="Olive Owner"))
    client.login("olive@example.org")
    client.submit(INVITATIONS, {"emails": addresses(0, 2)})
    batch_id = batch_id_of(upload(client, "Email\n" + addresses(10, 13) + "\n"))
    client.submit(f"{IMPORT_BASE}/{batch_id}/map", {"email": "0"})
    preview = client.get(f"{IMPORT_BASE}/{batch_id}/preview").get_data(as_text=True)
    assert "You can send 2 more invitations today, so this import will pause" in preview

    by_script = client.submit(f"{IMPORT_BASE}/{batch_id}/run", headers={"Accept": "application/json"})
    assert by_script.status_code == 409
    assert "That would send 3 invitation emails, but you can send 2 more" in by_script.get_json()["error"]

    response = client.submit(f"{IMPORT_BASE}/{batch_id}/run", follow_redirects=True)
    assert "but you can send 2 more this hour" in response.get_data(as_text=True)
    assert count(Invitation) == 2
    assert len(outbox_messages(kind="communities.invitation")) == 2
