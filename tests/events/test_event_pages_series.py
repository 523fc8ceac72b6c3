"""A series reads as one thing: lists give it one card ("Monthly: next on ...") with its later
dates linked, pagination counts cards, and an event of a series links the next dates."""

from __future__ import annotations

import re
from datetime import date, timedelta

from community.core.models import utcnow
from community.events.models import EventVisibility
from community.events.queries import LATER_DATES_SHOWN, community_events, event_cards, public_upcoming
from community.events.services import Recurrence, cancel_event, create_event, create_series
from community.events.timing import to_local
from community.extensions import db
from community.rsvps.services import respond
from tests.events.page_helpers import member, page_url, text_of, visitor_build_queries
from tests.factories import create_community, event_details
from tests.helpers import counting_queries


def day(offset: int) -> date:
    return (utcnow() + timedelta(days=offset)).date()


def weekly(community, organizer, title: str, count: int, start: int = 3, **details):
    events = create_series(
        community,
        organizer,
        event_details(title=title, day=day(start), **details),
        Recurrence(frequency="weekly", count=count),
        publish=True,
    )
    db.session.commit()
    return events


def short_date(event) -> str:
    """ "12 Jan", as a card or page links a later date (with the title for screen readers)."""
    local = to_local(event.starts_at, event.timezone)
    return f"{local.day} {local:%b}: {event.title}"


def tight(text: str) -> str:
    """Page text without the space text_of leaves where a tag ended before "," or ":"."""
    return re.sub(r"\s+([,:])", r"\1", text)


def event_links(html: str) -> list[str]:
    return re.findall(r'href="(/c/[^"/]+/events/\d+)"', html)


def test_the_front_page_shows_a_series_as_one_card_with_its_next_dates(client, community, organizer):
    roundtables = weekly(community, organizer, "Product Roundtable", 6)
    create_event(community, organizer, event_details(title="Summer picnic", day=day(10)), publish=True)
    db.session.commit()

    html = client.get("/").get_data(as_text=True)
    page = text_of(html)

    assert page.count("Weekly: next on") == 1
    first, later = roundtables[0], roundtables[1:]
    assert f'href="{page_url(first)}"' in html
    dates = ", ".join(short_date(event) for event in later[:LATER_DATES_SHOWN])
    assert f"Then {dates} and 1 more" in tight(page)
    for event in later[:LATER_DATES_SHOWN]:
        assert f'href="{page_url(event)}"' in html
    assert f'href="{page_url(later[-1])}"' not in html  # only a few dates are linked
    assert "Summer picnic" in page


def test_the_community_lists_group_a_series_and_count_it_once(client, community, organizer):
    weekly(community, organizer, "Monday code club", 6)
    for n in range(4):
        create_event(community, organizer, event_details(title=f"Talk {n}", day=day(20 + n)), publish=True)
    db.session.commit()

    events_page = text_of(client.get("/c/northfield/events").get_data(as_text=True))
    assert events_page.count("Weekly: next on") == 1
    assert "Talk 0" in events_page and "Talk 3" in events_page

    home = text_of(client.get("/c/northfield").get_data(as_text=True))
    assert home.count("Weekly: next on") == 1
    assert "All 5 upcoming events" in home  # the series and four talks, not ten


def test_pagination_counts_cards_not_the_events_behind_them(app, community, organizer):
    weekly(community, organizer, "Weekly standup", 8, start=1)
    for n in range(5):
        create_event(community, organizer, event_details(title=f"One-off {n}", day=day(2 + n)), publish=True)
    db.session.commit()
    now = utcnow()

    first = community_events(community, None, past=False, page=1, now=now, per_page=4)
    second = community_events(community, None, past=False, page=2, now=now, per_page=4)

    assert first.total == 6 and first.pages == 2
    titles = [event.title for event in [*first.items, *second.items]]
    assert titles.count("Weekly standup") == 1
    assert sorted(titles) == [
        "One-off 0",
        "One-off 1",
        "One-off 2",
        "One-off 3",
        "One-off 4",
        "Weekly standup",
    ]
    assert public_upcoming(page=1, now=now).total == 6


def test_a_series_whose_first_date_is_over_is_shown_by_its_next(app, community, organizer):
    events = weekly(community, organizer, "Weekly standup", 4, start=-8)  # two past, two to come
    now = utcnow()

    [card] = event_cards(list(community_events(community, None, past=False, page=1, now=now).items), None)

    assert card.event.id == events[2].id
    assert [event.id for event in card.series.later] == [events[3].id] and card.series.more == 0
    past = community_events(community, None, past=True, page=1, now=now)
    assert [event.id for event in past.items] == [events[1].id, events[0].id]  # the past stays one by one
    assert all(card.series is None for card in event_cards(list(past.items), None))


