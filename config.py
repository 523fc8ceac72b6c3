"""Settings. Each class is a set of defaults; every setting can be overridden by an
environment variable of the same name (DATABASE_URL sets SQLALCHEMY_DATABASE_URI).

Pick the class with ROUNDTABLE_ENV=development|testing|production (default development).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"
INSECURE_SECRET_KEY = "dev-only-insecure-secret-key-change-me"
#: The Redis client's settings for the page cache (CACHE_OPTIONS when CACHE_REDIS_URL is set).
REDIS_CACHE_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _optional(value: str) -> str | None:
    return value or None


def database_uri(url: str) -> str:
    """Turn a DATABASE_URL as hosting providers write it into a SQLAlchemy URI using psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


#: Environment variable -> how to read it. Anything not listed is not read from the environment.
ENVIRONMENT_SETTINGS = {
    "SECRET_KEY": str,
    "SQLALCHEMY_DATABASE_URI": database_uri,
    "SERVER_NAME": _optional,
    "PREFERRED_URL_SCHEME": str,
    "SESSION_COOKIE_SECURE": _bool,
    "REMEMBER_COOKIE_SECURE": _bool,
    "MAIL_SERVER": _optional,
    "MAIL_PORT": int,
    "MAIL_USERNAME": _optional,
    "MAIL_PASSWORD": _optional,
    "MAIL_USE_TLS": _bool,
    "MAIL_USE_SSL": _bool,
    "MAIL_DEFAULT_SENDER": str,
    "MAIL_FILE_DIR": str,
    "MAIL_MAX_ATTEMPTS": int,
    "MAIL_TIMEOUT": float,
    "MAIL_DELIVER_IN_PROCESS": _bool,
    "INVITATIONS_PER_ACCOUNT_PER_HOUR": int,
    "INVITATIONS_PER_COMMUNITY_PER_DAY": int,
    "MESSAGES_PER_ACCOUNT_PER_HOUR": int,
    "MESSAGES_PER_COMMUNITY_PER_DAY": int,
    "RATELIMIT_STORAGE_URI": str,
    "RATELIMIT_ENABLED": _bool,
    "RATELIMIT_SINGLE_PROCESS": _bool,
    "CACHE_REDIS_URL": _optional,
    "PROXY_FIX_X_FOR": int,
    "SITE_NAME": str,
}


class Config:
    SITE_NAME = "Roundtable"
    SECRET_KEY = INSECURE_SECRET_KEY
    SQLALCHEMY_DATABASE_URI = f"sqlite:///{INSTANCE_DIR / 'roundtable.sqlite3'}"
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = {"pool_pre_ping": True}
    SERVER_NAME: str | None = None
    PREFERRED_URL_SCHEME = "http"

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = False
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    PERMANENT_SESSION_LIFETIME = timedelta(days=14)

    #: The largest request body: the biggest upload (an 8 MB cover or photo) and its form.
    #: Anything bigger is refused with the styled 413 page before it is read.
    MAX_CONTENT_LENGTH = 10 * 1024 * 1024

    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None  # tied to the session instead; a long form fill must not fail

    #: None means "no SMTP": mail is written as .eml files under MAIL_FILE_DIR and logged.
    MAIL_SERVER: str | None = None
    MAIL_PORT = 587
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_USE_TLS = True
    MAIL_USE_SSL = False
    MAIL_DEFAULT_SENDER = "Roundtable <no-reply@roundtable.localhost>"
    MAIL_FILE_DIR = str(INSTANCE_DIR / "mail")
    #: Tries before an email is marked failed. The backoff (core/mail/delivery.py) waits 1, 2, 4 ...
    #: minutes, at most an hour, so 30 tries span a relay outage of about 24 hours, and mail
    #: queued during it goes out within an hour of the relay's return.
    MAIL_MAX_ATTEMPTS = 30
    MAIL_TIMEOUT = 10.0
    #: Deliver due mail right after each request commits, instead of leaving it to the
    #: `flask outbox` worker. For development, where nobody runs a worker.
    MAIL_DELIVER_IN_PROCESS = False
    #: Mail that people's actions send to others (community/core/mail/quota.py): invitation
    #: emails, CSV imports included, and organizers' messages to attendees (one per recipient).
    INVITATIONS_PER_ACCOUNT_PER_HOUR = 50
    INVITATIONS_PER_COMMUNITY_PER_DAY = 200
    MESSAGES_PER_ACCOUNT_PER_HOUR = 1000
    MESSAGES_PER_COMMUNITY_PER_DAY = 2000

    #: Where rate-limit counts live. memory:// is per process: production refuses it (every
    #: worker would count alone) unless RATELIMIT_SINGLE_PROCESS says there is only one.
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_SINGLE_PROCESS = False
    RATELIMIT_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True
    #: A store that cannot be reached (Redis restarting) never fails a request: each process
    #: counts in its own memory until the store answers again (Flask-Limiter checks now and
    #: then, at most half a minute apart), logging one warning per process for the outage.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True  # the last guard: a limiter error lets the request through
    #: A store that does not answer (a host gone, not refusing) costs a request at most a second.
    RATELIMIT_STORAGE_OPTIONS: dict[str, Any] = {"socket_connect_timeout": 1.0, "socket_timeout": 1.0}
    #: Limits for the forms people guess at: log in, sign up, password reset, per client address.
    AUTH_RATE_LIMIT = "10 per minute;60 per hour"
    #: Sign-up and reset send mail to the address typed in: limited per address too, whatever
    #: client addresses the attempts come from.
    AUTH_EMAIL_RATE_LIMIT = "5 per 15 minutes;20 per day"

    #: What is the same for every visitor (assembled calendar feeds), stored by its state.
    #: SimpleCache is per process; with CACHE_REDIS_URL set (redis://127.0.0.1:6379/1) every
    #: worker shares one Redis cache. A cache that is down is a miss, never an error.
    CACHE_TYPE = "SimpleCache"
    CACHE_REDIS_URL: str | None = None
    CACHE_DEFAULT_TIMEOUT = 24 * 3600
    CACHE_THRESHOLD = 500  # SimpleCache: entries kept per process
    #: With CACHE_REDIS_URL: a Redis that does not answer is a miss after at most half a second.
    CACHE_OPTIONS: dict[str, Any] | None = None

    #: Number of reverse proxies in front of the app whose X-Forwarded-For is trusted.
    PROXY_FIX_X_FOR = 0

    #: Argon2id cost. The defaults follow RFC 9106's second recommended option.
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 64 * 1024
    ARGON2_PARALLELISM = 2

    @classmethod
    def load(cls, environ: Mapping[str, str] = os.environ) -> dict[str, Any]:
        """The class's settings with environment overrides applied, checked."""
        settings = {key: getattr(cls, key) for key in dir(cls) if key.isupper()}
        if environ.get("DATABASE_URL"):
            settings["SQLALCHEMY_DATABASE_URI"] = database_uri(environ["DATABASE_URL"])
        for key, read in ENVIRONMENT_SETTINGS.items():
            if key in environ and key != "SQLALCHEMY_DATABASE_URI":
                settings[key] = read(environ[key])
        if settings.get("CACHE_REDIS_URL"):
            settings["CACHE_TYPE"] = "RedisCache"
            settings["CACHE_OPTIONS"] = settings.get("CACHE_OPTIONS") or dict(REDIS_CACHE_OPTIONS)
        cls.check(settings, environ)
        return settings

    @classmethod
    def check(cls, settings: dict[str, Any], environ: Mapping[str, str]) -> None:
        """Refuse settings this environment must not run with. Nothing to refuse by default."""


