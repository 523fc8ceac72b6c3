"""Manage → Insights: who may open it, what the organizer sees, the CSV downloads, and a fixed
number of statements whatever the community's size."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET

from community.communities.models import Role
from community.rsvps.models import RSVPStatus
from tests.factories import create_membership, create_user

PAGE = "/c/northfield/manage/insights"


def _world(history, people: int = 3, events: int = 2, prefix: str = "Member"):
    """`events` past events a month apart, each with `people` members going and the first two
    checked in (and the organizer, who is not counted); Meetup 1 is a reunion for Class of 2016,
    whose members are every other person (0, 2, ...)."""
    h = history
    members = [
        h.member(f"{prefix} {n}", cohort="Class of 2017" if n % 2 else "Class of 2016") for n in range(people)
    ]
    for number in range(events):
        event = h.event(f"Meetup {number + 1}", h.ago(number + 1), capacity=people + 2,
                        cohorts=["Class of 2016"] if number == 0 else [])  # fmt: skip
        h.rsvp(event, *members[:2], checked_in=True)
        h.rsvp(event, *members[2:])
        h.rsvp(event, h.organizer, status=RSVPStatus.GOING, checked_in=True)
    if people >= 2:
        h.connect(members[0], members[1], event, event.starts_at)
    return members


def test_visitor_logs_in_member_is_refused_stranger_sees_nothing(client, history):
    visitor = client.get(PAGE)
    assert visitor.status_code == 302 and "/login" in visitor.headers["Location"]
    member = history.member("Mia")
    client.login(member.email)
    assert client.get(PAGE).status_code == 403
    assert client.get(f"{PAGE}/attendance.csv").status_code == 403
    client.logout()
    stranger = create_user(email="stranger@example.org")
    client.login(stranger.email)
    assert client.get(PAGE).status_code == 404


def test_organizer_sees_charts_tables_and_the_tab(client, history):
    _world(history)
    client.login(history.organizer.email)
    page = client.get(PAGE).get_data(as_text=True)
    assert '<a class="' in page and ">Insights<" in page  # the tab among the organizer screens
    svgs = re.findall(r"<svg.*?</svg>", page, flags=re.S)
    assert len(svgs) == 7
    for svg in svgs:
        ET.fromstring(svg)
    # Meetup 1: 3 members going (the organizer left out), 2 checked in: a third did not come.
    cells = re.search(r'<th scope="row">Meetup 1</th>(.*?)</tr>', page, flags=re.S).group(1)
    assert re.findall(r'data-label="[^"]+">([^<]*)<', cells)[1:] == ["3", "2", "33%", "5"]
    # Class of 2016 (Members 0 and 2): both going to its reunion, Member 0 checked in.
    assert "Class of 2016</strong>: 100% going, 50% attended" in page
    assert 'value="12" selected' in page
    assert "Nobody is drifting away." in page


def test_empty_community_shows_empty_states(client, history):
    client.login(history.owner.email)
    page = client.get(f"{PAGE}?period=3").get_data(as_text=True)
    assert "No events in this period yet." in page and "No members yet." in page and "<svg" not in page
    assert "No event for a cohort in this period." in page and "No introductions in this period yet." in page


def test_an_unknown_period_falls_back_to_twelve_months(client, history):
    client.login(history.owner.email)
    assert 'value="12" selected' in client.get(f"{PAGE}?period=7").get_data(as_text=True)


def test_csv_download_of_a_chart_table(client, history):
    _world(history)
    client.login(history.owner.email)
    response = client.get(f"{PAGE}/attendance.csv?period=24")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert 'filename="northfield-attendance-24.csv"' in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["Event", "Date", "Going", "Checked in", "No-show rate", "Capacity"]
    assert [row[0] for row in rows[1:]] == ["Meetup 2", "Meetup 1"]
    assert rows[2][2:] == ["3", "2", "33%", "5"]
    cohorts = client.get(f"{PAGE}/cohorts.csv").get_data(as_text=True)
    assert "Class of 2016,2,2,100%,1,50%" in cohorts
    assert client.get(f"{PAGE}/nothing.csv").status_code == 404


def test_the_page_answers_in_the_same_number_of_statements_whatever_the_size(client, history, count_queries):
    _world(history, people=3, events=2)
    client.login(history.owner.email)
    with count_queries() as small:
        assert client.get(f"{PAGE}?period=all").status_code == 200
    _world(history, people=25, events=12, prefix="Another")
    for _ in range(5):
        create_membership(history.community, create_user(), role=Role.MEMBER)
    with count_queries() as large:
        page = client.get(f"{PAGE}?period=all")
    assert page.status_code == 200 and "Meetup 12" in page.get_data(as_text=True)
    assert len(small) == len(large), (small, large)
