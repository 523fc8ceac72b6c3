"""The 500 page still renders after a failed database write (it reads the signed-in user)."""

from __future__ import annotations

import pytest
from flask import Blueprint

from community.auth.models import User
from community.extensions import db
from tests.conftest import Client, close_app, make_app
from tests.factories import create_user


@pytest.fixture
def broken_client(app, tmp_path):
    """A second app on the same database with a route whose write fails half-way."""
    bp = Blueprint("broken", __name__)

    @bp.get("/broken")
    def broken():
        db.session.add(User(email="ruth@example.org", name="Twin", password_hash="x"))  # taken
        db.session.flush()
        return "unreachable"

    other = make_app(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path)
    other.register_blueprint(bp)
    other.test_client_class = Client
    yield other.test_client()
    close_app(other)


def test_the_error_page_survives_a_failed_write_for_a_signed_in_person(broken_client):
    create_user(email="ruth@example.org", name="Ruth Okafor")
    broken_client.login("ruth@example.org")

    response = broken_client.get("/broken")

    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Something went wrong on our side" in page
    assert "Ruth" in page or "Log out" in page  # the page knows who is signed in
