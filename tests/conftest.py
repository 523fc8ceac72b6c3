"""Fixtures shared by every test.

Every test that touches the database runs twice: on SQLite, and on PostgreSQL when
TEST_DATABASE_URL is set. With ROUNDTABLE_REQUIRE_ALL=1 (set by .ci/run) a missing
PostgreSQL, Chromium or Node.js fails the test instead of skipping it.
"""

from __future__ import annotations

import os

os.environ["ROUNDTABLE_ENV"] = "testing"  # before the app is imported anywhere

import re
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, text

from community import create_app
from community.core.mail.models import OutboxMessage
from community.extensions import db as _db
from tests.factories import DEFAULT_PASSWORD, create_user

REQUIRE_ALL = os.environ.get("ROUNDTABLE_REQUIRE_ALL") == "1"
BACKENDS = ["sqlite", "postgresql"]


def require(available: bool, reason: str) -> None:
    """Skip when a real dependency (TEST_DATABASE_URL, chromium, node) is missing; fail in CI."""
    if available:
        return
    if REQUIRE_ALL:
        pytest.fail(f"{reason} (required in CI: ROUNDTABLE_REQUIRE_ALL=1)")
    pytest.skip(reason)  # only for: TEST_DATABASE_URL unset, chromium missing, node missing


# -- databases ---------------------------------------------------------------------------


def _worker_suffix() -> str:
    return f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{os.getpid()}"


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str | None]:
    """A private PostgreSQL database for this test process, dropped at the end."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        yield None
        return
    base = base.replace("postgresql+psycopg://", "postgresql://")
    name = f"roundtable_test_{_worker_suffix()}".lower()
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    url = base.rsplit("/", 1)[0] + "/" + name
    yield url.replace("postgresql://", "postgresql+psycopg://", 1)
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'roundtable.sqlite3'}"


_schema_ready: set[str] = set()


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def database_url(backend, sqlite_url, postgres_url) -> str:
    if backend == "postgresql":
        require(postgres_url is not None, "PostgreSQL tests need TEST_DATABASE_URL")
        return postgres_url
    return sqlite_url


def make_app(database_url: str, tmp_path: Path, **overrides) -> Flask:
    settings = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "MAIL_FILE_DIR": str(tmp_path / "mail"),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": False},
    }
    settings.update(overrides)
    return create_app(settings)


def reset_database() -> None:
    """Empty every table (schema kept): much faster than dropping and creating."""
    _db.session.remove()
    tables = list(reversed(_db.metadata.sorted_tables))
    with _db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(table.delete())
            if conn.execute(text("SELECT name FROM sqlite_master WHERE name='sqlite_sequence'")).first():
                conn.execute(text("DELETE FROM sqlite_sequence"))


@pytest.fixture
def app_settings() -> dict:
    """Override in a test module (or parametrize) to change the app's settings."""
    return {}


@pytest.fixture
def app(database_url, tmp_path, app_settings) -> Iterator[Flask]:
    app = make_app(database_url, tmp_path, **app_settings)
    with app.app_context():
        if database_url not in _schema_ready:
            _db.drop_all()
            _db.create_all()
            _schema_ready.add(database_url)
        try:
            yield app
        finally:
            reset_database()
            _db.engine.dispose()


@pytest.fixture
def db(app):
    return _db


# -- clients -----------------------------------------------------------------------------

CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Client(FlaskClient):
    """A test client that sends the CSRF token a real browser would.

    Each request runs in its own app context, as in a real server: otherwise it would
    reuse the test's context, and with it `g` (cached CSRF token, logged-in user) and the
    test's database session.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)

    def csrf_token(self) -> str:
        page = self.get("/reset").get_data(as_text=True)
        match = CSRF_INPUT.search(page)
        assert match, "no CSRF token on /reset"
        return match.group(1)

    def submit(self, url: str, data: dict | None = None, **kwargs):
        """POST a form as a browser would, CSRF token included."""
        payload = {"csrf_token": self.csrf_token(), **(data or {})}
        return self.post(url, data=payload, **kwargs)

    def login(self, email: str, password: str = DEFAULT_PASSWORD, **kwargs):
        response = self.submit("/login", {"email": email, "password": password, **kwargs})
        assert response.status_code == 302, response.get_data(as_text=True)
        return response

    def logout(self):
        return self.submit("/logout")


@pytest.fixture
def client(app) -> Client:
    app.test_client_class = Client
    return app.test_client()


@pytest.fixture
def user(app):
    return create_user(email="ruth@example.org", name="Ruth Okafor")


@pytest.fixture
def logged_in(client, user) -> Client:
    client.login(user.email)
    return client


# -- mail --------------------------------------------------------------------------------


def outbox_messages(kind: str | None = None, to: str | None = None) -> list[OutboxMessage]:
    _db.session.expire_all()
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    if to:
        query = query.where(OutboxMessage.to_address == to)
    return list(_db.session.scalars(query))


LINK = re.compile(r"https?://[^\s<>\"]+")


def link_in(message: OutboxMessage, containing: str) -> str:
    """The first link in the email's text whose URL contains `containing`, as a local path."""
    for url in LINK.findall(message.body_text):
        if containing in url:
            return re.sub(r"^https?://[^/]+", "", url)
    raise AssertionError(f"no link with {containing!r} in:\n{message.body_text}")
