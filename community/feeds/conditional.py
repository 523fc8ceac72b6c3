"""Conditional GETs of community feeds, answered before Flask.

Calendar apps ask for a feed every few minutes to hours, nearly always with the ETag of the
copy they hold, and nearly always the answer is 304. That answer needs one row (the feed's
calendar version, feeds.queries) and none of what Flask does per request (the session, the
user, the request context): this WSGI middleware reads the row and answers 304 itself when
the copy is current. Anything else (no If-None-Match, a changed feed, a suspended or unknown
community, an odd path or a query string, a database that does not answer) goes to Flask
unchanged, where the route answers from the same state, so both give the same ETag.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from flask import Flask
from werkzeug.http import http_date, parse_etags, quote_etag

from community.core.models import utcnow
from community.core.reads import driver_first, reading_engine
from community.core.security import security_headers
from community.feeds import documents, queries

#: The route's URL (feeds.routes.community_feed), for slugs a community can have.
FEED_PATH = re.compile(r"/c/([A-Za-z0-9-]{1,100})/calendar\.ics")
#: What a public feed's answers carry, here and from the route.
PUBLIC_CACHE_CONTROL = "public, max-age=300"


class ConditionalFeeds:
    def __init__(self, wsgi_app: Callable, app: Flask) -> None:
        self.wsgi_app = wsgi_app
        self.app = app
        self.engine = reading_engine(app)
        # The app's settings are fixed once it serves: the headers every 304 carries, once.
        self.headers = [("Cache-Control", PUBLIC_CACHE_CONTROL), *security_headers(app.config)]

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") in ("GET", "HEAD") and environ.get("HTTP_IF_NONE_MATCH"):
            match = FEED_PATH.fullmatch(environ.get("PATH_INFO", ""))
            if match and not environ.get("QUERY_STRING"):
                headers = self._not_modified(match.group(1), environ["HTTP_IF_NONE_MATCH"])
                if headers is not None:
                    start_response("304 Not Modified", headers)
                    return [b""]
        return self.wsgi_app(environ, start_response)

    def read(self, slug: str) -> queries.FeedVersion | None:
        """The feed's version: on PostgreSQL straight through the driver on the autocommit pool
        of core.reads (a dropped connection only fails the read, and Flask answers instead);
        SQLite reads a local file, in an app context as the route does."""
        if self.engine is None:
            with self.app.app_context():
                return queries.community_feed_version(slug)
        row = driver_first(self.engine, queries.FEED_VERSION, {"slug": slug.lower()})
        return None if row is None else queries.feed_version(row)

    def _not_modified(self, slug: str, if_none_match: str) -> list[tuple[str, str]] | None:
        """The 304's headers when the client's copy is current, else None (Flask answers)."""
        try:
            version = self.read(slug)
        except Exception:  # the database is away (or odd): Flask gives the page that says so
            return None
        if version is None or version.suspended:
            return None
        state = documents.community_state(version, documents.feed_day(utcnow()), self.app.config)
        if not parse_etags(if_none_match).contains(state.etag):
            return None
        return [
            ("ETag", quote_etag(state.etag)),
            ("Last-Modified", http_date(state.last_modified.replace(microsecond=0))),
            *self.headers,
        ]


def answer_conditional_feeds(app: Flask) -> None:
    middleware = ConditionalFeeds(app.wsgi_app, app)
    app.wsgi_app = middleware  # type: ignore[method-assign]
    app.extensions["feeds.conditional"] = middleware
