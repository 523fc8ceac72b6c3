"""The audit log page: plain sentences in the community's time zone, filters by kind and by person
(who did it or whom it was about), pages that keep the filters, and nonsense that filters nothing."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, insert

from community.communities.models import Community, Role
from community.core.audit import AuditEntry
from community.extensions import db as _db
from tests.communities.community_helpers import add_member
from tests.factories import create_community, create_user

AUDIT = "/c/northfield/manage/audit"
SENTENCE = re.compile(r'<th scope="row">(.*?)</th>', re.S)
DAY = re.compile(r'<td data-label="Day"><time datetime="[^"]+">(.*?)</time></td>')
START = datetime(2027, 1, 10, 17, 0, tzinfo=UTC)  # 12:00 in New York, 17:00 in London


def sentences(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    return [html.unescape(s) for s in SENTENCE.findall(response.get_data(as_text=True))]


def count_line(response) -> str:
    found = re.search(r'<p class="directory__count" role="status">(.*?)</p>', response.get_data(as_text=True))
    return html.unescape(found[1])


def logged(client, **community_fields):
    """Olive Owner's community, its log replaced by four entries an hour apart from START."""
    olive = create_user(email="owner@example.org", name="Olive Owner")
    community = create_community(olive, **community_fields)
    oscar = add_member(community, name="Oscar Organizer", role=Role.ORGANIZER).user
    greta = add_member(community, name="Greta Adeyemi").user
    _db.session.execute(delete(AuditEntry).where(AuditEntry.community_id == community.id))
    rows = [
        (olive, "member.promoted", oscar, "to organizer"),
        (oscar, "rsvp.checked_in", greta, "Spring dinner"),
        (oscar, "invitation.sent", None, "3 invited by email"),
        (olive, "community.updated", None, "name"),
    ]
    _db.session.execute(
        insert(AuditEntry),
        [
            {"community_id": community.id, "actor_id": actor.id, "action": action, "detail": detail,
             "subject_user_id": subject.id if subject else None, "created_at": START + timedelta(hours=n)}
            for n, (actor, action, subject, detail) in enumerate(rows)
        ],
    )  # fmt: skip
    _db.session.commit()
    client.login("owner@example.org")
    return community


def test_the_log_reads_as_sentences_newest_first_in_the_communitys_zone(client, db):
    logged(client, timezone="America/New_York")

    page = client.get(AUDIT)

    assert sentences(page) == [
        "Olive Owner changed the settings: name at 15:00",
        "Oscar Organizer sent invitations: 3 invited by email at 14:00",
        "Oscar Organizer checked in Greta Adeyemi at 13:00",
        "Olive Owner made Oscar Organizer an organizer at 12:00",
    ]
    text = page.get_data(as_text=True)
    assert DAY.findall(text) == ["10 Jan 2027"] * 4
    assert "Times are in America/New_York." in text
    assert count_line(page) == "4 entries"


def test_the_day_is_the_day_in_the_communitys_zone(client, db):
    community = logged(client, timezone="Asia/Tokyo")  # UTC+9: START is 02:00 on 11 January there
    moments = (datetime(2027, 1, 10, 14, 59, tzinfo=UTC), datetime(2027, 1, 10, 15, 0, tzinfo=UTC))
    _db.session.execute(
        insert(AuditEntry),
        [{"community_id": community.id, "actor_id": community.created_by_id, "action": "member.left",
          "detail": "", "created_at": moment} for moment in moments],
    )  # fmt: skip
    _db.session.commit()

    page = client.get(AUDIT, query_string={"kind": "members"})

    assert sentences(page) == [
        "Olive Owner made Oscar Organizer an organizer at 02:00",
        "Olive Owner left at 00:00",
        "Olive Owner left at 23:59",
    ]
    assert DAY.findall(page.get_data(as_text=True)) == ["11 Jan 2027", "11 Jan 2027", "10 Jan 2027"]


def test_filtering_by_kind(client, db):
    logged(client)

    rsvps = client.get(AUDIT, query_string={"kind": "rsvps"})
    invitations = client.get(AUDIT, query_string={"kind": "invitations"})
    events = client.get(AUDIT, query_string={"kind": "events"})

    assert sentences(rsvps) == ["Oscar Organizer checked in Greta Adeyemi at 18:00"]
    assert count_line(rsvps) == "1 entry in RSVPs and check-in"
    assert '<option value="rsvps" selected>RSVPs and check-in</option>' in rsvps.get_data(as_text=True)
    assert sentences(invitations) == ["Oscar Organizer sent invitations: 3 invited by email at 19:00"]
    assert sentences(events) == []
    assert "Nothing matches these filters." in events.get_data(as_text=True)


def test_filtering_by_person_finds_who_did_it_and_whom_it_was_about(client, db):
    logged(client)

    greta = client.get(AUDIT, query_string={"person": "adeyemi"})
    oscar = client.get(AUDIT, query_string={"person": "OSCAR"})
    both = client.get(AUDIT, query_string={"person": "oscar", "kind": "members"})

    assert sentences(greta) == ["Oscar Organizer checked in Greta Adeyemi at 18:00"]
    assert count_line(greta) == "1 entry about “adeyemi”"
    assert len(sentences(oscar)) == 3  # two things Oscar did, and his promotion
    assert sentences(both) == ["Olive Owner made Oscar Organizer an organizer at 17:00"]
    assert count_line(both) == "1 entry about “oscar” in Members and roles"
    assert sentences(client.get(AUDIT, query_string={"person": "%"})) == []  # a wildcard is a character


def test_page_two_keeps_the_filters(client, db):
    community = logged(client)
    _db.session.execute(
        insert(AuditEntry),
        [
            {"community_id": community.id, "actor_id": community.created_by_id, "action": "rsvp.approved",
             "detail": "", "created_at": START - timedelta(days=1, minutes=n)}
            for n in range(31)
        ],
    )  # fmt: skip
    _db.session.commit()

    first = client.get(AUDIT, query_string={"kind": "rsvps", "person": "olive"})
    link = f"{AUDIT}?page=2&amp;person=olive&amp;kind=rsvps"

    assert len(sentences(first)) == 30
    assert count_line(first) == "31 entries about “olive” in RSVPs and check-in"
    assert f'<a href="{link}" rel="next">' in first.get_data(as_text=True)
    second = client.get(link.replace("&amp;", "&"))
    assert sentences(second) == ["Olive Owner approved someone's RSVP at 16:30"]  # the oldest, 9 Jan
    assert count_line(second) == count_line(first)


def test_nonsense_filters_filter_nothing_and_never_fail(client, db):
    logged(client)

    for query in (
        {"kind": "nonsense"},
        {"kind": "members'--"},
        {"kind": "", "person": ""},
        {"person": "   "},
        {"page": "abc"},
        {"kind": ["rsvps", "members"]},  # a repeated field: the first counts
    ):
        response = client.get(AUDIT, query_string=query)
        assert response.status_code == 200, query
        expected = 1 if query.get("kind") == ["rsvps", "members"] else 4
        assert len(sentences(response)) == expected, query
    assert len(sentences(client.get(AUDIT, query_string={"person": "x" * 5000}))) == 0
    assert sentences(client.get(AUDIT, query_string={"page": "7"})) == []
    assert client.get(AUDIT, query_string={"page": "99999999999"}).status_code == 404
    assert client.get(AUDIT + "?person=a%00b").status_code == 400


def test_only_organizers_read_the_log(client, db):
    community: Community = logged(client)
    member = add_member(community, name="Mo Member").user
    client.logout()
    client.login(member.email)

    assert client.get(AUDIT).status_code == 403
