"""Visitors' pages (event pages, community homes and event lists, the front page), rendered once
per state and served from the cache until the state changes.

A visitor's page is the same for every visitor: no session, no CSRF token, nothing personal. A
view opts in with `@for_visitors(state)`, where `state(**view_args)` names, in one cheap query,
what the page shows (its community's page version, core.page_versions) or returns None when the
page is not for everyone (a members-only event). Anyone signed in, or with something in their
session (a flash message, answers kept through logging in), gets the page built for them, and
a page whose building asked for a CSRF token or wrote the session is never stored.

Pages also change with time (an event starts, ends, its RSVPs close): a stored page keeps the
moment its first such change happens (PAGES_NEXT_CHANGE, from the events feature) and is built
again from then on. Answers carry an ETag, Last-Modified and `Cache-Control: public` so that a
reverse proxy or CDN may keep them too; `Vary: Cookie` keeps signed-in people's pages apart.

A request with no cookie at all is a plain visitor for certain: `StoredPagesFirst`, a WSGI
middleware, answers it from a stored page before Flask does anything (no request context, no
session, no user), from the same state and the same key. Anything else goes to Flask.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import wraps

from flask import Flask, Response, g, make_response, request, session
from flask_login import current_user
from werkzeug.exceptions import HTTPException
from werkzeug.http import http_date, parse_date, parse_etags, quote_etag

from community.core.cache import cached_value, store_value
from community.core.models import utcnow
from community.core.sections import PAGES_NEXT_CHANGE, section
from community.core.security import security_headers
from community.core.text import has_control_characters

CACHE_CONTROL = "public, max-age=60, stale-while-revalidate=300"
#: A session holding only these keys has nothing personal for the page to show.
HARMLESS_SESSION_KEYS = frozenset({"csrf_token", "_permanent", "_fresh"})


@dataclass(frozen=True)
class PageState:
    """What a page shows, named: `key` changes whenever the page would; `community_id` is whose
    events can change it with time (None: every community's)."""

    key: str
    community_id: int | None


@dataclass(frozen=True)
class StoredPage:
    body: bytes
    etag: str
    built_at: datetime
    #: The page is built again from this moment (an event on it starts or ends); None: never.
    valid_until: datetime | None


def is_plain_visitor() -> bool:
    """Nobody signed in and nothing in the session that a page would show."""
    if request.method not in ("GET", "HEAD"):
        return False
    if any(key not in HARMLESS_SESSION_KEYS for key in session.keys()):
        return False
    return not current_user.is_authenticated


def _key(path: str, query_string: str, page_state: PageState) -> str:
    return f"page:{path}?{query_string}:{page_state.key}"


def _usable(stored, now: datetime) -> bool:
    return isinstance(stored, StoredPage) and not (stored.valid_until and now >= stored.valid_until)


def for_visitors(state: Callable[..., PageState | None]):
    """Serve the view's page to visitors from the cache, keyed by `state(**view_args)`."""

    def decorate(view):
        @wraps(view)
        def serve(**view_args):
            if not is_plain_visitor():
                return view(**view_args)
            page_state = state(**view_args)
            if page_state is None:
                return view(**view_args)
            now = utcnow()
            key = _key(request.path, request.query_string.decode("latin-1"), page_state)
            stored = cached_value(key)
            if not _usable(stored, now):
                response = make_response(view(**view_args))
                if not _storable(response):
                    return response
                stored = StoredPage(
                    body=response.get_data(),
                    etag=hashlib.blake2b(response.get_data(), digest_size=12).hexdigest(),
                    built_at=now.replace(microsecond=0),
                    valid_until=section(PAGES_NEXT_CHANGE, page_state.community_id, now),
                )
                store_value(key, stored)
            return _answer(stored)

        serve.visitor_state = state  # for StoredPagesFirst
        return serve

    return decorate


def _storable(response: Response) -> bool:
    """A page for everyone: built without a CSRF token, a session write or a cookie."""
    return (
        response.status_code == 200
        and response.mimetype == "text/html"
        and "csrf_token" not in g
        and not session.modified
        and "Set-Cookie" not in response.headers
    )


def _not_modified(stored: StoredPage, if_none_match: str | None, if_modified_since: str | None) -> bool:
    if if_none_match:
        return parse_etags(if_none_match).contains(stored.etag)
    since = parse_date(if_modified_since)
    return since is not None and stored.built_at <= since.astimezone(UTC)


def _headers(stored: StoredPage) -> list[tuple[str, str]]:
    return [
        ("ETag", quote_etag(stored.etag)),
        ("Last-Modified", http_date(stored.built_at)),
        ("Cache-Control", CACHE_CONTROL),
        ("Vary", "Cookie"),
    ]


def _answer(stored: StoredPage) -> Response:
    headers = request.headers
    if _not_modified(stored, headers.get("If-None-Match"), headers.get("If-Modified-Since")):
        return Response(status=304, headers=_headers(stored))
    return Response(stored.body, mimetype="text/html", headers=_headers(stored))


class StoredPagesFirst:
    """WSGI middleware: a GET or HEAD with no cookie and no query string, of a page views
    store for visitors, answered from its stored copy; everything else goes to Flask."""

    def __init__(self, wsgi_app: Callable, app: Flask) -> None:
        self.wsgi_app = wsgi_app
        self.app = app
        # The app's settings are fixed once it serves: these headers once, not per request.
        self.more_headers = security_headers(app.config)

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        method, path = environ.get("REQUEST_METHOD"), environ.get("PATH_INFO", "")
        if (
            method in ("GET", "HEAD")
            and "HTTP_COOKIE" not in environ
            and not environ.get("QUERY_STRING")
            and path.isascii()
            and not has_control_characters(path)
        ):
            answer = self._stored(environ, path)
            if answer is not None:
                status, headers, body = answer
                start_response(status, headers)
                return [b""] if method == "HEAD" else [body]
        return self.wsgi_app(environ, start_response)

    def _stored(self, environ: dict, path: str) -> tuple[str, list, bytes] | None:
        try:
            # Bound as Flask binds it (Flask.create_url_adapter): the configured name, no subdomains.
            adapter = self.app.url_map.bind_to_environ(
                environ,
                server_name=self.app.config["SERVER_NAME"],
                subdomain=self.app.url_map.default_subdomain or "",
            )
            endpoint, view_args = adapter.match(method="GET")
        except HTTPException:  # no such page, or a redirect: Flask says so
            return None
        state = getattr(self.app.view_functions.get(endpoint), "visitor_state", None)
        if state is None:
            return None
        with self.app.app_context():
            try:
                page_state = state(**view_args)
            except Exception:  # the database is away (or odd): Flask gives the page that says so
                return None
            stored = cached_value(_key(path, "", page_state)) if page_state is not None else None
        if not _usable(stored, utcnow()):
            return None
        headers = _headers(stored) + self.more_headers
        if _not_modified(stored, environ.get("HTTP_IF_NONE_MATCH"), environ.get("HTTP_IF_MODIFIED_SINCE")):
            return "304 Not Modified", headers, b""
        headers.append(("Content-Type", "text/html; charset=utf-8"))
        headers.append(("Content-Length", str(len(stored.body))))
        return "200 OK", headers, stored.body


def answer_stored_pages_first(app: Flask) -> None:
    """Its views are looked up per request, so it may be installed before the blueprints."""
    app.wsgi_app = StoredPagesFirst(app.wsgi_app, app)  # type: ignore[method-assign]
