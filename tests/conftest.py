"""Fixtures shared by every test.

Every test that touches the database runs twice: on SQLite, and on PostgreSQL when
TEST_DATABASE_URL is set. With ROUNDTABLE_REQUIRE_ALL=1 (set by .ci/run) a missing
PostgreSQL, Chromium or Node.js fails the test instead of skipping it.

Apps are shared: each test process builds one app per database and set of `app_settings`, and
every test gets it with a fresh app context and mail folder, and empty tables afterwards (see
`one_test`). Data comes from tests/factories.py; `count_queries` counts SQL statements.
"""

from __future__ import annotations

import os

os.environ["ROUNDTABLE_ENV"] = "testing"  # before the app is imported anywhere

import re
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import psycopg
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, text

from community import create_app
from community.core import kept, reads
from community.core.mail.models import OutboxMessage
from community.core.reads import reading_engine
from community.extensions import cache, limiter
from community.extensions import db as _db
from tests.factories import DEFAULT_PASSWORD, create_user
from tests.helpers import copy_containers, counting_queries, restore, settings_key

REQUIRE_ALL = os.environ.get("ROUNDTABLE_REQUIRE_ALL") == "1"
BACKENDS = ["sqlite", "postgresql"]


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "fresh_app: the test changes the app itself, so it gets its own")


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
    """A new app on `database_url`. Tests get theirs from the `app` fixture instead."""
    settings = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "MAIL_FILE_DIR": str(tmp_path / "mail"),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": False},
    }
    settings.update(overrides)
    return create_app(settings)


def close_app(app: Flask) -> None:
    """Close the app's database connections."""
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()
    if (reading := reading_engine(app)) is not None:
        reading.dispose()


#: Every sequence of the schema back to 1, as after TRUNCATE ... RESTART IDENTITY.
RESTART_SEQUENCES = text(
    "SELECT setval(c.oid, 1, false) FROM pg_class c "
    "WHERE c.relkind = 'S' AND c.relnamespace = current_schema()::regnamespace"
)


def reset_database() -> None:
    """Empty every table and restart the ids at 1 (schema kept): much faster than dropping and
    creating. DELETE, children first, rather than TRUNCATE: a test leaves a few rows, and on
    PostgreSQL TRUNCATE of every table takes about 0.2 s where DELETE takes a few ms."""
    _db.session.remove()
    with _db.engine.begin() as conn:
        for table in reversed(_db.metadata.sorted_tables):
            conn.execute(table.delete())
        if conn.dialect.name == "postgresql":
            conn.execute(RESTART_SEQUENCES)
        elif conn.execute(text("SELECT name FROM sqlite_master WHERE name='sqlite_sequence'")).first():
            conn.execute(text("DELETE FROM sqlite_sequence"))


class AppCache:
    """The apps of this test process, one per (database, settings), built when first asked for.

    Building an app is cheap, but a new one starts with no compiled templates, URL rules or SQL
    statements and a new connection pool: reusing it is most of what makes the suite fast. The
    least recently used app beyond MAX_APPS is closed, so that settings used by one module
    only do not keep their connections open for the rest of the run.
    """

    MAX_APPS = 6

    def __init__(self) -> None:
        self.apps: OrderedDict[tuple[str, str], Flask] = OrderedDict()

    def get(self, database_url: str, settings: dict, tmp_path: Path) -> Flask:
        key = (database_url, settings_key(settings))
        app = self.apps.pop(key, None) or make_app(database_url, tmp_path, **settings)
        self.apps[key] = app
        while len(self.apps) > self.MAX_APPS:
            close_app(self.apps.popitem(last=False)[1])
        return app

    def forget(self, app: Flask) -> None:
        for key, cached in list(self.apps.items()):
            if cached is app:
                del self.apps[key]
        close_app(app)

    def close(self) -> None:
        while self.apps:
            close_app(self.apps.popitem()[1])


@pytest.fixture(scope="session")
def app_cache(postgres_url) -> Iterator[AppCache]:
    """Needs postgres_url so that the apps' connections close before their database is dropped."""
    cache = AppCache()
    yield cache
    cache.close()


@pytest.fixture
def app_settings() -> dict:
    """Override in a test module (or parametrize) to change the app's settings."""
    return {}


@contextmanager
def one_test(app: Flask, tmp_path: Path) -> Iterator[None]:
    """Run a test on `app` as if the app were new, and leave it as it was found.

    The test gets its own app context (`g`, database session) and mail folder, a rate limiter
    set up for this app with empty counts (the limiter is one object shared by every app: its
    settings are those of the last app it was set up for), the schema, and, afterwards, empty
    tables and the app's settings and extension registries as they were.
    """
    config = copy_containers(dict(app.config))
    extensions = copy_containers(dict(app.extensions))
    app.config["MAIL_FILE_DIR"] = str(tmp_path / "mail")
    limiter.init_app(app)  # new storage, so new counts; hooks are added once per app
    try:
        with app.app_context():
            cache.clear()  # kept by state, but a new test's rows may repeat an old state
            kept.forget_all(app)  # the same, for what signed-in pages keep in the process
            database_url = app.config["SQLALCHEMY_DATABASE_URI"]
            if database_url not in _schema_ready:
                _db.drop_all()
                _db.create_all()
                _schema_ready.add(database_url)
            try:
                yield
            finally:
                reset_database()
    finally:
        restore(app.config, config)
        restore(app.extensions, extensions)


@pytest.fixture
def app(request, database_url, tmp_path, app_settings, app_cache) -> Iterator[Flask]:
    """The app for this backend and these settings, shared with the tests that use the same.

    A test that changes the app itself (adds a route) marks itself `@pytest.mark.fresh_app` and
    gets an app of its own, as Flask refuses new routes once an app has served a request.
    """
    if request.node.get_closest_marker("fresh_app"):
        app = make_app(database_url, tmp_path, **app_settings)
        with one_test(app, tmp_path):
            yield app
        close_app(app)
        return
    app = app_cache.get(database_url, app_settings, tmp_path)
    routes = set(app.view_functions)
    with one_test(app, tmp_path):
        yield app
    if set(app.view_functions) != routes:
        app_cache.forget(app)
        pytest.fail("this test added routes to the shared app: mark it @pytest.mark.fresh_app")


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def count_queries(app) -> Callable[[], AbstractContextManager[list[str]]]:
    """Count the SQL statements the app runs inside a `with` block (requests included):

    with count_queries() as statements:
        client.get("/c/northfield/members")
    assert len(statements) == 4
    """
    return lambda: _every_statement(app)


@contextmanager
def _every_statement(app: Flask) -> Iterator[list[str]]:
    """With the reads of core.reads too (on PostgreSQL their own pool, straight through the
    driver, which SQLAlchemy's events do not see): every statement counts."""
    with counting_queries(_db.engine, reading_engine(app)) as statements:
        stop = reads.listen(statements.append)
        try:
            yield statements
        finally:
            stop()


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
