"""/healthz names each service and its state, and the site keeps serving when one is down:
the rate-limit store or the page cache (a private redis-server, stopped), or the database
(nothing listening), which alone makes /healthz and every page answer 503."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from community.core.mail.models import OutboxStatus
from community.core.models import utcnow
from community.extensions import limiter, limiter_warnings
from config import REDIS_CACHE_OPTIONS
from tests.conftest import Client, close_app, make_app
from tests.factories import create_community, create_outbox_message, create_user
from tests.faults.servers import free_port, running_redis

FALLBACK_WARNING = "Rate limit storage unreachable - falling back to in-memory storage"


@pytest.fixture
def redis_server(tmp_path):
    with running_redis(tmp_path) as server:
        yield server


@pytest.fixture
def other_app(app, tmp_path):
    """Build an app on the test database with other settings: other_app(**settings)."""
    built = []

    def build(**settings):
        other = make_app(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path, **settings)
        other.test_client_class = Client
        built.append(other)
        return other

    yield build
    for other in built:
        close_app(other)
    # The limiter is shared by every app: leave it as it was found, on its store, nothing warned.
    limiter._storage_dead = False
    limiter_warnings.warned = False


def test_a_healthy_site_answers_200_naming_each_service(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json == {
        "status": "ok",
        "database": "ok",
        "rate_limit_store": "off",  # tests switch rate limits off unless they check them
        "cache": "local",
        "outbox": {"pending": 0, "oldest_pending_seconds": None, "retrying": 0, "failed": 0},
    }
    assert response.headers["Cache-Control"] == "no-store"


def test_the_outbox_backlog_and_its_age_are_reported(client, db):
    now = utcnow()
    create_outbox_message(created_at=now - timedelta(hours=2), attempts=4)
    create_outbox_message()
    create_outbox_message(status=OutboxStatus.FAILED, attempts=30)

    outbox = client.get("/healthz").json["outbox"]

    assert outbox["pending"] == 2 and outbox["retrying"] == 1 and outbox["failed"] == 1
    assert 7200 <= outbox["oldest_pending_seconds"] <= 7210


def test_log_ins_go_on_limited_per_process_when_the_rate_limit_store_stops(other_app, redis_server, caplog):
    app = other_app(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=redis_server.url)
    client = app.test_client()
    assert client.get("/healthz").json["rate_limit_store"] == "ok"

    redis_server.stop()
    with caplog.at_level(logging.WARNING, logger="flask-limiter"):
        guesses = [
            client.submit("/login", {"email": "x@example.org", "password": "wrong"}) for _ in range(12)
        ]
    health = client.get("/healthz")

    # Ten wrong passwords a minute are answered (counted in this process's memory), then 429.
    assert [guess.status_code for guess in guesses] == [422] * 10 + [429] * 2
    assert "Too many attempts" in guesses[-1].get_data(as_text=True)
    assert [r.getMessage() for r in caplog.records if r.name == "flask-limiter"] == [FALLBACK_WARNING]
    assert health.status_code == 200
    assert health.json["status"] == "degraded" and health.json["rate_limit_store"] == "degraded"
    assert [client.get("/healthz").status_code for _ in range(30)] == [200] * 30  # never limited


def test_pages_are_built_without_the_cache_while_it_is_down(other_app, redis_server, db, caplog):
    create_community(create_user(name="Olu Organizer"))
    app = other_app(
        CACHE_TYPE="RedisCache", CACHE_REDIS_URL=redis_server.url, CACHE_OPTIONS=REDIS_CACHE_OPTIONS
    )
    client = app.test_client()

    first = client.get("/communities").get_data(as_text=True)
    front = client.get("/")
    assert front.status_code == 200 and redis_server.keys() != []  # the front page was stored
    assert client.get("/healthz").json["cache"] == "ok"

    redis_server.stop()
    with caplog.at_level(logging.WARNING, logger="community.core.cache"):
        pages = [client.get("/") for _ in range(3)]
        health = client.get("/healthz")
        redis_server.start()
        again = client.get("/")

    assert [page.status_code for page in pages] == [200, 200, 200]
    assert all(page.get_data() == front.get_data() for page in pages + [again])
    assert "Northfield Alumni" in first
    assert health.status_code == 200
    assert health.json["status"] == "degraded" and health.json["cache"] == "unreachable"
    messages = [r.getMessage() for r in caplog.records if r.name == "community.core.cache"]
    assert len(messages) == 2  # one when it stopped answering, one when it was back
    assert messages[0].startswith("The cache is unreachable; pages are built without it until it is back")
    assert messages[1] == "The cache answers again"
    assert client.get("/healthz").json["cache"] == "ok"


@pytest.fixture
def database_down(tmp_path):
    """An app whose database does not listen (the server is down): same secret, so a session
    cookie from the working app is good here too."""
    down = make_app(f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/roundtable", tmp_path)
    down.test_client_class = Client
    yield down
    close_app(down)


def test_without_the_database_healthz_answers_503(database_down):
    response = database_down.test_client().get("/healthz")

    assert response.status_code == 503
    assert response.json == {
        "status": "unavailable",
        "database": "unreachable",
        "rate_limit_store": "off",
        "cache": "local",
        "outbox": None,
    }


def test_without_the_database_pages_answer_the_styled_503(database_down, logged_in):
    visitor = database_down.test_client()
    member = database_down.test_client()
    member.set_cookie("session", logged_in.get_cookie("session").value, domain="localhost")

    for client in (visitor, member):
        response = client.get("/c/northfield")
        page = response.get_data(as_text=True)
        assert response.status_code == 503
        assert response.headers["Retry-After"] == "5"
        assert "The site is briefly unavailable" in page
        assert "Nothing you sent was saved. Please try again in a moment." in page
        assert 'href="/login"' in page  # built without the database: shown as signed out


def test_one_outage_of_the_limit_store_is_one_warning_in_the_log():
    """The requests already asking the store when it went fail too, each at its own step
    (checking, counting, writing the headers): their tracebacks are the same outage."""
    filter_ = type(limiter_warnings)()

    def kept(message: str) -> bool:
        return filter_.filter(logging.LogRecord("flask-limiter", logging.ERROR, "", 0, message, None, None))

    swallowed = [
        "Failed to rate limit. Swallowing error",
        "Failed to deduct rate limit. Swallowing error",
        "Failed to update rate limit headers. Swallowing error",
    ]
    assert kept(FALLBACK_WARNING)
    assert not kept(FALLBACK_WARNING)
    assert [kept(message) for message in swallowed] == [False, False, False]
    assert kept("Rate limit storage recovered")
    assert [kept(message) for message in swallowed] == [True, True, True]  # no outage: a real error
