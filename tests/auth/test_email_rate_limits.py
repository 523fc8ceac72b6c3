"""Sign-up and reset send mail to the address typed in, so they are limited per email address
as well as per client address: attempts spread over many addresses still stop within 20.

ProxyFix is off in tests (as by default), so the client address is REMOTE_ADDR, set per request.
"""

import json
import os
import subprocess
import sys
import uuid

import pytest

from tests.auth import test_login
from tests.conftest import outbox_messages, require

FORMS = {
    "/signup": {"name": "Someone", "password": "a long enough secret"},
    "/reset": {},
}
#: One address written the ways a person, or a script dodging the limit, might write it.
SPELLINGS = ["ruth@example.org", "RUTH@example.org", " Ruth@Example.ORG ", "ruth@EXAMPLE.org\t"]


@pytest.fixture
def app_settings():
    return {"RATELIMIT_ENABLED": True}


def post_from(client, url, email, address, token):
    data = {"csrf_token": token, "email": email, **FORMS[url]}
    return client.post(url, data=data, environ_base={"REMOTE_ADDR": address}).status_code


@pytest.mark.parametrize("url", FORMS)
def test_one_email_from_twenty_client_addresses_is_limited(client, user, url):
    token = client.csrf_token()

    codes = [post_from(client, url, SPELLINGS[n % 4], f"10.0.0.{n + 1}", token) for n in range(20)]

    assert codes[:5] == [200] * 5
    assert codes[5:] == [429] * 15
    assert len(outbox_messages(to="ruth@example.org")) == 5


@pytest.mark.parametrize("url", FORMS)
def test_the_email_limit_counts_each_address_on_its_own(client, user, url):
    token = client.csrf_token()

    codes = [post_from(client, url, f"person{n}@example.org", f"10.0.1.{n + 1}", token) for n in range(20)]

    assert codes == [200] * 20


@pytest.mark.parametrize("url", FORMS)
def test_one_client_address_is_limited_whatever_emails_it_types(client, user, url):
    token = client.csrf_token()

    codes = [post_from(client, url, f"person{n}@example.org", "10.0.2.1", token) for n in range(20)]

    assert codes[:10] == [200] * 10
    assert codes[10:] == [429] * 10


def test_the_limit_page_says_to_wait(client, user):
    token = client.csrf_token()
    for n in range(5):
        post_from(client, "/reset", "ruth@example.org", f"10.0.3.{n + 1}", token)

    response = client.post(
        "/reset",
        data={"csrf_token": token, "email": "ruth@example.org"},
        environ_base={"REMOTE_ADDR": "10.0.3.99"},
    )

    assert response.status_code == 429
    assert "Too many attempts" in response.get_data(as_text=True)


class TestEmailLimitSharedThroughRedis:
    """Two app servers on one Redis count the same address's attempts, as with many workers."""

    #: Flask-Limiter keeps the first key prefix it is given for the life of the process, so the
    #: same one as test_login.py's Redis test (whichever runs first sets it); a fresh email per test.
    KEY_PREFIX = test_login.TestRateLimitSharedThroughRedis.KEY_PREFIX

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

    def test_reset_attempts_on_two_servers_add_up(self, client, app_settings, database_url):
        email = f"someone-{uuid.uuid4().hex[:12]}@example.org"
        token = client.csrf_token()
        here = [post_from(client, "/reset", email, f"10.1.0.{n + 1}", token) for n in range(3)]

        settings = {**app_settings, "SQLALCHEMY_DATABASE_URI": database_url}
        result = subprocess.run(
            [sys.executable, "-c", SECOND_SERVER, json.dumps(settings), email.upper(), "3"],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
            env={**os.environ, "ROUNDTABLE_ENV": "testing"},
        )
        there = json.loads(result.stdout.strip().splitlines()[-1])

        assert here == [200] * 3
        assert there == [200, 200, 429]  # 5 per 15 minutes for the address, wherever it is typed


#: A second app server in its own process, sharing only the database and Redis.
SECOND_SERVER = """
import json, re, sys
from community import create_app
settings, email, times = json.loads(sys.argv[1]), sys.argv[2], int(sys.argv[3])
client = create_app(settings).test_client()
page = client.get("/reset").get_data(as_text=True)
token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
codes = [
    client.post("/reset", data={"csrf_token": token, "email": email},
                environ_base={"REMOTE_ADDR": f"10.2.0.{n + 1}"}).status_code
    for n in range(times)
]
print(json.dumps(codes))
"""
