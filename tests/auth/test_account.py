from sqlalchemy import select

from community.auth.models import DELETED_NAME, User
from tests.conftest import link_in, outbox_messages
from tests.factories import DEFAULT_PASSWORD, create_user

NEW_PASSWORD = "another good secret"


LOG_IN_FIRST = "/login?next=%2Faccount"


def test_account_page_needs_login(client):
    response = client.get("/account")

    assert response.status_code == 302
    assert response.headers["Location"] == LOG_IN_FIRST


def test_account_page_sends_name_changes_to_the_profile(logged_in):
    page = logged_in.get("/account").get_data(as_text=True)
    assert "You appear as <strong>Ruth Okafor</strong>" in page
    assert 'href="/profile"' in page
    assert logged_in.submit("/account/name", {"name": "Ruth O."}).status_code == 404


def test_change_password_logs_out_other_sessions(app, logged_in, db, user):
    other_device = app.test_client()
    other_device.login(user.email)

    response = logged_in.submit(
        "/account/password",
        {"current_password": DEFAULT_PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert response.headers["Location"] == "/account"
    assert "Log out" in logged_in.get("/").get_data(as_text=True)  # this device stays in
    sent_away = other_device.get("/account")  # the other is sent to log in
    assert sent_away.status_code == 302
    assert sent_away.headers["Location"] == LOG_IN_FIRST


def test_change_password_with_a_wrong_current_password(logged_in, db, user):
    response = logged_in.submit(
        "/account/password",
        {"current_password": "not my password", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 422
    assert "Your current password is not right." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, user.id).session_version == 1


def test_change_email_happens_only_when_the_new_address_confirms(logged_in, db, user):
    response = logged_in.submit("/account/email", {"email": "ruth@new.example", "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/account"
    db.session.expire_all()
    assert db.session.get(User, user.id).email == "ruth@example.org"

    [mail] = outbox_messages(kind="auth.change-email")
    assert mail.to_address == "ruth@new.example"
    confirmed = logged_in.get(link_in(mail, "/account/email/"))
    assert confirmed.status_code == 302
    assert confirmed.headers["Location"] == "/account"

    db.session.expire_all()
    assert db.session.get(User, user.id).email == "ruth@new.example"
    [notice] = outbox_messages(kind="auth.email-changed")
    assert notice.to_address == "ruth@example.org"


def test_change_email_to_a_taken_address_does_not_reveal_it(logged_in, db, user):
    create_user(email="taken@example.org")

    response = logged_in.submit(
        "/account/email", {"email": "taken@example.org", "password": DEFAULT_PASSWORD}
    )

    assert response.status_code == 302
    assert response.headers["Location"] == "/account"  # as for a free address
    assert [m.kind for m in outbox_messages(to="taken@example.org")] == ["auth.email-taken"]
    db.session.expire_all()
    assert db.session.get(User, user.id).email == "ruth@example.org"


def test_change_email_needs_the_password(logged_in, db, user):
    response = logged_in.submit("/account/email", {"email": "ruth@new.example", "password": "nope nope"})
    assert response.status_code == 422
    assert "Your password is not right." in response.get_data(as_text=True)
    assert outbox_messages() == []


def test_delete_account_asks_for_confirmation_then_anonymises(logged_in, db, user):
    page = logged_in.get("/account/delete").get_data(as_text=True)
    assert "cannot be undone" in page

    unconfirmed = logged_in.submit("/account/delete", {"password": DEFAULT_PASSWORD})
    assert unconfirmed.status_code == 422
    assert "Tick the box to confirm." in unconfirmed.get_data(as_text=True)

    response = logged_in.submit("/account/delete", {"password": DEFAULT_PASSWORD, "confirm": "y"})

    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    db.session.expire_all()
    gone = db.session.get(User, user.id)
    assert gone.name == DELETED_NAME
    assert "ruth" not in gone.email
    assert gone.deleted_at is not None
    logged_out = logged_in.get("/account")
    assert logged_out.status_code == 302
    assert logged_out.headers["Location"] == LOG_IN_FIRST
    # The address is free to sign up again.
    assert db.session.scalar(select(User).where(User.email == "ruth@example.org")) is None


def test_delete_account_with_a_wrong_password_keeps_it(logged_in, db, user):
    response = logged_in.submit("/account/delete", {"password": "wrong wrong", "confirm": "y"})
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.get(User, user.id).deleted_at is None
