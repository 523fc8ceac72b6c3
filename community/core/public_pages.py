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
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import wraps

from flask import Response, g, make_response, request, session
from flask_login import current_user

from community.core.cache import cached_value, store_value
from community.core.models import utcnow
from community.core.sections import PAGES_NEXT_CHANGE, section

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
            key = f"page:{request.path}?{request.query_string.decode('latin-1')}:{page_state.key}"
            stored = cached_value(key)
            if not isinstance(stored, StoredPage) or (stored.valid_until and now >= stored.valid_until):
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


def _answer(stored: StoredPage) -> Response:
    if request.if_none_match:
        not_modified = request.if_none_match.contains(stored.etag)
    else:
        since = request.if_modified_since
        not_modified = since is not None and stored.built_at <= since.astimezone(UTC)
    response = Response(status=304) if not_modified else Response(stored.body, mimetype="text/html")
    response.set_etag(stored.etag)
    response.last_modified = stored.built_at
    response.headers["Cache-Control"] = CACHE_CONTROL
    response.vary.add("Cookie")
    return response
