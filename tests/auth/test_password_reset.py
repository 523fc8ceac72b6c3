import time
from datetime import timedelta

import pytest
from itsdangerous.timed import TimestampSigner

from community.auth.models import User
from tests.conftest import link_in, outbox_messages
from tests.factories import DEFAULT_PASSWORD

NEW_PASSWORD = "a brand new secret"


def ask_for_reset(client, email):
    return client.submit("/reset", {"email": email})


def test_reset_request_looks_the_same_whether_or_not_the_email_exists(client, user):
    known = ask_for_reset(client, user.email).get_data(as_text=True)
    unknown = ask_for_reset(client, "nobody@example.org").get_data(as_text=True)

    assert "If <strong>ruth@example.org</strong> has an account" in known
    assert "If <strong>nobody@example.org</strong> has an account" in unknown
    assert [m.to_address for m in outbox_messages()] == ["ruth@example.org"]


def assert_password_changed(client, user) -> None:
    """Only the new password logs in now (the reset logged the person in: log out first)."""
    client.logout()
    assert client.submit("/login", {"email": user.email, "password": DEFAULT_PASSWORD}).status_code == 422
    assert client.login(user.email, NEW_PASSWORD).headers["Location"] == "/"
    assert "Log out" in client.get("/").get_data(as_text=True)
    client.logout()


def test_reset_link_sets_a_new_password_once(client, db, user):
    ask_for_reset(client, user.email)
    link = link_in(outbox_messages(kind="auth.reset-password")[0], "/reset/")

    response = client.submit(link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})

    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert_password_changed(client, user)
    # Used once: the same link is dead now.
    again = client.get(link, follow_redirects=True).get_data(as_text=True)
    assert "expired or has already been used" in again


def reset_link_issued_ago(client, monkeypatch, user, age: timedelta) -> str:
    """A reset link as if it had been emailed `age` ago."""
    issued = int(time.time() - age.total_seconds())
    with monkeypatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp", lambda self: issued)
        ask_for_reset(client, user.email)
    return link_in(outbox_messages(kind="auth.reset-password")[-1], "/reset/")


def test_reset_link_expires_after_an_hour(client, db, user, monkeypatch):
    link = reset_link_issued_ago(client, monkeypatch, user, timedelta(minutes=61))

    response = client.submit(link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}, follow_redirects=True)

    assert "expired or has already been used" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, user.id).password_hash == user.password_hash


def test_reset_link_still_works_just_before_the_hour(client, db, user, monkeypatch):
    link = reset_link_issued_ago(client, monkeypatch, user, timedelta(minutes=58))

    response = client.submit(link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})

    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert_password_changed(client, user)


def test_reset_with_mismatched_passwords_changes_nothing(client, db, user):
    ask_for_reset(client, user.email)
    link = link_in(outbox_messages(kind="auth.reset-password")[0], "/reset/")
    before = user.password_hash

    response = client.submit(link, {"password": NEW_PASSWORD, "confirm": "something else"})

    assert response.status_code == 422
    assert "The two passwords differ." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, user.id).password_hash == before


@pytest.mark.parametrize("token", ["garbage", "a.b.c"])
def test_forged_reset_links_are_refused(client, user, token):
    response = client.get(f"/reset/{token}", follow_redirects=True)
    assert "expired or has already been used" in response.get_data(as_text=True)
