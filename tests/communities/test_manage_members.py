"""Manage -> Members: search by name or email, filters by role, cohort, when people joined and when
they last came to an event (rsvps tells, through core.sections), counts, paging, nonsense."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import insert, update

from community.auth.models import User
from community.communities.models import Community, Membership, MembershipStatus, Role
from community.core.models import utcnow
from community.extensions import db as _db
from tests.communities.community_helpers import add_member
from tests.factories import create_community, create_event, create_rsvp, create_user

MEMBERS = "/c/northfield/manage/members"
NAME = re.compile(r'<span class="member-name">([^<]+)</span>')
COUNT = re.compile(r'<p class="directory__count" role="status">([^<]+)</p>')


def names(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    return NAME.findall(response.get_data(as_text=True))


def count_line(response) -> str:
    return COUNT.search(response.get_data(as_text=True)).group(1).replace("&#34;", '"')


def organizer_community(client) -> Community:
    owner = create_user(email="owner@example.org", name="Olive Owner")
    community = create_community(owner)
    client.login("owner@example.org")
    return community


def joined_days_ago(membership: Membership, days: int) -> None:
    _db.session.execute(
        update(Membership)
        .where(Membership.id == membership.id)
        .values(joined_at=utcnow() - timedelta(days=days))
    )
    _db.session.commit()


def test_search_finds_part_of_a_name_or_an_email_address_in_any_case(client, db):
    community = organizer_community(client)
    add_member(community, name="Ada Lovelace", email="ada@analytical.example")
    add_member(community, name="Grace Hopper", email="amazing.grace@navy.example")
    add_member(community, name="Alan Turing", email="alan@bletchley.example")

    assert names(client.get(MEMBERS, query_string={"q": "LOVE"})) == ["Ada Lovelace"]
    by_email = client.get(MEMBERS, query_string={"q": "navy.example"})
    assert names(by_email) == ["Grace Hopper"]
    assert count_line(by_email) == "1 person matching “navy.example”"
    spaced = client.get(MEMBERS, query_string={"q": "  ada   LOVE "})  # runs of spaces are one space
    assert names(spaced) == ["Ada Lovelace"]
    assert count_line(spaced) == "1 person matching “ada LOVE”"
    assert names(client.get(MEMBERS, query_string={"q": "al"})) == ["Ada Lovelace", "Alan Turing"]
    assert names(client.get(MEMBERS, query_string={"q": "100%_"})) == []  # wildcards are plain text
    everyone = client.get(MEMBERS)
    assert names(everyone) == ["Ada Lovelace", "Alan Turing", "Grace Hopper", "Olive Owner"]
    assert count_line(everyone) == "4 people"


def test_nothing_matches_says_so_and_offers_to_clear_the_filters(client, db):
    community = organizer_community(client)
    add_member(community, name="Ada Lovelace")

    page = client.get(MEMBERS, query_string={"q": "zebra"}).get_data(as_text=True)

    assert "Nobody matches these filters." in page
    assert f'href="{MEMBERS}?show=members">clear the filters</a>' in page
    assert '<input class="input" type="search" id="q" name="q" value="zebra"' in page
    assert "0 people matching “zebra”" in page


def test_the_role_filter_owner_organizers_members_and_requests(client, db):
    community = organizer_community(client)
    add_member(community, name="Oscar Organizer", role=Role.ORGANIZER)
    add_member(community, name="Mia Member")
    add_member(community, name="Rita Request", pending=True)

    assert names(client.get(MEMBERS, query_string={"show": "owner"})) == ["Olive Owner"]
    assert names(client.get(MEMBERS, query_string={"show": "organizers"})) == [
        "Olive Owner",
        "Oscar Organizer",
    ]
    assert names(client.get(MEMBERS, query_string={"show": "member"})) == ["Mia Member"]
    requests = client.get(MEMBERS, query_string={"show": "pending"})
    assert names(requests) == ["Rita Request"]
    assert count_line(requests) == "1 request"
    everyone = client.get(MEMBERS).get_data(as_text=True)
    assert NAME.findall(everyone) == ["Mia Member", "Olive Owner", "Oscar Organizer"]  # requests apart
    assert f'<a href="{MEMBERS}?show=pending">1 request to join waiting for an answer</a>' in everyone
    assert '<option value="pending">Requests to join (1)</option>' in everyone
    assert '<option value="organizers">Owner and organizers (2)</option>' in everyone


def test_the_cohort_filter_offers_the_communitys_cohorts(client, db):
    community = organizer_community(client)
    add_member(community, name="Ada 2016", cohort="Class of 2016")
    add_member(community, name="Bo 2016", cohort="Class of 2016")
    add_member(community, name="Cy 2009", cohort="Class of 2009")
    add_member(community, name="Di Request", cohort="Class of 2021", pending=True)

    page = client.get(MEMBERS, query_string={"cohort": "Class of 2016"})

    assert names(page) == ["Ada 2016", "Bo 2016"]
    assert count_line(page) == "2 people · Class of 2016"
    html = page.get_data(as_text=True)
    options = re.search(r'<select class="input" id="cohort" name="cohort">(.*?)</select>', html, re.S).group(
        1
    )
    assert re.findall(r'<option value="([^"]*)"', options) == [
        "",
        "Class of 2009",
        "Class of 2016",
        "Class of 2021",
    ]
    assert '<option value="Class of 2016" selected>' in options
    assert names(client.get(MEMBERS, query_string={"cohort": "Class of 2021", "show": "pending"})) == [
        "Di Request"
    ]
    # A cohort nobody here has is no filter at all.
    assert len(names(client.get(MEMBERS, query_string={"cohort": "Class of 1066"}))) == 4


def test_the_joined_filter(client, db):
    community = organizer_community(client)
    for name, days in (("Week Old", 7), ("Two Months", 60), ("Half Year", 180), ("Veteran", 800)):
        joined_days_ago(add_member(community, name=name), days)
    joined_days_ago(next(m for m in community.memberships if m.role == Role.OWNER), 1000)

    def joined(key: str) -> list[str]:
        return names(client.get(MEMBERS, query_string={"joined": key}))

    assert joined("30d") == ["Week Old"]
    assert joined("3m") == ["Two Months", "Week Old"]
    assert joined("12m") == ["Half Year", "Two Months", "Week Old"]
    assert joined("earlier") == ["Olive Owner", "Veteran"]
    assert (
        count_line(client.get(MEMBERS, query_string={"joined": "30d"}))
        == "1 person · joined in the last 30 days"
    )


def test_last_attended_comes_from_checked_in_rsvps_of_events_that_are_over(client, db):
    community = organizer_community(client)
    owner = _db.session.get(User, community.created_by_id)
    today = utcnow().date()
    recent = create_event(community, owner, title="Spring drinks", day=today - timedelta(days=40))
    autumn = create_event(community, owner, title="Autumn talk", day=today - timedelta(days=250))
    old = create_event(community, owner, title="Old reunion", day=today - timedelta(days=500))
    coming = create_event(community, owner, title="Next reunion", day=today + timedelta(days=10))
    people = {name: add_member(community, name=name).user for name in ("Rae Recent", "Ash Autumn", "Ola Old")}
    never, no_show = (
        add_member(community, name="Nev Never").user,
        add_member(community, name="Gus Going").user,
    )
    create_rsvp(recent, people["Rae Recent"], checked_in=True)
    create_rsvp(old, people["Rae Recent"], checked_in=True)
    create_rsvp(autumn, people["Ash Autumn"], checked_in=True)
    create_rsvp(old, people["Ola Old"], checked_in=True)
    create_rsvp(coming, never, checked_in=True)  # not over yet: does not count
    create_rsvp(recent, no_show)  # said yes, never checked in

    def came(key: str) -> list[str]:
        return names(client.get(MEMBERS, query_string={"attended": key}))

    assert came("6m") == ["Rae Recent"]
    assert came("6-12m") == ["Ash Autumn"]
    assert came("over-1y") == ["Ola Old"]
    assert came("never") == ["Gus Going", "Nev Never", "Olive Owner"]
    page = client.get(MEMBERS, query_string={"q": "rae"}).get_data(as_text=True)
    local = recent.starts_at.strftime("%-d %b %Y")  # 18:30 in London is the same day in UTC
    assert '<th scope="col">Last came</th>' in page
    assert (
        f'<td data-label="Last came"><time datetime="{recent.starts_at.isoformat()}">{local}</time></td>'
        in page
    )
    never_row = client.get(MEMBERS, query_string={"q": "nev"}).get_data(as_text=True)
    assert '<td data-label="Last came">never</td>' in never_row


def test_filters_add_up_and_survive_paging(client, db):
    community = organizer_community(client)
    bulk_members(community, 25, prefix="Reunion Person", cohort="Class of 2016")
    bulk_members(community, 3, prefix="Other Person", cohort="Class of 2009")
    query = {"q": "person", "cohort": "Class of 2016", "joined": "30d", "show": "member"}

    first = client.get(MEMBERS, query_string=query)
    html = first.get_data(as_text=True)

    assert len(names(first)) == 20
    said = "25 people matching “person” · "
    said += "Members (not organizers) · Class of 2016 · joined in the last 30 days"
    assert count_line(first) == said
    link = f"{MEMBERS}?page=2&amp;show=member&amp;q=person&amp;cohort=Class+of+2016&amp;joined=30d"
    assert f'<a href="{link}" rel="next">' in html
    second = client.get(link.replace("&amp;", "&"))
    assert names(second) == [f"Reunion Person {n:02d}" for n in range(21, 26)]
    assert count_line(second) == count_line(first)


def test_nonsense_in_the_query_string_is_no_filter_never_an_error(client, db):
    community = organizer_community(client)
    add_member(community, name="Ada Lovelace")
    nonsense = {"show": "admins", "cohort": "x" * 500, "joined": "yesterday", "attended": "'; DROP TABLE"}

    page = client.get(MEMBERS, query_string=nonsense)

    assert names(page) == ["Ada Lovelace", "Olive Owner"]
    assert count_line(page) == "2 people"
    assert client.get(MEMBERS, query_string={"q": "x" * 5000}).status_code == 200
    assert names(client.get(MEMBERS, query_string={"page": "abc"})) == ["Ada Lovelace", "Olive Owner"]
    assert names(client.get(MEMBERS, query_string={"page": "999999"})) == []
    assert client.get(MEMBERS, query_string={"page": "99999999999"}).status_code == 404
    assert client.get(MEMBERS + "?q=a%00b").status_code == 400
    assert client.get(MEMBERS + "?show=pending&show=owner").status_code == 200


def bulk_members(community: Community, count: int, *, prefix: str, cohort: str | None = None) -> None:
    """`count` active members named "<prefix> 01".. in two inserts (no password hashing)."""
    emails = [f"{prefix.lower().replace(' ', '.')}.{n}@example.org" for n in range(1, count + 1)]
    _db.session.execute(
        insert(User),
        [
            {"email": email, "name": f"{prefix} {n:02d}", "password_hash": "x"}
            for n, email in enumerate(emails, 1)
        ],
    )
    ids = _db.session.scalars(_db.select(User.id).where(User.email.in_(emails))).all()
    now = utcnow()
    _db.session.execute(
        insert(Membership),
        [
            {"community_id": community.id, "user_id": user_id, "role": Role.MEMBER, "cohort": cohort,
             "status": MembershipStatus.ACTIVE, "requested_at": now, "joined_at": now}
            for user_id in ids
        ],
    )  # fmt: skip
    _db.session.commit()


def test_the_page_takes_as_many_queries_for_3_members_as_for_60(client, db, count_queries):
    owner = create_user(email="owner@example.org", name="Olive Owner")
    small, large = create_community(owner, slug="small"), create_community(owner, slug="large")
    bulk_members(small, 2, prefix="Small Person")
    bulk_members(large, 59, prefix="Large Person")
    for community in (small, large):
        event = create_event(community, owner, day=utcnow().date() - timedelta(days=30))
        create_rsvp(event, owner, checked_in=True)
    client.login("owner@example.org")
    client.get("/c/small/manage/members")  # warm: the session's first request loads more

    counts = []
    for slug, shown in (("small", 3), ("large", 20)):
        with count_queries() as statements:
            response = client.get(f"/c/{slug}/manage/members", query_string={"attended": "6m", "q": "o"})
        counts.append(len(statements))
        assert response.status_code == 200
        everyone = client.get(f"/c/{slug}/manage/members")
        assert len(names(everyone)) == shown
    assert counts[0] == counts[1]
    listing = [s for s in statements if "last_attended" in s]
    assert len(listing) == 2  # the rows with their people, and the count
