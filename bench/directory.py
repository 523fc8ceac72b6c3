"""Latency of the member directory (search, filters, sorts, pages) at scale, in-process.

Run: .venv/bin/python bench/directory.py [--members 50000] [--runs 50]
Builds a throwaway SQLite database in a temporary folder; with BENCH_DATABASE_URL set
(e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test) it creates its own database
`roundtable_bench_directory` on that server instead, and drops it at the end.

Reports, per directory view: median and p95 milliseconds of the directory queries (the
page with its count, and the cohorts for the filter), and of the whole page rendered for a
logged-in member, with the number of SQL statements the page ran: "cold" as the first search
since the community last changed (the cache emptied before each run), "kept" asked again
(the count, ids and cohorts read from the cache, members.queries). "results" is the count
the page shows: exact up to the directory's cap, "1,000+" beyond. --explain prints the
plans of the searches for "product management" and "clim" first (EXPLAIN ANALYZE on
PostgreSQL).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qsl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("ROUNDTABLE_ENV", "testing")

from _support import drop_postgres_database, postgres_database, timed  # noqa: E402
from sqlalchemy import event, insert, text  # noqa: E402

from community import create_app  # noqa: E402
from community.auth.models import User  # noqa: E402
from community.auth.passwords import hash_password  # noqa: E402
from community.communities.models import Community, Membership  # noqa: E402
from community.core.models import utcnow  # noqa: E402
from community.extensions import cache, db  # noqa: E402
from community.members.forms import directory_query  # noqa: E402
from community.members.models import TAG_FIELDS, Profile, ProfileTag  # noqa: E402
from community.members.permissions import Audience  # noqa: E402
from community.members.queries import (  # noqa: E402
    SEARCH_SETTINGS,
    DirectoryQuery,
    directory_cohorts,
    directory_page,
    searched_page,
)
from community.members.services import normalise_tag, refresh_search  # noqa: E402

BENCH_DATABASE = "roundtable_bench_directory"
PASSWORD = "bench password 1"

FIRST = (
    "Amara Ben Chen Dana Elif Farah Gabriel Hana Ivan Jonas Kwame Lena Mateo Nadia Omar Priya Quentin "
    "Rosa Sami Tomas Uma Victor Wen Xavier Yara Zoe Aiko Bruno Carmen Dmitri Esther Femi Grace Hugo "
    "Ines Jamal Kenji Leila Marta Nico Olga Pablo Rania Sven Tariq Ulla Vera Will Yusuf"
).split()
LAST = (
    "Osei Garcia Nakamura Smith Okafor Muller Rossi Kowalski Haddad Silva Kim Jensen Novak Dubois "
    "Patel Ivanova Mensah Costa Larsen Hughes Ahmed Moreau Tanaka Fischer Andersson Lopez Ncube Rahman"
).split()
SKILLS = (
    "product management|data science|python|fundraising|public speaking|ux research|marketing|sales|"
    "machine learning|accounting|law|policy|design|copywriting|negotiation|leadership|coaching|"
    "supply chain|logistics|climate finance|solar energy|agronomy|biotech|devops|security|hiring|"
    "community building|event planning|photography|video editing|javascript|go|rust|sql|statistics|"
    "teaching|mentoring|investing|venture capital|real estate|architecture|urban planning|journalism"
).split("|")
INTERESTS = (
    "climbing|chess|beekeeping|running|jazz|cooking|sailing|poetry|gardening|cycling|film|travel|"
    "board games|volunteering|languages|astronomy|history|climate|football|yoga"
).split("|")
INDUSTRIES = (
    "Software|Finance|Healthcare|Education|Energy|Consulting|Government|Media|Law|Manufacturing|"
    "Non-profit|Retail|Research|Transport|Real estate|Agriculture"
).split("|")
PLACES = [
    ("London", "United Kingdom"), ("Manchester", "United Kingdom"), ("Nairobi", "Kenya"),
    ("Lagos", "Nigeria"), ("Accra", "Ghana"), ("Berlin", "Germany"), ("Munich", "Germany"),
    ("Paris", "France"), ("Lyon", "France"), ("Madrid", "Spain"), ("Lisbon", "Portugal"),
    ("New York", "United States"), ("San Francisco", "United States"), ("Chicago", "United States"),
    ("Toronto", "Canada"), ("Sao Paulo", "Brazil"), ("Mexico City", "Mexico"), ("Mumbai", "India"),
    ("Bangalore", "India"), ("Singapore", "Singapore"), ("Tokyo", "Japan"), ("Seoul", "South Korea"),
    ("Sydney", "Australia"), ("Cape Town", "South Africa"), ("Stockholm", "Sweden"), ("Warsaw", "Poland"),
]  # fmt: skip
HELP = (
    "Intros to investors|Reviewing a pitch deck|Hiring engineers|Moving to Berlin|Pricing a product|"
    "Learning to code|Grant applications|Public speaking practice|Negotiating a salary|Career change"
).split("|")
LOOKING = (
    "A mentor in product|A co-founder|Advice on fundraising|A running partner|Job in climate tech|"
    "Introductions in Nairobi|Feedback on my startup|A design partner|Board roles|Speaking gigs"
).split("|")

ORGANISATION_KINDS = ("Labs", "Partners", "Group", "Foundation")

#: Not in the models: what the directory would gain from them is what this measures.
#: (Empty: the last proposal, membership (community_id, status, cohort), is in the models.)
PROPOSED_INDEXES: list[str] = []

#: label, query string: representative directory views.
QUERIES = [
    ("no filter, page 1", ""),
    ("no filter, page 50", "page=50"),
    ("text 'product management'", "q=product+management"),
    ("prefix 'clim'", "q=clim"),
    ("text 'osei' (a surname)", "q=osei"),
    ("cohort + recently joined", "cohort=Class+of+2014&sort=joined"),
    ("tag 'python'", "tag=python"),
    ("industry + location", "industry=Energy&location=Nairobi"),
    ("recently active", "sort=active"),
    ("text + tag + sort", "q=lead&tag=mentoring&sort=joined"),
]


def visibility_for(rng: random.Random) -> dict[str, str]:
    roll = rng.random()
    if roll < 0.6:
        return {}  # the defaults: members
    if roll < 0.85:
        return {field: "everyone" for field in ("name", "headline", "organisation", "job_title", "skills")}
    if roll < 0.95:
        return {"name": "everyone", "location": "nobody", "industry": "everyone", "email": "members"}
    return {"name": "nobody"}


def build(members: int, rng: random.Random) -> tuple[Community, int]:
    """Bulk-insert `members` people in one community; returns it and a member's user id."""
    community = Community(slug="bench", name="Bench Alumni", directory_public=True)
    db.session.add(community)
    db.session.flush()
    now = utcnow()
    chunk = 5000
    for start in range(0, members, chunk):
        ids = range(start + 1, min(members, start + chunk) + 1)
        users, memberships, profiles, tags = [], [], [], []
        for number in ids:
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            users.append(
                {
                    "id": number,
                    "email": f"person{number}@bench.example.org",
                    "name": name,
                    "password_hash": "!",
                    "last_seen_at": now - timedelta(minutes=rng.randrange(600_000))
                    if rng.random() < 0.7
                    else None,
                }
            )
            memberships.append(
                {
                    "community_id": community.id,
                    "user_id": number,
                    "status": "active" if rng.random() < 0.98 else "pending",
                    "role": "member",
                    "cohort": f"Class of {rng.randrange(1990, 2025)}",
                    "joined_at": now - timedelta(minutes=rng.randrange(5_000_000)),
                }
            )
            city, country = rng.choice(PLACES)
            skills = rng.sample(SKILLS, rng.randrange(0, 7))
            interests = rng.sample(INTERESTS, rng.randrange(0, 4))
            fields = {
                "headline": f"{rng.choice(['Senior', 'Lead', 'Junior', 'Head of'])} {rng.choice(SKILLS)}",
                "bio": "",
                "city": city,
                "country": country,
                "organisation": f"{rng.choice(LAST)} {rng.choice(ORGANISATION_KINDS)}",
                "job_title": rng.choice(["Engineer", "Director", "Analyst", "Founder", "Teacher", "Manager"]),
                "industry": rng.choice(INDUSTRIES),
                "skills": skills,
                "interests": interests,
                "can_help_with": rng.sample(HELP, rng.randrange(0, 3)),
                "looking_for": rng.sample(LOOKING, rng.randrange(0, 3)),
                "links": [],
                "visibility": visibility_for(rng),
            }
            transient = Profile(user=User(name=name), **fields)
            refresh_search(transient)
            fields["search_members"] = transient.search_members
            fields["search_public"] = transient.search_public
            fields["name_visibility"] = transient.name_visibility
            profiles.append({"user_id": number, **fields})
            for kind, values in (("skill", skills), ("interest", interests)):
                level = transient.visibility_of(TAG_FIELDS[kind]).value
                tags += [
                    {"user_id": number, "kind": kind, "tag": normalise_tag(t), "level": level} for t in values
                ]
        db.session.execute(insert(User), users)
        db.session.execute(insert(Membership), memberships)
        db.session.execute(insert(Profile), profiles)
        db.session.execute(insert(ProfileTag), tags)
    viewer = db.session.get(User, 1)
    viewer.password_hash = hash_password(PASSWORD)
    db.session.execute(
        text("UPDATE membership SET status = 'active' WHERE user_id = 1 AND community_id = :c"),
        {"c": community.id},
    )
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SELECT setval('user_account_id_seq', :n)"), {"n": members})
    db.session.commit()
    return community, viewer.id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--proposed-indexes",
        action="store_true",
        help="add the indexes the directory would like (not in the models)",
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="print the plans of the searches for 'product management' and 'clim' first",
    )
    args = parser.parse_args()

    base_url = os.environ.get("BENCH_DATABASE_URL")
    url = (
        postgres_database(base_url, BENCH_DATABASE)
        if base_url
        else f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    )
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
    try:
        with app.app_context():
            db.create_all()
            started = time.perf_counter()
            community, viewer_id = build(args.members, random.Random(args.seed))
            if args.proposed_indexes:
                with db.engine.begin() as conn:
                    for statement in PROPOSED_INDEXES:
                        conn.execute(text(statement))
            # Statistics, and on PostgreSQL the visibility map that index-only scans need:
            # what autovacuum gives a live database (test servers often run without it).
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE" if db.engine.dialect.name == "postgresql" else "ANALYZE"))
            load_seconds = time.perf_counter() - started
            for words in ("product management", "clim") if args.explain else ():
                print(f"-- the search for {words!r}")
                explain(community, words)
            report(app, community, viewer_id, args, load_seconds)
            db.session.remove()
            db.drop_all()
    finally:
        if base_url:
            with app.app_context():
                db.engine.dispose()
            drop_postgres_database(base_url, BENCH_DATABASE)


