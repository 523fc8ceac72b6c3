"""My network (/me/network): connections with where and when they met, the last event
together, what they can help with, search, upcoming events, and a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest

from community.core.models import utcnow
from community.extensions import db
from community.introductions import connections, requests
from community.members.models import Profile
from tests.factories import create_community, create_event, create_membership, create_rsvp, create_user
from tests.introductions.bulk import bulk_connections, bulk_people, text

NETWORK = "/me/network"


def profile(user, **fields) -> None:
    row = db.session.get(Profile, user.id)
    for name, value in fields.items():
        setattr(row, name, value)
    db.session.commit()


def page_of(client, query: str = "") -> str:
    response = client.get(NETWORK + query)
    assert response.status_code == 200
    return text(response.get_data(as_text=True))


def introduce(world, asker, recipient) -> None:
    introduction = requests.ask(asker, recipient, community=world.community, event=world.event, note="Hello")
    requests.accept(introduction, recipient)
    db.session.commit()


@pytest.fixture
def connected(roundtable):
    """Ana and Bo were introduced at the roundtable and accepted."""
    profile(roundtable.bo, can_help_with=["Fundraising for a seed round"], headline="Founder at Seedly")
    roundtable.opt_in(roundtable.ana, roundtable.bo)
    introduce(roundtable, roundtable.ana, roundtable.bo)
    return roundtable


def test_the_network_needs_a_login(client):
    response = client.get(NETWORK)
    assert response.status_code == 302 and "next=%2Fme%2Fnetwork" in response.location


def test_an_empty_network_says_how_connections_are_made(client, roundtable):
    client.login("ana@example.org")

    page = page_of(client)

    assert "No connections yet" in page
    assert "Meet people" in page and "Who did you meet?" in page


def test_a_connection_shows_where_they_met_and_what_they_can_help_with(client, connected):
    client.login("ana@example.org")

    html = client.get(NETWORK).get_data(as_text=True)
    page = text(html)

    day = connected.event.starts_at.astimezone(connected.event.starts_at.tzinfo)
    assert "Bo" in page and "Founder at Seedly" in page
    assert "Met at Product roundtable" in page and "(introduced)" in page
    assert f"{day:%b %Y}" in page
    assert "Can help with: Fundraising for a seed round" in page
    assert f'href="/people/{connected.bo.id}"' in html
    assert "Cy" not in page


def test_the_last_event_together_and_upcoming_events_in_my_communities(client, connected):
    past = create_event(connected.community, connected.organizer, title="Spring supper", day=utcnow().date())
    past.starts_at, past.ends_at = utcnow() - timedelta(days=40, hours=3), utcnow() - timedelta(days=40)
    later = create_event(connected.community, connected.organizer, title="Summer reunion")
    hidden = create_event(connected.community, connected.organizer, title="Quiet dinner")
    owner = create_user()
    elsewhere = create_community(owner, slug="elsewhere", name="Elsewhere Club")
    other = create_event(elsewhere, owner, title="Elsewhere gala")
    db.session.commit()
    create_rsvp(past, connected.ana)
    create_rsvp(past, connected.bo)
    create_rsvp(later, connected.bo)
    create_rsvp(hidden, connected.bo, listed=False)  # chose not to be in the list of who's going
    create_membership(elsewhere, connected.bo)
    create_rsvp(other, connected.bo)
    client.login("ana@example.org")

    page = page_of(client)

    assert "Last event together: Spring supper" in page
    going = page.split("Going to", 1)[1]
    assert "Summer reunion" in going
    assert "Quiet dinner" not in page and "Elsewhere gala" not in page


def test_members_only_parts_of_a_profile_stay_hidden(client, connected):
    profile(connected.bo, visibility={"can_help_with": "nobody"})
    client.login("ana@example.org")

    assert "Fundraising for a seed round" not in page_of(client)


def test_search_by_name_or_by_what_they_can_help_with(client, connected):
    profile(connected.cy, can_help_with=["Hiring engineers"])
    connected.opt_in(connected.cy)
    introduce(connected, connected.cy, connected.ana)
    client.login("ana@example.org")

    by_name = page_of(client, "?q=bo")
    assert "Bo" in by_name and "Cy" not in by_name and "1 connection matching “bo”" in by_name

    by_help = page_of(client, "?q=fundraise")
    assert "Can help with Fundraising for a seed round" in by_help
    assert "Cy" not in by_help

    nobody = page_of(client, "?q=astronomy")
    assert "Nobody in your network matches “astronomy”" in nobody


def test_a_connection_outlives_the_event_it_came_from(client, connected):
    db.session.delete(connected.event)
    db.session.commit()
    client.login("bo@example.org")

    page = page_of(client)

    assert "Ana" in page and "Met at Product roundtable" in page
    assert connections.connection_between(connected.ana.id, connected.bo.id) is not None


def test_the_network_runs_the_same_queries_for_5_and_500_connections(client, roundtable, count_queries):
    later = create_event(roundtable.community, roundtable.organizer, title="Autumn reunion")
    few = bulk_people(5, prefix="few", community_id=roundtable.community.id, can_help_with=["Fundraising"])
    many = bulk_people(
        500, prefix="many", community_id=roundtable.community.id, can_help_with=["Fundraising"]
    )
    counts = []
    for ids, viewer in ((few, roundtable.ana), (many, roundtable.bo)):
        bulk_connections(viewer, ids, event=roundtable.event)
        for uid in ids[:3]:
            create_rsvp(later, db.session.get(type(viewer), uid))
        client.login(viewer.email)
        client.get(NETWORK)
        with count_queries() as statements:
            response = client.get(NETWORK + "?q=fundraising")
        assert response.status_code == 200
        assert "Autumn reunion" in response.get_data(as_text=True)
        counts.append(len(statements))
        client.logout()
    assert counts[0] == counts[1]
