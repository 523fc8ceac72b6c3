"""One transaction per request: commit once at the end, roll back on any error.

Services only flush(); this is the one place a web request commits. With
MAIL_DELIVER_IN_PROCESS (development) the due outbox rows are then delivered at once, so
the demo's mail is there to read without an outbox worker; production runs the worker.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, current_app, request

from community.core.mail.delivery import deliver_due
from community.extensions import db

log = logging.getLogger(__name__)


def register_transactions(app: Flask) -> None:
    @app.after_request
    def commit_or_roll_back(response: Response) -> Response:
        if not _has_work(db.session()):  # no statement ran and nothing waits: nothing to end
            return response
        if response.status_code >= 400:
            db.session.rollback()
        else:
            db.session.commit()
            if current_app.config["MAIL_DELIVER_IN_PROCESS"] and request.endpoint != "static":
                deliver_in_process()
        return response

    @app.teardown_request
    def roll_back_on_exception(error: BaseException | None) -> None:
        if error is not None:
            db.session.rollback()


def _has_work(session) -> bool:
    """A transaction to end, or changes not yet flushed (added, deleted or modified objects)."""
    return bool(
        session.in_transaction() or session.new or session.deleted or session.identity_map.check_modified()
    )


def deliver_in_process() -> None:
    """Deliver what is due now, this request's mail included (claims are atomic, so several
    processes may do this at once). A failed run is logged, never the request's error."""
    try:
        deliver_due()
    except Exception:
        log.exception("Delivering the outbox after the request failed; it stays queued")
        db.session.rollback()
