"""Template filters and globals shared by every page and email."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import Flask

from community.core.markdown import render_markdown
from community.core.sections import parts, tabs


def format_datetime(value: datetime | None, fmt: str = "%-d %b %Y, %H:%M") -> str:
    if value is None:
        return ""
    return value.strftime(fmt)


def in_zone(value: datetime | None, zone_name: str) -> datetime | None:
    """An aware datetime shown in an IANA zone."""
    return value.astimezone(ZoneInfo(zone_name)) if value is not None else None


def register_templating(app: Flask) -> None:
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.filters["in_zone"] = in_zone
    app.jinja_env.globals["registered_tabs"] = tabs
    app.jinja_env.globals["registered_parts"] = parts
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def site_globals() -> dict:
        return {
            "site_name": app.config["SITE_NAME"],
            "current_year": datetime.now(UTC).year,
        }
