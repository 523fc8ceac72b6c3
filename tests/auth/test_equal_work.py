"""Known and unknown email addresses cost the same slow work, so response times reveal nothing.

The real Argon2 hasher runs; the fixture only counts its calls (instrumentation, not a mock).
"""

import pytest
from argon2 import PasswordHasher

NEW_PASSWORD = "a long enough secret"


@pytest.fixture
def slow_work(monkeypatch) -> list[str]:
    """Every Argon2 hash or verification run from here on, in order."""
    calls: list[str] = []
    real_hash, real_verify = PasswordHasher.hash, PasswordHasher.verify

    def counted_hash(self, *args, **kwargs):
        calls.append("hash")
        return real_hash(self, *args, **kwargs)

    def counted_verify(self, *args, **kwargs):
        calls.append("verify")
        return real_verify(self, *args, **kwargs)

    monkeypatch.setattr(PasswordHasher, "hash", counted_hash)
    monkeypatch.setattr(PasswordHasher, "verify", counted_verify)
    return calls


def work_for(client, calls: list[str], url: str, data: dict, status: int = 200) -> list[str]:
    token = client.csrf_token()
    calls.clear()
    response = client.post(url, data={"csrf_token": token, **data})
    assert response.status_code == status, response.get_data(as_text=True)
    return list(calls)


def test_signup_hashes_the_password_for_a_registered_email_too(client, user, slow_work):
    form = {"name": "Someone", "password": NEW_PASSWORD}

    known = work_for(client, slow_work, "/signup", {**form, "email": user.email})
    unknown = work_for(client, slow_work, "/signup", {**form, "email": "new@example.org"})

    assert known == unknown == ["hash"]


def test_login_does_the_same_work_for_unknown_and_known_emails(client, user, slow_work):
    guess = {"password": "wrong guess!"}

    known = work_for(client, slow_work, "/login", {**guess, "email": user.email}, status=422)
    unknown = work_for(client, slow_work, "/login", {**guess, "email": "nobody@example.org"}, status=422)

    # One Argon2 run each: checking the guess against the hash, or hashing the guess.
    assert known == ["verify"]
    assert unknown == ["hash"]


def test_reset_request_runs_no_slow_work_for_either(client, user, slow_work):
    known = work_for(client, slow_work, "/reset", {"email": user.email})
    unknown = work_for(client, slow_work, "/reset", {"email": "nobody@example.org"})

    assert known == unknown == []
