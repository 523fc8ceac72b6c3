"""The calendar links of an event page and a community page are one group of equal buttons
(same style, same list, so they line up); subscribing to the whole community from an event
page is a link of its own, not a button of another style in the same row."""

from __future__ import annotations

import re

from tests.events.page_helpers import page_url
from tests.factories import create_community, create_event, create_membership

GROUP = re.compile(r'<ul class="calendar-buttons">(.*?)</ul>', re.S)
BUTTON = re.compile(r'<a class="([^"]+)" href="[^"]+"[^>]*>([^<]+)</a>')


def buttons(html: str) -> list[tuple[str, str]]:
    groups = GROUP.findall(html)
    assert len(groups) == 1, "one group of calendar buttons"
    return [(label, classes) for classes, label in BUTTON.findall(groups[0])]


def test_an_event_page_adds_to_calendars_with_one_group_of_equal_buttons(client, db):
    community = create_community()
    organizer = create_membership(community).user
    event = create_event(community, organizer)

    html = client.get(page_url(event)).get_data(as_text=True)

    found = buttons(html)
    assert [label for label, _ in found] == ["Google Calendar", "Outlook", "Download .ics"]
    assert {classes for _, classes in found} == {"button button--secondary button--small"}
    subscribe = re.search(r'<p class="calendar-subscribe"><a href="(webcal://[^"]+)">([^<]+)</a>', html)
    assert subscribe and subscribe.group(2) == f"Subscribe to all {community.name} events"


def test_a_community_page_subscribes_with_one_group_of_equal_buttons(client, db):
    community = create_community()

    html = client.get(f"/c/{community.slug}").get_data(as_text=True)

    found = buttons(html)
    assert [label for label, _ in found] == ["Subscribe", "Google Calendar", "Outlook.com", "Download .ics"]
    assert {classes for _, classes in found} == {"button button--secondary button--small"}
