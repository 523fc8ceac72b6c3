"""A signed-in member's event page costs about what a visitor's does (issue 13): the user, their
session check and all their memberships are one statement, their RSVP is read once however
many parts of the page show it, and "who's going" filters with the viewer's community ids,
so the statements do not grow with the size of the viewer's communities."""

from __future__ import annotations

import re

from community.events.models import EventKind
from tests.factories import create_community, create_event, create_membership, create_rsvp, create_user

SESSION = re.compile(r"\bFROM user_account JOIN user_session\b")
VIEWERS_RSVP = re.compile(r"FROM rsvp WHERE rsvp\.event_id = \S+ AND rsvp\.user_id = \S+")


def statements_of_page(client, count_queries, path: str) -> list[str]:
    with count_queries() as statements:
        assert client.get(path).status_code == 200
    return [" ".join(statement.split()) for statement in statements]


def test_the_user_their_memberships_and_rsvp_are_read_once(client, count_queries):
    owner = create_user(name="Olive Owner")
    community = create_community(owner)
    mia = create_membership(community, name="Mia Member", email="mia@example.org").user
    event = create_event(community, owner, kind=EventKind.ROUNDTABLE)
    create_rsvp(event, mia)
    client.login("mia@example.org")

    statements = statements_of_page(client, count_queries, f"/c/northfield/events/{event.id}")

    loads = [s for s in statements if SESSION.search(s)]
    assert len(loads) == 1 and "JOIN membership ON membership.user_id = user_account.id" in loads[0]
    viewer_membership = [
        s for s in statements if s.startswith("SELECT membership.") and "membership.user_id =" in s
    ]
    assert viewer_membership == []  # the page's "is she a member?" came with the user
    assert len([s for s in statements if VIEWERS_RSVP.search(s)]) == 1


def test_a_large_community_costs_the_viewer_no_more_statements(client, count_queries):
    owner = create_user(name="Olive Owner")
    community = create_community(owner)
    other = create_community(owner, slug="elsewhere", name="Elsewhere")
    mia = create_membership(community, name="Mia Member", email="mia@example.org").user
    create_membership(other, mia)
    event = create_event(community, owner)
    going = [create_membership(community, name=f"Going {n}").user for n in range(3)]
    for person in going:
        create_rsvp(event, person)
    client.login("mia@example.org")
    path = f"/c/northfield/events/{event.id}"
    few = statements_of_page(client, count_queries, path)
    page = client.get(path).get_data(as_text=True)
    assert all(person.name in page for person in going)  # members see members' names

    for n in range(40):
        member = create_membership(other if n % 2 else community, name=f"Someone {n}").user
        if n % 4 == 0:
            create_rsvp(event, member)
    many = statements_of_page(client, count_queries, path)

    assert len(many) == len(few)
    attendees = [s for s in many if "FROM user_account JOIN rsvp" in s]
    assert attendees and "IN (SELECT membership.community_id" not in attendees[0]
