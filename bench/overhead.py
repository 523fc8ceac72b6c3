"""What a request costs before any view code runs, in-process: the same one-line page from the bare
Flask app (bench/bare_app.py) and from Roundtable's app, with everything Roundtable does around a
view (session, user loader, CSRF set-up, rate limiter, control-character guard, security
headers, the request's transaction), the same page signed in (the session's user loaded), then a
visitor's stored event page, a conditional GET of it, and the signed-in member's.

Run: .venv/bin/python bench/overhead.py [--runs 3000]
Builds a throwaway SQLite database with the demo, or, with BENCH_DATABASE_URL set
(postgresql+psycopg://...), its own PostgreSQL database `roundtable_bench_overhead` (dropped at
the end). Calls the WSGI apps directly (no server, no sockets): microseconds per request, median
of the runs, with the statements run by one request.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("ROUNDTABLE_ENV", "testing")

from _support import drop_postgres_database, postgres_database, timed  # noqa: E402
from bare_app import PAGE  # noqa: E402
from bare_app import app as bare_app  # noqa: E402
from flask_login import current_user  # noqa: E402
from sqlalchemy import event, select  # noqa: E402

from community import create_app  # noqa: E402
from community.communities.models import Community  # noqa: E402
from community.demo.cli import DEMO_PASSWORD  # noqa: E402
from community.events.models import Event, EventVisibility  # noqa: E402
from community.extensions import db  # noqa: E402

BENCH_DATABASE = "roundtable_bench_overhead"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3000)
    args = parser.parse_args()
    base_url = os.environ.get("BENCH_DATABASE_URL")
    folder = tempfile.mkdtemp(prefix="roundtable-overhead-")
    url = postgres_database(base_url, BENCH_DATABASE) if base_url else f"sqlite:///{folder}/bench.sqlite3"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "MAIL_FILE_DIR": f"{folder}/mail",
            "RATELIMIT_ENABLED": True,
            "WTF_CSRF_ENABLED": True,
            "SERVER_NAME": "127.0.0.1:5000",
        }
    )
    # The same page as the bare app's, behind everything Roundtable runs around a view.
    app.add_url_rule("/__bench/bare", "bench_bare", lambda: PAGE)
    # The same page for a signed-in person: the session's user and memberships loaded.
    app.add_url_rule(
        "/__bench/signed-in", "bench_signed_in", lambda: PAGE if current_user.is_authenticated else ""
    )
    try:
        with app.app_context():
            db.create_all()
            result = app.test_cli_runner().invoke(args=["demo"])
            assert result.exit_code == 0, result.output
            slug, event_id = db.session.execute(
                select(Community.slug, Event.id)
                .join(Event, Event.community_id == Community.id)
                .where(Event.visibility == EventVisibility.PUBLIC, Event.title.contains("reunion"))
                .order_by(Event.starts_at.desc())
            ).first()
        report(app, f"/c/{slug}/events/{event_id}", args.runs, "PostgreSQL" if base_url else "SQLite")
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        if base_url:
            drop_postgres_database(base_url, BENCH_DATABASE)


def report(app, event_page: str, runs: int, dialect: str) -> None:
    statements: list[str] = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    visitor, member, bare = app.test_client(), app.test_client(), bare_app.test_client()
    member.post(
        "/login",
        data={"email": "member@example.org", "password": DEMO_PASSWORD, "csrf_token": _token(member)},
    )
    etag = visitor.get(event_page).headers["ETag"]
    cases = [
        ("bare Flask app, one small page", bare, "/", {}),
        ("Roundtable app, the same small page", visitor, "/__bench/bare", {}),
        ("Roundtable app, the same page signed in (user loaded)", member, "/__bench/signed-in", {}),
        ("Roundtable, /healthz (one SELECT 1)", visitor, "/healthz", {}),
        ("event page, visitor (stored)", visitor, event_page, {}),
        ("event page, visitor, If-None-Match -> 304", visitor, event_page, {"If-None-Match": etag}),
        ("event page, member (built for her)", member, event_page, {}),
    ]
    print(f"{dialect}, {runs} requests each, in-process (no server): median and p95 microseconds\n")
    print("| request | median µs | p95 µs | statements |")
    print("| --- | --- | --- | --- |")
    for label, client, path, headers in cases:
        client.get(path, headers=headers)  # warm: templates compiled, statements cached
        statements.clear()
        client.get(path, headers=headers)
        count = len(statements)
        median, p95 = timed(lambda c=client, p=path, h=headers: c.get(p, headers=h), runs)
        print(f"| {label} | {median * 1000:,.0f} | {p95 * 1000:,.0f} | {count} |")


def _token(client) -> str:
    import re

    page = client.get("/login").get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


if __name__ == "__main__":
    main()
