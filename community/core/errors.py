"""Domain errors and the styled error pages."""

from __future__ import annotations

import logging

from flask import Flask, g, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException, InternalServerError

from community.core.database import database_unavailable
from community.extensions import db, login_manager

log = logging.getLogger(__name__)


class DomainError(Exception):
    """A rule of the domain was broken. `message` is safe and meant to be shown to the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotAllowed(DomainError):
    """The user may not do this."""


ERROR_TEXT = {
    400: ("Something in that request was not right", "Please go back, reload the page and try again."),
    403: ("You don't have access to this", "Ask an organizer if you think you should."),
    404: ("We couldn't find that page", "The link may be old, or the page may have moved."),
    405: ("That action isn't available here", "Please go back and use the buttons on the page."),
    413: (
        "That was too big to upload",
        "Images can be up to 8 MB and spreadsheets up to 5 MB. Please choose a smaller file.",
    ),
    429: ("Too many attempts", "Please wait a while before trying again."),
    500: ("Something went wrong on our side", "It has been logged. Please try again in a moment."),
    503: (
        "The site is briefly unavailable",
        "Nothing you sent was saved. Please try again in a moment.",
    ),
}
#: Seconds a client is asked to wait after a 503 (the database reconnects within a second or two).
RETRY_AFTER = 5


def render_error(code: int, detail: str | None = None):
    title, hint = ERROR_TEXT.get(code, ERROR_TEXT[500])
    return render_template("errors/error.html", code=code, title=title, hint=detail or hint), code


def register_error_pages(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return render_error(
            400, "The form had expired or came from another site. Reload the page and try again."
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if isinstance(error, InternalServerError):  # raised after the view: the commit failed
            cause = error.original_exception
            if isinstance(cause, SQLAlchemyError) and database_unavailable(cause):
                return unavailable(cause)
        if error.code is None or error.code < 400 or request.path.startswith("/static/"):
            return error
        return render_error(error.code)

    @app.errorhandler(Exception)
    def server_error(error: Exception):
        if isinstance(error, SQLAlchemyError) and database_unavailable(error):
            return unavailable(error)
        log.exception("Unhandled error on %s %s", request.method, request.path)
        # The page reads the user from the database: a failed write must not break it too.
        db.session.rollback()
        return render_error(500)


def unavailable(error: SQLAlchemyError):
    """The styled 503 page for a database that could not be used; the transaction is rolled
    back, so nothing of the request was written. The page is built without the database when
    it cannot be reached (the visitor then shows as signed out on this one page)."""
    log.warning("Database unavailable on %s %s: %s", request.method, request.path, error.__class__.__name__)
    try:
        db.session.rollback()
    except SQLAlchemyError:  # the connection died during the rollback too: it is discarded
        log.warning("Rolling back on a lost database connection failed; the connection is dropped")
    try:
        page, code = render_error(503)
    except SQLAlchemyError:
        db.session.rollback()
        g._login_user = login_manager.anonymous_user()
        page, code = render_error(503)
    return page, code, {"Retry-After": str(RETRY_AFTER)}