class DevelopmentConfig(Config):
    DEBUG = False  # `flask run --debug` turns on the debugger; never by default
    #: Links in emails and feeds; requests on other host names are still served.
    #: `make run` sets it to the HOST:PORT it serves.
    SERVER_NAME = "127.0.0.1:5000"
    TEMPLATES_AUTO_RELOAD = True
    MAIL_DELIVER_IN_PROCESS = True


class TestingConfig(Config):
    TESTING = True
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    MAIL_FILE_DIR = str(INSTANCE_DIR / "test-mail")
    RATELIMIT_ENABLED = False  # tests that check rate limits switch them back on
    # Bulk tests (a 20,000-row import) send far more; the tests of these limits set their own.
    INVITATIONS_PER_ACCOUNT_PER_HOUR = 1_000_000
    INVITATIONS_PER_COMMUNITY_PER_DAY = 1_000_000
    SERVER_NAME = "localhost"
    # Fast hashing: the algorithm is the same, only the cost is lower.
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 1024
    ARGON2_PARALLELISM = 1


class ProductionConfig(Config):
    PREFERRED_URL_SCHEME = "https"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "pool_size": 5, "max_overflow": 5}

    @classmethod
    def check(cls, settings: dict[str, Any], environ: Mapping[str, str]) -> None:
        problems = []
        secret = settings.get("SECRET_KEY") or ""
        if secret == INSECURE_SECRET_KEY or len(secret) < 32:
            problems.append(
                "SECRET_KEY must be set to a random value of at least 32 characters "
                '(python3 -c "import secrets; print(secrets.token_urlsafe(48))")'
            )
        if not environ.get("DATABASE_URL"):
            problems.append("DATABASE_URL must point at the production database")
        if not settings.get("SERVER_NAME"):
            problems.append("SERVER_NAME must be the site's public host name, for links in emails and feeds")
        storage = (settings.get("RATELIMIT_STORAGE_URI") or "memory://").strip().lower()
        if "memory" in storage.partition("://")[0] and not settings.get("RATELIMIT_SINGLE_PROCESS"):
            problems.append(
                "RATELIMIT_STORAGE_URI must be a store shared by every worker, such as "
                "redis://127.0.0.1:6379/0 (with memory:// each process counts alone and the limits "
                "multiply); if the site really runs as one single process, set RATELIMIT_SINGLE_PROCESS=1"
            )
        if problems:
            raise RuntimeError("Refusing to start in production: " + "; ".join(problems) + ".")


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_class(environ: Mapping[str, str] = os.environ) -> type[Config]:
    """The Config class named by ROUNDTABLE_ENV."""
    name = environ.get("ROUNDTABLE_ENV", "development").strip().lower()
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(f"ROUNDTABLE_ENV={name!r} is not one of {', '.join(CONFIGS)}.") from None
