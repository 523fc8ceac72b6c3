"""Headers, CSRF, error pages and transactions that every page relies on."""

import pytest
from sqlalchemy import select

from community.auth.models import User
from community.core.security import CONTENT_SECURITY_POLICY
from tests.factories import create_user


def test_every_page_sends_the_security_headers(client):
    response = client.get("/")
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_pages_have_no_inline_script_or_style(client, user):
    client.login(user.email)
    for url in ["/", "/account", "/account/password", "/account/delete", "/reset", "/nowhere"]:
        page = client.get(url).get_data(as_text=True)
        assert "<script" not in page, url
        assert " style=" not in page, url
        assert " onclick=" not in page, url


def test_session_cookie_is_httponly_and_lax(client, user):
    response = client.submit("/login", {"email": user.email, "password": "correct horse battery"})
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_a_wrong_csrf_token_gets_400_and_changes_nothing(client, db):
    response = client.post(
        "/signup",
        data={
            "csrf_token": "forged",
            "name": "Mallory",
            "email": "m@example.org",
            "password": "long enough pw",
        },
    )
    assert response.status_code == 400
    assert "The form had expired or came from another site" in response.get_data(as_text=True)
    assert db.session.scalar(select(User)) is None


@pytest.mark.parametrize("url", ["/nowhere", "/c/nothing-here/events/1"])
def test_missing_pages_get_a_styled_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "We couldn&#39;t find that page" in page
    assert 'class="site-header"' in page


@pytest.mark.fresh_app  # adds a route
def test_a_server_error_rolls_the_request_back(app, client, db):
    def half_done():
        db.session.add(User(email="half@example.org", name="Half", password_hash="!"))
        db.session.flush()
        raise RuntimeError("something broke after the first write")

    app.add_url_rule("/half", view_func=half_done)

    response = client.get("/half")

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(User).where(User.email == "half@example.org")) is None


def test_state_changing_urls_refuse_get(client, user):
    client.login(user.email)
    for url in ["/logout", "/account/verify/resend"]:
        assert client.get(url).status_code == 405, url


def test_health_check_reaches_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["status"] == "ok" and response.json["database"] == "ok"


def test_front_page_invites_newcomers_and_greets_members(client, db):
    page = client.get("/").get_data(as_text=True)
    assert "Keep your people meeting." in page
    assert 'href="/signup"' in page
    member = create_user(name="Kwame Mensah")
    client.login(member.email)
    assert "Welcome, Kwame Mensah." in client.get("/").get_data(as_text=True)
