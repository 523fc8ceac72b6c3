import json
import os
import random
import subprocess
import sys
import uuid

import pytest

from community.core.mail.models import OutboxMessage
from tests.conftest import require
from tests.factories import DEFAULT_PASSWORD, create_user


def test_login_with_the_right_password(client, user):
    response = client.submit("/login", {"email": "RUTH@example.org", "password": DEFAULT_PASSWORD})

    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "Welcome back, Ruth Okafor." in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    "email, password",
    [
        ("ruth@example.org", "wrong password!"),
        ("nobody@example.org", DEFAULT_PASSWORD),
    ],
)
def test_wrong_email_or_password_gets_one_generic_message(client, user, email, password):
    response = client.submit("/login", {"email": email, "password": password})

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "That email and password don&#39;t match an account." in page
    assert "Log out" not in page


def test_next_redirects_only_within_the_site(client, user):
    response = client.submit(
        "/login", {"email": user.email, "password": DEFAULT_PASSWORD, "next": "/account"}
    )
    assert response.headers["Location"] == "/account"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
    ],
)
def test_next_to_another_site_is_ignored(client, user, target):
    response = client.submit("/login", {"email": user.email, "password": DEFAULT_PASSWORD, "next": target})
    assert response.headers["Location"] == "/"


def test_login_page_remembers_where_you_were_going(client, user):
    response = client.get("/account")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=%2Faccount"
    assert 'value="/account"' in client.get("/login?next=/account").get_data(as_text=True)


def test_remember_me_sets_a_long_lived_httponly_cookie(client, user):
    client.submit("/login", {"email": user.email, "password": DEFAULT_PASSWORD, "remember": "y"})

    cookie = client.get_cookie("remember_token")
    assert cookie is not None
    assert cookie.http_only
    assert cookie.expires is not None


def test_without_remember_me_no_remember_cookie(client, user):
    client.login(user.email)
    assert client.get_cookie("remember_token") is None


def test_logout_is_post_only_and_needs_csrf(client, user):
    client.login(user.email)

    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400  # no CSRF token
    assert "Log out" in client.get("/").get_data(as_text=True)

    client.logout()
    assert "Log out" not in client.get("/").get_data(as_text=True)


def test_deleted_account_cannot_log_in(client, db, user):
    client.login(user.email)
    client.submit("/account/delete", {"password": DEFAULT_PASSWORD, "confirm": "y"})

    response = client.submit("/login", {"email": "ruth@example.org", "password": DEFAULT_PASSWORD})

    assert response.status_code == 422


class TestRateLimit:
    @pytest.fixture
    def app_settings(self):
        return {"RATELIMIT_ENABLED": True}

    def test_a_burst_of_failed_logins_gets_429(self, client, user):
        token = client.csrf_token()
        codes = [
            client.post(
                "/login", data={"csrf_token": token, "email": user.email, "password": f"guess {n}"}
            ).status_code
            for n in range(30)
        ]
        assert codes[0] == 422
        assert codes.count(429) >= 15
        response = client.post(
            "/login", data={"csrf_token": token, "email": user.email, "password": DEFAULT_PASSWORD}
        )
        assert response.status_code == 429
        assert "Too many attempts" in response.get_data(as_text=True)

    def test_signup_and_reset_are_limited_too(self, client, db):
        token = client.csrf_token()
        for url in ("/signup", "/reset"):
            codes = [
                client.post(url, data={"csrf_token": token, "email": "x"}).status_code for _ in range(15)
            ]
            assert 429 in codes, url
        assert db.session.query(OutboxMessage).count() == 0


def test_admin_area_is_404_for_everyone_but_site_admins(client, db):
    member = create_user()
    admin = create_user(admin=True)
    assert client.get("/admin/").status_code == 404
    client.login(member.email)
    assert client.get("/admin/").status_code == 404
    client.logout()
    client.login(admin.email)
    page = client.get("/admin/").get_data(as_text=True)
    assert "Site administration" in page
    assert "confirmed emails" in page


class TestRateLimitSharedThroughRedis:
    """Two app servers on one Redis count the same attempts, as in a scaled-out deployment."""

    #: Flask-Limiter keeps the first key prefix it is given for the life of the process,
    #: so one per process, and a fresh client address per test keeps the counts apart.
    KEY_PREFIX = f"roundtable-test-{uuid.uuid4().hex}"

    @pytest.fixture
    def app_settings(self):
        require(
            bool(os.environ.get("TEST_REDIS_URL")),
            "the Redis test needs TEST_REDIS_URL (like TEST_DATABASE_URL)",
        )
        return {
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": os.environ["TEST_REDIS_URL"],
            "RATELIMIT_KEY_PREFIX": self.KEY_PREFIX,
        }

    def test_attempts_on_two_servers_add_up(self, client, user, app_settings, database_url):
        address = f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"

        def fail_here(times: int) -> list[int]:
            token = client.csrf_token()
            return [
                client.post(
                    "/login",
                    data={"csrf_token": token, "email": user.email, "password": f"guess {n}"},
                    environ_base={"REMOTE_ADDR": address},
                ).status_code
                for n in range(times)
            ]

        def fail_on_another_server(times: int) -> list[int]:
            settings = {**app_settings, "SQLALCHEMY_DATABASE_URI": database_url}
            result = subprocess.run(
                [sys.executable, "-c", SECOND_SERVER, json.dumps(settings), address, user.email, str(times)],
                capture_output=True,
                text=True,
                timeout=60,
                check=True,
                env={**os.environ, "ROUNDTABLE_ENV": "testing"},
            )
            return json.loads(result.stdout.strip().splitlines()[-1])

        # 10 a minute from one address, whichever server the attempts reach.
        assert fail_here(5) == [422] * 5
        assert fail_on_another_server(6) == [422] * 5 + [429]
        assert fail_here(1) == [429]


#: A second app server in its own process, sharing only the database and Redis.
SECOND_SERVER = """
import json, re, sys
from community import create_app
settings, address, email, times = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
client = create_app(settings).test_client()
page = client.get("/reset").get_data(as_text=True)
token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
codes = [
    client.post("/login", data={"csrf_token": token, "email": email, "password": f"other {n}"},
                environ_base={"REMOTE_ADDR": address}).status_code
    for n in range(times)
]
print(json.dumps(codes))
"""
