from sqlalchemy import select

from community.auth.models import User
from tests.conftest import link_in, outbox_messages
from tests.factories import create_user


def signup(client, **fields):
    data = {"name": "Amara Diallo", "email": "amara@example.org", "password": "a long enough secret"}
    data.update(fields)
    return client.submit("/signup", data)


def test_signup_creates_an_unverified_account_and_emails_a_link(client, db):
    response = signup(client, email="  Amara@Example.org ")

    assert response.status_code == 200
    assert "Check your inbox" in response.get_data(as_text=True)
    user = db.session.scalar(select(User))
    assert user.email == "amara@example.org"
    assert user.name == "Amara Diallo"
    assert not user.is_verified
    assert user.password_hash.startswith("$argon2id$")
    [mail] = outbox_messages(kind="auth.verify-email")
    assert mail.to_address == "amara@example.org"
    assert "Hello Amara Diallo" in mail.body_text


def test_verification_link_confirms_the_address_and_logs_in(client, db):
    signup(client)
    link = link_in(outbox_messages(kind="auth.verify-email")[0], "/verify/")

    response = client.get(link, follow_redirects=True)

    assert "your email address is confirmed" in response.get_data(as_text=True)
    assert db.session.scalar(select(User)).is_verified
    assert "Log out" in client.get("/").get_data(as_text=True)


def test_a_tampered_verification_link_is_refused(client, db):
    signup(client)
    link = link_in(outbox_messages(kind="auth.verify-email")[0], "/verify/")

    response = client.get(link[:-3] + "abc", follow_redirects=True)

    assert "not valid any more" in response.get_data(as_text=True)
    assert not db.session.scalar(select(User)).is_verified


def test_signup_with_a_registered_email_looks_the_same_and_tells_the_owner(client, db):
    create_user(email="amara@example.org", name="The Real Amara")

    response = signup(client, email="AMARA@example.org", name="Someone Else")

    assert response.status_code == 200
    assert "Check your inbox" in response.get_data(as_text=True)
    assert db.session.scalar(select(User.name)) == "The Real Amara"
    [mail] = outbox_messages()
    assert mail.kind == "auth.already-registered"
    assert "already has an account" in mail.body_text


def test_signup_with_bad_input_shows_inline_errors_and_writes_nothing(client, db):
    response = signup(client, name="", email="not-an-email", password="short")

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Tell us your name." in page
    assert "Enter an email address like name@example.org." in page
    assert "Use between 10 and 128 characters." in page
    assert 'aria-invalid="true"' in page
    assert db.session.scalar(select(User)) is None
    assert outbox_messages() == []


def test_password_may_not_be_the_email(client, db):
    response = signup(client, email="longaddress@example.org", password="longaddress@example.org")
    assert "can&#39;t be your email address" in response.get_data(as_text=True)
    assert db.session.scalar(select(User)) is None


def test_user_text_is_escaped(client, db):
    signup(client, name="<script>alert(1)</script>")
    client.get(link_in(outbox_messages(kind="auth.verify-email")[0], "/verify/"))

    page = client.get("/account").get_data(as_text=True)

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_unverified_user_can_ask_for_a_new_link(client, db):
    user = create_user(verified=False)
    client.login(user.email)
    assert "Please confirm your email address" in client.get("/").get_data(as_text=True)

    client.submit("/account/verify/resend")

    [mail] = outbox_messages(kind="auth.verify-email")
    assert mail.to_address == user.email
