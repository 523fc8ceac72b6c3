"""Suspending an account from /admin/: it cannot log in, its sessions end at once, others see
nothing of it; restoring brings it back. Refused input changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from community.admin.models import AdminAuditEntry
from community.admin.services import AdminError, suspend_user
from community.auth.models import User, UserSession
from community.extensions import db
from tests.factories import create_community, create_membership, create_user


@pytest.fixture
def admin(db):
    return create_user(email="ada@example.org", name="Ada Admin", admin=True)


@pytest.fixture
def sam(db):
    return create_user(email="sam@example.org", name="Sam Spammer")


def fresh(user: User) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def audit_rows() -> list[tuple]:
    db.session.expire_all()
    rows = db.session.scalars(select(AdminAuditEntry).order_by(AdminAuditEntry.id))
    return [(row.action, row.actor_id, row.subject_user_id, row.community_id, row.reason) for row in rows]


def suspend(client, user: User, reason: str = "Sent spam to every member of Northfield"):
    return client.submit(f"/admin/accounts/{user.id}/suspend", {"reason": reason}, follow_redirects=True)


def test_a_suspended_account_cannot_log_in_and_its_session_ends_on_the_next_request(app, client, admin, sam):
    sams_browser = app.test_client()
    sams_browser.login(sam.email)
    assert "Sam Spammer" in sams_browser.get("/account").get_data(as_text=True)
    client.login(admin.email)

    confirm = client.get(f"/admin/accounts/{sam.id}/suspend").get_data(as_text=True)
    assert "Suspend Sam Spammer’s account?" in confirm or "Suspend Sam Spammer&#39;s account?" in confirm
    page = suspend(client, sam).get_data(as_text=True)

    assert "Sam Spammer&#39;s account is suspended and every session it had has ended." in page
    assert "Sent spam to every member of Northfield" in page  # the reason, on the admin's page
    assert fresh(sam).suspension_reason == "Sent spam to every member of Northfield"
    revoked = db.session.scalars(select(UserSession.revoked_at).where(UserSession.user_id == sam.id)).all()
    assert len(revoked) == 1 and revoked[0] is not None
    # Sam's open browser is logged out on its next request.
    account = sams_browser.get("/account")
    assert account.status_code == 302 and account.headers["Location"].startswith("/login")
    # Logging in again: the right password says why, a wrong one says nothing more than usual.
    right = sams_browser.submit("/login", {"email": sam.email, "password": "correct horse battery"})
    assert right.status_code == 422
    assert "This account is suspended. Contact the site’s administrators." in right.get_data(as_text=True)
    wrong = sams_browser.submit("/login", {"email": sam.email, "password": "not the password"})
    assert "That email and password don&#39;t match an account." in wrong.get_data(as_text=True)
    assert "suspended" not in wrong.get_data(as_text=True)
    reason = "Sent spam to every member of Northfield"
    assert audit_rows() == [("user.suspended", admin.id, sam.id, None, reason)]


def test_others_see_nothing_of_a_suspended_account_until_it_is_restored(client, admin, sam):
    community = create_community(create_user(name="Olive Owner"), directory_public=True)
    create_membership(community, sam)
    viewer = create_membership(community, name="Mia Member").user
    client.login(admin.email)
    suspend(client, sam)
    client.logout()

    client.login(viewer.email)
    profile = client.get(f"/people/{sam.id}")
    assert profile.status_code == 404
    assert "suspended" not in profile.get_data(as_text=True).lower()
    directory = client.get("/c/northfield/members").get_data(as_text=True)
    assert "Mia Member" in directory and "Sam Spammer" not in directory
    client.logout()
    assert "Sam Spammer" not in client.get("/c/northfield/members").get_data(as_text=True)  # visitors

    client.login(admin.email)
    page = client.submit(f"/admin/accounts/{sam.id}/restore", {"reason": ""}, follow_redirects=True)
    assert "Sam Spammer&#39;s account is restored: they can log in again." in page.get_data(as_text=True)
    client.logout()
    client.login(sam.email)  # asserts the log-in works
    client.logout()
    client.login(viewer.email)
    assert client.get(f"/people/{sam.id}").status_code == 200
    assert "Sam Spammer" in client.get("/c/northfield/members").get_data(as_text=True)
    assert [row[0] for row in audit_rows()] == ["user.suspended", "user.restored"]


def test_an_admin_cannot_suspend_themselves_but_can_suspend_another_admin(client, admin):
    other = create_user(email="bea@example.org", name="Bea Admin", admin=True)
    client.login(admin.email)

    own = client.submit(f"/admin/accounts/{admin.id}/suspend", {"reason": "testing"})
    assert own.status_code == 422
    assert "You cannot suspend your own account." in own.get_data(as_text=True)
    assert fresh(admin).suspended_at is None
    assert suspend(client, other).status_code == 200
    assert fresh(other).is_suspended
    assert [row[0] for row in audit_rows()] == ["user.suspended"]


def test_the_last_active_admin_cannot_be_suspended(admin):
    # Through the screens an admin is only the last one when suspending themselves; the service
    # refuses it whoever asks (a script, a future command).
    with pytest.raises(AdminError, match="last active site administrator"):
        suspend_user(create_user(name="Helper"), admin, reason="no")
    db.session.rollback()
    assert fresh(admin).suspended_at is None


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", "Say why: the reason is kept in the admin audit log."),
        ("   ", "Say why: the reason is kept in the admin audit log."),
        ("x" * 501, "Keep the reason under 500 characters."),
        ("spam\x00", "Remove the control characters"),
    ],
)
def test_a_suspension_needs_a_sensible_reason_and_a_refused_one_changes_nothing(
    client, admin, sam, reason, message
):
    client.login(admin.email)

    response = client.submit(f"/admin/accounts/{sam.id}/suspend", {"reason": reason})

    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert fresh(sam).suspended_at is None
    assert audit_rows() == []


def test_restoring_an_account_that_is_not_suspended_says_so(client, admin, sam):
    client.login(admin.email)
    response = client.submit(f"/admin/accounts/{sam.id}/restore", {"reason": ""})
    assert response.status_code == 422
    assert "Sam Spammer&#39;s account is not suspended." in response.get_data(as_text=True)
    assert audit_rows() == []
    assert client.get("/admin/accounts/2147483647").status_code == 404
