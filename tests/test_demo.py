"""The demo a newcomer sees with `make run`."""

from sqlalchemy import func, select

from community.auth.models import User
from community.demo.cli import DEMO_LOGINS, DEMO_PASSWORD


def test_demo_loads_once_and_its_printed_logins_work(app, db, client):
    runner = app.test_cli_runner()

    first = runner.invoke(args=["demo"])
    second = runner.invoke(args=["demo"])

    assert first.exit_code == 0, first.output
    assert "Demo logins (password for all: roundtable-demo)" in first.output
    assert "new: 0 accounts" in second.output
    assert db.session.scalar(select(func.count(User.id))) >= 150
    for email, *_ in DEMO_LOGINS:
        assert email in first.output
        client.login(email, DEMO_PASSWORD)  # asserts the redirect of a successful log in
        client.logout()


def test_demo_scale_generates_members_for_benchmarks(app, db):
    result = app.test_cli_runner().invoke(args=["demo", "--scale", "500"])

    assert result.exit_code == 0, result.output
    assert "new: 500 accounts" in result.output
    assert db.session.scalar(select(func.count(User.id))) == 500
