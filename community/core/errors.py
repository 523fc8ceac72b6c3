"""Domain errors and the styled error pages."""

from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from community.extensions import db

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
}


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
        if error.code is None or error.code < 400 or request.path.startswith("/static/"):
            return error
        return render_error(error.code)

    @app.errorhandler(Exception)
    def server_error(error: Exception):
        log.exception("Unhandled error on %s %s", request.method, request.path)
        # The page reads the user from the database: a failed write must not break it too.
        db.session.rollback()
        return render_error(500)
