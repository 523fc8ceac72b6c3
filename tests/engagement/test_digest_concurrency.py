"""Two copies of `flask digests` started at the same moment (two processes, each its own app
and database session) on the test database, SQLite file or PostgreSQL: each person gets
exactly one digest, because each (person, period) is claimed by a unique insert in the
transaction that queues the email."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from community.core.models import utcnow
from community.engagement import digests
from community.engagement.models import DigestFrequency, DigestSent
from community.extensions import db
from tests.conftest import outbox_messages
from tests.factories import create_community, create_event, create_membership, create_user

ROOT = Path(__file__).resolve().parents[2]
PEOPLE = 40
SENT = re.compile(r"Digests: (\d+) sent")


def test_two_runs_at_once_send_each_person_one_digest(app, database_url, tmp_path):
    organizer = create_user(email="org@example.org", name="Olu Organizer")
    community = create_community(organizer)
    people = [
        create_membership(community, email=f"person{n}@example.org", name=f"Person {n}").user
        for n in range(PEOPLE)
    ]
    week_ago = utcnow() - timedelta(days=7)
    for person in people:
        digests.set_frequency(person.id, DigestFrequency.WEEKLY, week_ago)
        person.last_seen_at = week_ago
    db.session.commit()
    create_event(community, organizer, title="Quiz night", day=(utcnow() + timedelta(days=5)).date())

    env = {
        **os.environ,
        "ROUNDTABLE_ENV": "testing",
        "DATABASE_URL": database_url,
        "SECRET_KEY": app.config["SECRET_KEY"],
        "MAIL_FILE_DIR": str(tmp_path / "mail"),
    }
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "digests"]
    pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.STDOUT, "text": True}
    runs = [subprocess.Popen(command, cwd=ROOT, env=env, **pipes) for _ in range(2)]
    outputs = [run.communicate(timeout=180)[0] for run in runs]
    assert all(run.returncode == 0 for run in runs), outputs

    sent = [int(SENT.search(output).group(1)) for output in outputs]
    assert sum(sent) == PEOPLE, outputs  # between them, each person once
    emails = outbox_messages(kind="engagement.digest")
    assert sorted(message.to_address for message in emails) == sorted(person.email for person in people)
    assert db.session.scalar(select(func.count()).select_from(DigestSent)) == PEOPLE
