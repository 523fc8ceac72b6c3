"""The migrations build exactly the models' schema, and unwind completely."""

from __future__ import annotations

import psycopg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from community.extensions import db
from community.members.search import FTS_TABLE, PG_INDEXES, SEARCH_TABLE, is_managed_outside_models
from tests.conftest import close_app, make_app, require


@pytest.fixture
def empty_database_url(backend, tmp_path, postgres_url):
    """A database with nothing in it, separate from the one other tests share."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    require(postgres_url is not None, "PostgreSQL tests need TEST_DATABASE_URL")
    admin_url = postgres_url.replace("postgresql+psycopg://", "postgresql://")
    name = admin_url.rsplit("/", 1)[1] + "_migrations"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield postgres_url.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def include_name(name, type_, parent_names):
    return not is_managed_outside_models(name, type_, parent_names)


def test_upgrade_gives_the_models_schema_and_downgrade_removes_it(empty_database_url, tmp_path):
    app = make_app(empty_database_url, tmp_path)
    with app.app_context():
        try:
            upgrade()
            with db.engine.connect() as conn:
                context = MigrationContext.configure(
                    conn, opts={"compare_type": True, "include_name": include_name}
                )
                diff = compare_metadata(context, db.metadata)
            assert diff == [], f"models and migrations differ; run `flask db migrate`: {diff}"
            # The full-text search structures the models don't describe are there too.
            inspector = inspect(db.engine)
            if db.engine.dialect.name == "sqlite":
                assert FTS_TABLE in inspector.get_table_names()
            else:
                names = {index["name"] for index in inspector.get_indexes(SEARCH_TABLE)}
                assert set(PG_INDEXES) <= names

            downgrade(revision="base")
            remaining = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
            assert remaining == set()
        finally:
            close_app(app)


def test_undoing_the_image_columns_keeps_the_directory_search_working(empty_database_url, tmp_path):
    app = make_app(empty_database_url, tmp_path)
    with app.app_context():
        try:
            upgrade()
            downgrade(revision="0008")
            inspector = inspect(db.engine)
            assert "photo" not in {column["name"] for column in inspector.get_columns("member_profile")}
            assert "cover_image" not in {column["name"] for column in inspector.get_columns("event")}
            if db.engine.dialect.name == "sqlite":
                with db.engine.connect() as conn:
                    triggers = set(
                        conn.exec_driver_sql(
                            "SELECT name FROM sqlite_master WHERE type = 'trigger'"
                        ).scalars()
                    )
                assert {
                    "profile_fts_after_insert",
                    "profile_fts_after_update",
                    "profile_fts_after_delete",
                } <= triggers
            else:  # as 0002 made them: GIN indexes on member_profile's text (0019 moved them)
                assert {"ix_member_profile_search_members_fts", "ix_member_profile_search_public_fts"} <= {
                    index["name"] for index in inspector.get_indexes("member_profile")
                }
            upgrade()
            assert "photo" in {column["name"] for column in inspect(db.engine).get_columns("member_profile")}
        finally:
            close_app(app)
