"""Settings come from the environment; production refuses unsafe ones."""

import os
import subprocess
from datetime import timedelta

import pytest

from community.core.mail.delivery import backoff
from config import (
    BASE_DIR,
    INSECURE_SECRET_KEY,
    DevelopmentConfig,
    ProductionConfig,
    TestingConfig,
    config_class,
)

GOOD_SECRET = "x" * 48


def test_environment_overrides_settings():
    settings = DevelopmentConfig.load(
        {
            "DATABASE_URL": "postgres://rt:pw@db.internal/roundtable",
            "MAIL_SERVER": "smtp.example.org",
            "MAIL_PORT": "2525",
            "MAIL_USE_TLS": "false",
            "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
            "SERVER_NAME": "club.example.org",
            "PREFERRED_URL_SCHEME": "https",
        }
    )
    assert settings["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://rt:pw@db.internal/roundtable"
    assert settings["MAIL_SERVER"] == "smtp.example.org"
    assert settings["MAIL_PORT"] == 2525
    assert settings["MAIL_USE_TLS"] is False
    assert settings["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"
    assert settings["SERVER_NAME"] == "club.example.org"


def test_development_defaults_to_sqlite_in_the_instance_folder():
    assert DevelopmentConfig.load({})["SQLALCHEMY_DATABASE_URI"].endswith("instance/roundtable.sqlite3")


@pytest.mark.parametrize(
    "environ, problem",
    [
        ({"DATABASE_URL": "postgresql://db/rt"}, "SECRET_KEY"),
        ({"DATABASE_URL": "postgresql://db/rt", "SECRET_KEY": INSECURE_SECRET_KEY}, "SECRET_KEY"),
        ({"DATABASE_URL": "postgresql://db/rt", "SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"SECRET_KEY": GOOD_SECRET}, "DATABASE_URL"),
    ],
)
def test_production_refuses_to_start_without_real_settings(environ, problem):
    with pytest.raises(RuntimeError, match=problem):
        ProductionConfig.load(environ)


MEMORY = {"RATELIMIT_STORAGE_URI": "memory://"}
REAL = {
    "DATABASE_URL": "postgresql://db/rt",
    "SECRET_KEY": GOOD_SECRET,
    "SERVER_NAME": "club.example.org",
    "RATELIMIT_STORAGE_URI": "redis://redis.internal:6379/0",
}


def test_production_with_real_settings_uses_secure_cookies():
    settings = ProductionConfig.load(REAL)
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["REMEMBER_COOKIE_SECURE"] is True
    assert settings["PREFERRED_URL_SCHEME"] == "https"
    assert settings["RATELIMIT_STORAGE_URI"] == "redis://redis.internal:6379/0"


@pytest.mark.parametrize(
    "storage",
    [None, "memory://", "MEMORY://", " memory:// ", "", "async+memory://"],
)
def test_production_refuses_a_rate_limit_store_each_worker_keeps_alone(storage):
    environ = {key: value for key, value in REAL.items() if key != "RATELIMIT_STORAGE_URI"}
    if storage is not None:
        environ["RATELIMIT_STORAGE_URI"] = storage
    with pytest.raises(RuntimeError) as refused:
        ProductionConfig.load(environ)
    message = str(refused.value)
    assert "RATELIMIT_STORAGE_URI must be a store shared by every worker" in message
    assert "redis://" in message
    assert "RATELIMIT_SINGLE_PROCESS=1" in message


@pytest.mark.parametrize("single", ["0", "false", ""])
def test_production_needs_a_yes_to_run_on_memory(single):
    with pytest.raises(RuntimeError, match="RATELIMIT_STORAGE_URI"):
        ProductionConfig.load({**REAL, **MEMORY, "RATELIMIT_SINGLE_PROCESS": single})


def test_production_runs_on_memory_when_told_it_is_one_process():
    settings = ProductionConfig.load({**REAL, **MEMORY, "RATELIMIT_SINGLE_PROCESS": "1"})
    assert settings["RATELIMIT_STORAGE_URI"] == "memory://"
    assert settings["RATELIMIT_SINGLE_PROCESS"] is True


def test_development_and_testing_count_in_memory_with_no_redis():
    assert DevelopmentConfig.load({})["RATELIMIT_STORAGE_URI"] == "memory://"
    assert TestingConfig.load({})["RATELIMIT_STORAGE_URI"] == "memory://"


def test_unknown_environment_name_is_an_error():
    with pytest.raises(RuntimeError, match="ROUNDTABLE_ENV"):
        config_class({"ROUNDTABLE_ENV": "staging"})


def test_only_development_delivers_mail_in_the_web_process():
    assert DevelopmentConfig.load({})["MAIL_DELIVER_IN_PROCESS"] is True
    assert TestingConfig.load({})["MAIL_DELIVER_IN_PROCESS"] is False
    assert ProductionConfig.load(REAL)["MAIL_DELIVER_IN_PROCESS"] is False
    assert DevelopmentConfig.load({"MAIL_DELIVER_IN_PROCESS": "0"})["MAIL_DELIVER_IN_PROCESS"] is False


def test_make_run_links_follow_the_port_it_serves():
    """`make run` hands the served host and port to every command that builds links."""
    environ = {key: value for key, value in os.environ.items() if key not in {"SERVER_NAME", "HOST", "PORT"}}
    command = ["make", "-n", "-o", ".venv/.installed", "run", "PORT=5061"]
    dry_run = subprocess.run(command, cwd=BASE_DIR, env=environ, capture_output=True, text=True, check=True)
    commands = [line for line in dry_run.stdout.splitlines() if " --app wsgi " in line]
    commands = [line for line in commands if "db upgrade" not in line]
    assert [line.split(" --app wsgi ")[1].split()[0] for line in commands] == ["demo", "run"]
    assert all(line.startswith("SERVER_NAME=127.0.0.1:5061 ") for line in commands)
    assert "--port 5061" in commands[-1]


def test_production_survives_a_redis_restart_and_replaces_cut_database_connections():
    settings = ProductionConfig.load({**REAL, "CACHE_REDIS_URL": "redis://redis.internal:6379/1"})
    assert settings["RATELIMIT_IN_MEMORY_FALLBACK_ENABLED"] is True
    assert settings["RATELIMIT_SWALLOW_ERRORS"] is True
    assert settings["RATELIMIT_STORAGE_OPTIONS"] == {"socket_connect_timeout": 1.0, "socket_timeout": 1.0}
    assert settings["CACHE_TYPE"] == "RedisCache"
    assert settings["CACHE_OPTIONS"] == {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    assert settings["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is True
    assert DevelopmentConfig.load({})["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is True
    assert DevelopmentConfig.load({})["CACHE_TYPE"] == "SimpleCache"


def test_mail_waits_out_a_day_long_relay_outage_and_goes_within_an_hour_of_its_return():
    attempts = DevelopmentConfig.load({})["MAIL_MAX_ATTEMPTS"]
    waits = [backoff(n) for n in range(1, attempts)]  # after each failed try but the last
    assert attempts == 30
    assert waits[:7] == [timedelta(minutes=m) for m in (1, 2, 4, 8, 16, 32, 60)]
    assert max(waits) == timedelta(hours=1)
    assert sum(waits, timedelta()) == timedelta(hours=24, minutes=3)
