"""Seconds to import a generated alumni list through the real services: parse, preview, run.

Run: .venv/bin/python bench/import_csv.py [--rows 5000] [--members 500]
SQLite in a throwaway file always; PostgreSQL too when BENCH_DATABASE_URL is set (a server
URL: this script creates and drops its own database, roundtable_bench_import, there).
The run is timed as the JavaScript page does it: one transaction per 500-row chunk.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("ROUNDTABLE_ENV", "testing")

import psycopg  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from community import create_app  # noqa: E402
from community.auth.models import User  # noqa: E402
from community.communities import imports  # noqa: E402
from community.communities.import_csv import parse_csv  # noqa: E402
from community.communities.models import Community, ImportStatus, Invitation, Role  # noqa: E402
from community.communities.services import activate_membership  # noqa: E402
from community.core.mail.models import OutboxMessage  # noqa: E402
from community.extensions import db  # noqa: E402

BENCH_DB = "roundtable_bench_import"


def alumni_csv(rows: int, members: int) -> bytes:
    """`rows` people; the first `members` already belong, every 100th email is bad, every 250th repeats."""
    lines = ["Email,First name,Last name,Class year,Company,Job title,City,Skills"]
    for i in range(rows):
        email = f"alum{i}@example.org"
        if i % 100 == 99:
            email = f"alum{i} at example.org"
        elif i % 250 == 249:
            email = "alum0@example.org"
        lines.append(
            f'{email},Alum,Number {i},Class of {1990 + i % 30},Acme {i % 40},Engineer,Leeds,"sql, python"'
        )
    return ("\n".join(lines) + "\n").encode()


def bench(url: str, rows: int, members: int) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SERVER_NAME": "bench.example.org"})
    with app.app_context():
        db.drop_all()
        db.create_all()
        owner = User(email="olive@example.org", name="Olive Owner", password_hash="x")
        community = Community(slug="bench", name="Bench Alumni")
        db.session.add_all([owner, community])
        db.session.flush()
        activate_membership(community, owner, role=Role.OWNER)
        people = [
            User(email=f"alum{i}@example.org", name=f"Alum {i}", password_hash="x") for i in range(members)
        ]
        db.session.add_all(people)
        db.session.flush()
        for person in people:
            activate_membership(community, person)
        db.session.commit()
        data = alumni_csv(rows, members)

        with app.test_request_context():
            started = time.perf_counter()
            parsed = parse_csv(data)
            batch = imports.create_batch(community, owner, "bench.csv", parsed)
            db.session.commit()
            parse_s = time.perf_counter() - started

            started = time.perf_counter()
            result = imports.preview(community, batch)
            preview_s = time.perf_counter() - started

            started = time.perf_counter()
            chunks = 0
            while batch.status != ImportStatus.DONE:
                imports.run_chunk(community, batch, owner)
                db.session.commit()
                chunks += 1
            run_s = time.perf_counter() - started

        invitations = db.session.scalar(select(func.count(Invitation.id)))
        emails = db.session.scalar(select(func.count(OutboxMessage.id)))
        assert invitations == emails == result.counts["new"] == batch.invited, (invitations, emails)
        print(
            f"{db.engine.dialect.name:<11} {rows:>6} rows  parse+store {parse_s:6.2f}s  "
            f"preview {preview_s:6.2f}s  run {run_s:6.2f}s ({chunks} chunks)  "
            f"-> {batch.invited} invited, {batch.skipped} skipped"
        )
        db.drop_all()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--members", type=int, default=500)
    args = parser.parse_args()

    bench(f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3", args.rows, args.members)
    server = os.environ.get("BENCH_DATABASE_URL")
    if server:
        server = server.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}"')
            conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
        try:
            url = server.rsplit("/", 1)[0] + "/" + BENCH_DB
            bench(url.replace("postgresql://", "postgresql+psycopg://", 1), args.rows, args.members)
        finally:
            with psycopg.connect(server, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')


if __name__ == "__main__":
    main()
