"""Log-out ends the session on the server: a copied session or remember-me cookie stops working."""

from datetime import timedelta

from flask_login.utils import encode_cookie
from sqlalchemy import select, update

from community.auth.models import User, UserSession
from community.auth.tokens import make_token
from community.core.models import utcnow
from tests.factories import DEFAULT_PASSWORD, create_user

NEW_PASSWORD = "another good secret"


def copy_of(app, **cookies):
    """A browser that has nothing but the given cookies, as a thief's would."""
    other = app.test_client()
    for name, value in cookies.items():
        other.set_cookie(name, value)
    return other


def assert_sent_to_log_in(browser, response):
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=%2Faccount"
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "Please log in to see that page." in page
    assert "Welcome back" in page
    assert "Log out" not in page


def test_a_copied_session_cookie_stops_working_at_log_out(app, client, user):
    client.login(user.email)
    stolen = client.get_cookie("session").value
    assert copy_of(app, session=stolen).get("/account").status_code == 200  # the copy is a real one

    client.logout()

    replay = copy_of(app, session=stolen)
    assert_sent_to_log_in(replay, replay.get("/account"))


def test_a_copied_remember_me_cookie_stops_working_at_log_out(app, client, user):
    client.login(user.email, remember="y")
    stolen = client.get_cookie("remember_token").value
    thief = copy_of(app, remember_token=stolen)  # no session cookie: the remember cookie logs in
    assert "You appear as <strong>Ruth Okafor</strong>" in thief.get("/account").get_data(as_text=True)

    client.logout()

    replay = copy_of(app, remember_token=stolen)
    assert_sent_to_log_in(replay, replay.get("/account"))
    # The session the thief's browser restored from it ends too.
    assert_sent_to_log_in(thief, thief.get("/account"))


def test_log_out_of_other_devices_ends_their_sessions_and_keeps_this_one(app, logged_in, user):
    phone = app.test_client()
    phone.login(user.email, remember="y")
    phone_remember = phone.get_cookie("remember_token").value
    page = logged_in.get("/account").get_data(as_text=True)
    assert "You are also logged in on 1 other device or browser." in page
    assert "Log out of all other devices" in page

    assert logged_in.post("/account/sessions/log-out-others").status_code == 400  # no CSRF token
    assert phone.get("/account").status_code == 200

    response = logged_in.submit("/account/sessions/log-out-others")

    assert response.status_code == 302
    assert response.headers["Location"] == "/account"
    page = logged_in.get("/account").get_data(as_text=True)
    assert "You are logged out on every other device. You are still logged in here." in page
    assert "You are logged in on this device only." in page
    assert_sent_to_log_in(phone, phone.get("/account"))
    replay = copy_of(app, remember_token=phone_remember)
    assert_sent_to_log_in(replay, replay.get("/account"))


def test_session_ids_from_before_session_records_are_refused(app, client, user):
    old_style_id = f"{user.id}:{user.session_version}"  # what get_id() used to return
    with client.session_transaction() as session:
        session["_user_id"] = old_style_id
        session["_fresh"] = True
    assert_sent_to_log_in(client, client.get("/account"))

    with app.test_request_context():
        remember = encode_cookie(old_style_id)
    browser = copy_of(app, remember_token=remember)
    assert_sent_to_log_in(browser, browser.get("/account"))


def test_a_session_ends_when_its_remember_cookie_would_have_expired(app, db, client, user):
    client.login(user.email, remember="y")
    lifetime = app.config["REMEMBER_COOKIE_DURATION"]
    db.session.execute(update(UserSession).values(created_at=utcnow() - lifetime - timedelta(minutes=1)))
    db.session.commit()

    assert_sent_to_log_in(client, client.get("/account"))


def test_change_password_keeps_this_device_and_ends_the_others(app, logged_in, db, user):
    other_device = app.test_client()
    other_device.login(user.email, remember="y")
    other_remember = other_device.get_cookie("remember_token").value

    logged_in.submit(
        "/account/password",
        {"current_password": DEFAULT_PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )

    assert "You are logged in on this device only." in logged_in.get("/account").get_data(as_text=True)
    assert_sent_to_log_in(other_device, other_device.get("/account"))
    replay = copy_of(app, remember_token=other_remember)
    assert_sent_to_log_in(replay, replay.get("/account"))


def test_logging_in_as_someone_else_ends_the_previous_session(app, client, user, db):
    client.login(user.email)
    stolen = client.get_cookie("session").value
    other = create_user(email="kofi@example.org", name="Kofi Mensah", verified=False)
    with app.test_request_context():
        token = make_token("verify-email", {"uid": other.id, "email": other.email})

    client.get(f"/verify/{token}")  # a confirmation link logs its owner in here, in Ruth's place

    assert "You appear as <strong>Kofi Mensah</strong>" in client.get("/account").get_data(as_text=True)

    replay = copy_of(app, session=stolen)
    assert_sent_to_log_in(replay, replay.get("/account"))


def test_each_request_loads_the_user_and_checks_the_session_in_one_query(logged_in, count_queries):
    with count_queries() as statements:
        page = logged_in.get("/reset").get_data(as_text=True)

    assert "Log out" in page
    loads = [s for s in statements if "user_session" in s]
    assert len(loads) == 1
    assert "JOIN user_session" in loads[0]


def test_deleting_the_account_erases_its_sessions(logged_in, db, user):
    assert db.session.scalar(select(UserSession.id).where(UserSession.user_id == user.id)) is not None

    logged_in.submit("/account/delete", {"password": DEFAULT_PASSWORD, "confirm": "y"})

    db.session.expire_all()
    assert db.session.scalar(select(UserSession.id).where(UserSession.user_id == user.id)) is None
    assert db.session.get(User, user.id).deleted_at is not None


def test_the_database_keeps_only_a_hash_of_the_token(client, db, user):
    client.login(user.email, remember="y")
    [record] = db.session.scalars(select(UserSession)).all()
    token = client.get_cookie("remember_token").value.split("|")[0].rsplit(":", 1)[1]

    assert len(record.token_hash) == 64
    assert token not in record.token_hash
    assert record.revoked_at is None
    assert record.user_agent is not None
