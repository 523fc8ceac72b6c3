"""The fuzzer's judge catches what it claims to: a 500, an error logged behind a calm answer,
and a refused form that wrote to the database anyway; a form that worked may change anything.
Without this, a fuzz test that passes could mean only that it looks at nothing."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import text

from community.extensions import db
from tests.fuzz.fuzzer import Fuzzer
from tests.fuzz.html_forms import parse_forms

FORM = """<form method="post" action="/selftest/{}">
  <input type="hidden" name="csrf_token"><input name="title">
</form>"""


def refuse_but_write():
    db.session.execute(text("UPDATE user_account SET name = 'Changed anyway'"))
    db.session.commit()
    return "refused", 422


def crash():
    raise RuntimeError("the view fell over")


def answer_but_log():
    logging.getLogger("community.selftest").error("Unhandled error on the side")
    return "fine", 200


def save():
    db.session.execute(text("UPDATE user_account SET name = 'Saved'"))
    return "", 302, {"Location": "/"}


@pytest.mark.fresh_app  # it adds routes
def test_the_fuzzer_reports_500s_logged_errors_and_writes_behind_a_refusal(app, backend):
    views = (refuse_but_write, crash, answer_but_log, save)
    for view in views:
        app.add_url_rule(f"/selftest/{view.__name__}", view.__name__, view, methods=["POST"])
    with Fuzzer(app, "member") as fuzzer:
        for view in views:
            (form,) = parse_forms(FORM.format(view.__name__), "http://localhost/")
            fuzzer.send(form, form.action, {"title": "a\x00b"})

    failed = sorted(endpoint for endpoint, _ in fuzzer.failures)
    assert failed == ["answer_but_log", "crash", "refuse_but_write"]
    messages = "\n".join(fuzzer.failures.values())
    assert "member: POST /selftest/refuse_but_write answered 422 but changed user_account" in messages
    assert "member: POST /selftest/crash answered 500: RuntimeError: the view fell over" in messages
    assert "answered 200: Unhandled error on the side" in messages
    assert "title = 'a\\x00b'" in messages  # the values sent, to reproduce it by hand