def test_a_cancelled_date_gets_a_card_of_its_own(client, community, organizer):
    events = weekly(community, organizer, "Weekly standup", 4)
    cancel_event(events[0], organizer, reason="Snow")
    db.session.commit()

    html = client.get("/c/northfield/events").get_data(as_text=True)
    page = text_of(html)

    assert "Cancelled" in page
    assert page.count("Weekly: next on") == 1  # the published dates, from the second on
    assert event_links(html).index(page_url(events[0])) < event_links(html).index(page_url(events[1]))


def test_members_only_dates_of_a_series_are_not_shown_to_visitors(client, community, organizer):
    weekly(community, organizer, "Alumni breakfast", 3, visibility=EventVisibility.MEMBERS)
    visitor = text_of(client.get("/c/northfield/events").get_data(as_text=True))
    assert "Alumni breakfast" not in visitor
    client.login(member(community).email)
    member_page = text_of(client.get("/c/northfield/events").get_data(as_text=True))
    assert member_page.count("Weekly: next on") == 1 and "Members only" in member_page


def test_the_event_page_of_a_series_links_its_next_dates(client, community, organizer):
    events = weekly(community, organizer, "Product Roundtable", 7)

    html = client.get(page_url(events[1])).get_data(as_text=True)
    page = text_of(html)

    assert "Series Weekly. Next:" in page
    for event in events[2 : 2 + LATER_DATES_SHOWN]:
        assert f'href="{page_url(event)}"' in html
    assert "and 1 more" in page
    assert f'href="{page_url(events[0])}"' not in html  # earlier dates are not "next"
    assert "Series" not in text_of(client.get(page_url(events[-1])).get_data(as_text=True))


def test_a_past_event_of_a_series_points_at_the_dates_to_come(client, community, organizer):
    events = weekly(community, organizer, "Weekly standup", 3, start=-3)  # one past, two to come
    html = client.get(page_url(events[0])).get_data(as_text=True)
    assert "This event has ended." in text_of(html)
    assert "Series Weekly. Next:" in text_of(html)
    assert f'href="{page_url(events[1])}"' in html and f'href="{page_url(events[2])}"' in html


def test_a_monthly_series_says_monthly(client, community, organizer):
    start = day(3)
    while start.day > 28:  # a weekday that every month has
        start += timedelta(days=1)
    create_series(
        community,
        organizer,
        event_details(title="Roundtable", day=start),
        Recurrence("monthly", count=3),
        publish=True,
    )
    db.session.commit()
    assert "Monthly: next on" in text_of(client.get("/c/northfield/events").get_data(as_text=True))


def test_the_event_page_hides_members_only_dates_from_visitors(client, community, organizer):
    events = weekly(community, organizer, "Product Roundtable", 3)
    events[1].visibility = EventVisibility.MEMBERS
    db.session.commit()
    html = client.get(page_url(events[0])).get_data(as_text=True)
    assert f'href="{page_url(events[1])}"' not in html and f'href="{page_url(events[2])}"' in html
    client.login(member(community).email)
    assert f'href="{page_url(events[1])}"' in client.get(page_url(events[0])).get_data(as_text=True)


# -- query counts --------------------------------------------------------------------------


def _queries_for(client, url) -> int:
    client.get(url)  # warm up: login user, caches
    with counting_queries(db.engine) as statements:
        response = client.get(url)
    assert response.status_code == 200
    return len(statements)


def test_grouped_lists_run_the_same_queries_for_few_and_many_series(app, client, community, organizer):
    other = create_community(slug="southside", name="Southside Club")
    weekly(community, organizer, "Series 0", 2)
    person = member(community)
    client.login(person.email)
    urls = ("/c/northfield/events", "/c/northfield")
    small = {url: _queries_for(client, url) for url in urls}
    small["/"], _ = visitor_build_queries(app, "/")  # the front page is a visitor's

    for n in range(1, 8):
        events = weekly(community if n % 2 else other, organizer, f"Series {n}", 10, start=3 + n)
        respond(events[0], person, going=True)
    for n in range(4):
        create_event(community, organizer, event_details(title=f"One-off {n}", day=day(5 + n)), publish=True)
    db.session.commit()
    large = {url: _queries_for(client, url) for url in urls}
    large["/"], front = visitor_build_queries(app, "/")

    assert "Series 7" in front
    assert small == large
