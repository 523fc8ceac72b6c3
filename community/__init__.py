"""Roundtable: communities, events, RSVPs, introductions and calendar feeds."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from community.core.database import configure_sqlite
from community.core.public_pages import answer_stored_pages_first
from community.core.reads import register_reads
from community.extensions import cache, csrf, db, limiter, login_manager, migrate
from config import INSTANCE_DIR, Config, config_class

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: type[Config] | Mapping[str, Any] | None = None) -> Flask:
    """Build the app.

    `config` is a Config class, or a mapping of settings laid over the class chosen by
    ROUNDTABLE_ENV (tests use this); by default the ROUNDTABLE_ENV class alone.
    """
    app = Flask(
        __name__,
        instance_path=str(INSTANCE_DIR),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    if isinstance(config, type):
        app.config.from_mapping(config.load())
    else:
        app.config.from_mapping(config_class().load())
        app.config.from_mapping(config or {})

    register_logging(app)
    register_extensions(app)
    register_url_converters(app)
    register_blueprints(app)
    register_request_handling(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def register_logging(app: Flask) -> None:
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def register_extensions(app: Flask) -> None:
    if app.config["PROXY_FIX_X_FOR"]:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=app.config["PROXY_FIX_X_FOR"], x_proto=1, x_host=1
        )
    db.init_app(app)
    with app.app_context():
        configure_sqlite(db.engine)
    register_reads(app)  # before the blueprints: feeds answer from it before Flask
    # Before the blueprints too, so that the feeds' cheaper check (a pattern) comes first;
    # it looks their views up as requests come.
    answer_stored_pages_first(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    cache.init_app(app)

    from community.communities.queries import load_session_user

    login_manager.init_app(app)
    login_manager.user_loader(load_session_user)  # the user and their memberships, one statement
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to see that page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"


def register_url_converters(app: Flask) -> None:
    """Before the blueprints: each rule takes its converters when it is added."""
    from community.core.converters import IdConverter

    app.url_map.converters["int"] = IdConverter


def register_blueprints(app: Flask) -> None:
    from community.admin.routes import bp as admin_bp
    from community.auth.routes import bp as auth_bp
    from community.communities.import_routes import bp as imports_bp
    from community.communities.manage_routes import bp as manage_bp
    from community.communities.routes import bp as communities_bp
    from community.core.routes import bp as core_bp
    from community.engagement.routes import bp as engagement_bp
    from community.events.routes.manage import bp as event_admin_bp
    from community.events.routes.public import bp as events_bp
    from community.feeds.routes import bp as feeds_bp
    from community.insights.routes import bp as insights_bp
    from community.introductions.routes import bp as introductions_bp
    from community.members.routes import bp as members_bp
    from community.rsvps.routes.manage import bp as rsvp_admin_bp
    from community.rsvps.routes.public import bp as rsvps_bp
    from community.tables.routes import bp as tables_bp

    app.register_blueprint(core_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(communities_bp)
    app.register_blueprint(imports_bp)
    app.register_blueprint(manage_bp)
    app.register_blueprint(members_bp)
    app.register_blueprint(events_bp)
    app.register_blueprint(event_admin_bp)
    app.register_blueprint(rsvps_bp)
    app.register_blueprint(rsvp_admin_bp)
    app.register_blueprint(feeds_bp)
    app.register_blueprint(introductions_bp)
    app.register_blueprint(tables_bp)
    app.register_blueprint(engagement_bp)
    app.register_blueprint(insights_bp)


def register_request_handling(app: Flask) -> None:
    from community.core.security import register_security
    from community.core.transactions import register_transactions

    register_transactions(app)
    register_security(app)


def register_errorhandlers(app: Flask) -> None:
    from community.core.errors import register_error_pages

    register_error_pages(app)


def register_template_helpers(app: Flask) -> None:
    from community.core.templating import register_templating

    register_templating(app)


def register_commands(app: Flask) -> None:
    from community.auth.cli import create_admin
    from community.core.mail.cli import outbox
    from community.demo import demo
    from community.engagement.cli import digests
    from community.introductions.cli import introductions
    from community.rsvps.cli import reminders

    app.cli.add_command(create_admin)
    app.cli.add_command(outbox)
    app.cli.add_command(demo)
    app.cli.add_command(reminders)
    app.cli.add_command(introductions)
    app.cli.add_command(digests)
