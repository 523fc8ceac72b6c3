"""Latency and SQL queries per page for the account pages, in-process (no network).

Run: .venv/bin/python bench/pages.py [--members N]
Uses a throwaway SQLite database unless BENCH_DATABASE_URL is set.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("ROUNDTABLE_ENV", "testing")

from sqlalchemy import event  # noqa: E402

from community import create_app  # noqa: E402
from community.auth.passwords import hash_password  # noqa: E402
from community.demo.cli import DEMO_PASSWORD, load_scale  # noqa: E402
from community.extensions import db  # noqa: E402


def measure(client, url: str, runs: int, counter: list[int]) -> tuple[float, float, int]:
    timings = []
    for _ in range(runs):
        counter[0] = 0
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(timings), sorted(timings)[int(runs * 0.95) - 1], counter[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()

    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False})
    with app.app_context():
        db.drop_all()
        db.create_all()
        load_scale(args.members, hash_password(DEMO_PASSWORD))
        db.session.commit()
        queries = [0]
        event.listen(db.engine, "before_cursor_execute", lambda *a: queries.__setitem__(0, queries[0] + 1))

        client = app.test_client()
        print(f"{db.engine.dialect.name}, {args.members} members, {args.runs} runs per page")
        print(f"{'page':<28}{'median ms':>10}{'p95 ms':>10}{'queries':>9}")
        for label, path in [("front page (anonymous)", "/"), ("log in form", "/login")]:
            median, p95, count = measure(client, path, args.runs, queries)
            print(f"{label:<28}{median:>10.2f}{p95:>10.2f}{count:>9}")
        response = client.post(
            "/login", data={"email": "person1@scale.example.org", "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
        for label, path in [("front page (member)", "/"), ("account", "/account")]:
            median, p95, count = measure(client, path, args.runs, queries)
            print(f"{label:<28}{median:>10.2f}{p95:>10.2f}{count:>9}")
        db.drop_all()


if __name__ == "__main__":
    main()