def explain(community: Community, words: str) -> None:
    """The plan of the directory's search for `words` as a member sees it (the statement that
    counts the matches and picks the page), run as the directory runs it, with its timings."""
    statement = searched_page(community, Audience.MEMBERS, DirectoryQuery(text=words), page=1)
    with db.engine.connect() as conn:
        sql = statement.compile(conn, compile_kwargs={"literal_binds": True})
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(SEARCH_SETTINGS)
            conn.exec_driver_sql(f"EXPLAIN (ANALYZE) {sql}")  # once to warm the cache, as a kept page would
            rows = conn.exec_driver_sql(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        else:
            rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}")
        for row in rows:
            print(row[-1])


def report(app, community: Community, viewer_id: int, args, load_seconds: float) -> None:
    queries = [0]
    event.listen(db.engine, "before_cursor_execute", lambda *a: queries.__setitem__(0, queries[0] + 1))
    client = app.test_client()
    response = client.post("/login", data={"email": "person1@bench.example.org", "password": PASSWORD})
    assert response.status_code == 302, response.status_code

    print(
        f"{db.engine.dialect.name} {db.engine.dialect.server_version_info or ''}, "
        f"{args.members:,} members (loaded in {load_seconds:.1f} s), {args.runs} runs per query"
        + (", with the proposed indexes" if args.proposed_indexes else "")
    )
    print(
        f"{'directory view':<30}{'results':>8}{'query med':>11}{'p95':>8}"
        f"{'cold page':>10}{'p95':>8}{'SQL':>5}{'kept page':>10}{'p95':>8}"
    )
    for label, query_string in QUERIES:
        query = directory_query(dict(parse_qsl(query_string)))
        results = directory_page(community, Audience.MEMBERS, query).total_label

        def run_query(query=query):
            cache.clear()  # the queries themselves, not their kept results
            directory_page(community, Audience.MEMBERS, query)
            directory_cohorts(community, Audience.MEMBERS)
            db.session.rollback()

        query_median, query_p95 = timed(run_query, args.runs)
        url = f"/c/{community.slug}/members?{query_string}"

        def render(url=url):
            assert client.get(url).status_code == 200

        def cold(render=render):  # as the first search since the community last changed
            cache.clear()
            render()

        queries[0] = 0
        cold()
        statements = queries[0]
        cold_median, cold_p95 = timed(cold, args.runs)
        page_median, page_p95 = timed(render, args.runs)
        print(
            f"{label:<30}{results:>8}{query_median:>11.1f}{query_p95:>8.1f}"
            f"{cold_median:>10.1f}{cold_p95:>8.1f}{statements:>5}{page_median:>10.1f}{page_p95:>8.1f}"
        )
    public = client.application.test_client()
    for label, query_string in [
        ("public, anonymous, no filter", ""),
        ("public, anonymous, 'product'", "q=product"),
    ]:
        url = f"/c/{community.slug}/members?{query_string}"
        page_median, page_p95 = timed(lambda url=url: public.get(url), args.runs)
        print(f"{label:<30}{'':>8}{'':>11}{'':>8}{page_median:>10.1f}{page_p95:>8.1f}")


if __name__ == "__main__":
    main()
