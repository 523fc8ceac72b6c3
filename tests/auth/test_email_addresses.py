"""Addresses the site could not send to are refused where they are typed, not in the mail worker."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from community.auth.models import User
from community.extensions import db
from tests.conftest import outbox_messages


@pytest.mark.parametrize("email", ["ｆｕｌｌｗｉｄｔｈ@example.org", "jürgen@example.org"])
def test_sign_up_refuses_an_address_mail_cannot_be_sent_to(client, email):
    data = {"name": "Jürgen", "email": email, "password": "a long enough secret"}
    response = client.submit("/signup", data)

    assert response.status_code == 422
    assert "Enter an email address like name@example.org." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(User.id))) == 0
    assert outbox_messages() == []
