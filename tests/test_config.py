"""Settings come from the environment; production refuses unsafe ones."""

import pytest

from config import INSECURE_SECRET_KEY, DevelopmentConfig, ProductionConfig, config_class

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


def test_production_with_real_settings_uses_secure_cookies():
    settings = ProductionConfig.load(
        {"DATABASE_URL": "postgresql://db/rt", "SECRET_KEY": GOOD_SECRET, "SERVER_NAME": "club.example.org"}
    )
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["REMEMBER_COOKIE_SECURE"] is True
    assert settings["PREFERRED_URL_SCHEME"] == "https"


def test_unknown_environment_name_is_an_error():
    with pytest.raises(RuntimeError, match="ROUNDTABLE_ENV"):
        config_class({"ROUNDTABLE_ENV": "staging"})
