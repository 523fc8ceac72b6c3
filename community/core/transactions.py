"""One transaction per request: commit once at the end, roll back on any error.

Services only flush(); this is the one place a web request commits.
"""

from __future__ import annotations

from flask import Flask, Response

from community.extensions import db


def register_transactions(app: Flask) -> None:
    @app.after_request
    def commit_or_roll_back(response: Response) -> Response:
        if response.status_code >= 400:
            db.session.rollback()
        else:
            db.session.commit()
        return response

    @app.teardown_request
    def roll_back_on_exception(error: BaseException | None) -> None:
        if error is not None:
            db.session.rollback()
