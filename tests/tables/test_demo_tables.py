"""The demo's table plans (community/demo/tables.py): a published three-round plan for the next
product roundtable, history from the last one, and Mia Member's tables."""

from __future__ import annotations

from sqlalchemy import select

from community.auth.models import User
from community.demo.tables import load_demo_tables
from community.tables import queries
from community.tables.models import TablePlan


def test_the_demo_has_a_published_plan_with_history_and_mias_tables(app, db):
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    logins = {
        email.split("@")[0]: db.session.scalar(select(User).where(User.email == email))
        for email in ("organizer@example.org", "member@example.org")
    }

    # `flask demo` made them (the earlier roundtable's, and two for the next one); a second run adds none.
    assert load_demo_tables(logins) == 0

    plans = list(db.session.scalars(select(TablePlan).order_by(TablePlan.id)))
    earlier, first_try, upcoming = plans
    assert first_try.event_id == upcoming.event_id and not first_try.is_current
    assert first_try.published_at is None and first_try.rounds == 2
    assert earlier.event.series_id == upcoming.event.series_id
    assert earlier.event.starts_at < upcoming.event.starts_at
    assert earlier.published_at is None and upcoming.published_at is not None
    assert queries.published_plan(upcoming.event).id == upcoming.id
    assert upcoming.rounds == 3 and upcoming.report["repeats"] == 0
    mine = queries.your_tables(upcoming, logins["member"])
    assert [row.round for row in mine] == [1, 2, 3]
    assert all(row.sentence.startswith(f"Round {row.round}: table ") for row in mine)
