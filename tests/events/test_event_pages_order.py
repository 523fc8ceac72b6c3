"""The event page puts the main action first: the title with when and where, then the RSVP
card, then the details, about and who's going (collapsed past the first faces), then the
side cards. The source order is the reading and tab order on every width."""

from __future__ import annotations

import re

from community.events.timing import short_when
from community.extensions import db
from community.rsvps.services import respond
from tests.events.page_helpers import bulk_rsvps, member, page_url, text_of


def positions(html: str, *markers: str) -> list[int]:
    found = [html.find(marker) for marker in markers]
    assert -1 not in found, dict(zip(markers, found, strict=True))
    return found


def test_the_rsvp_card_comes_right_after_the_title_when_and_where(client, community, published_event):
    event = published_event(title="Summer reunion", venue_name="The Old Library", capacity=40)
    bulk_rsvps(event, 30)
    client.login(member(community).email)

    html = client.get(page_url(event)).get_data(as_text=True)

    order = positions(
        html,
        "<h1>Summer reunion</h1>",
        'class="meta event-hero__summary"',
        'id="rsvp"',
        'class="card event-facts"',
        'id="about-title"',
        'id="attendees"',
        'class="card calendar-links"',
        'id="organizers-title"',
    )
    assert order == sorted(order)
    summary = html[order[1] :].split(">", 1)[1].split("</ul>", 1)[0]
    when = short_when(event.starts_at, event.ends_at, event.timezone, event.all_day)
    assert text_of(summary) == f"{when} The Old Library" and "18:30" in when
    # Nothing to tab through between the title and the answer but the answer itself.
    between = html[order[0] : order[2]]
    assert not re.search(r"<(a|button|input|select|textarea)\b", between)


def test_the_going_button_comes_before_the_guest_list(client, community, published_event):
    event = published_event()
    bulk_rsvps(event, 20)
    client.login(member(community).email)
    html = client.get(page_url(event)).get_data(as_text=True)
    going, first_attendee = positions(html, 'value="going"', 'class="attendee"')
    assert going < first_attendee


def test_who_is_going_shows_the_first_faces_and_the_rest_behind_show_all(client, community, published_event):
    event = published_event(capacity=100)
    bulk_rsvps(event, 30)
    client.login(member(community).email)

    html = client.get(page_url(event)).get_data(as_text=True)

    section = html[html.index('id="attendees"') :]
    shown, hidden = section.split('<details class="attendees-more">', 1)
    hidden = hidden.split("</details>", 1)[0]
    assert shown.count('class="attendee"') == 12
    assert hidden.count('class="attendee"') == 18
    assert "Show all 30" in text_of(hidden)
    assert "See all" not in text_of(section)  # the whole list is on the page already


def test_a_long_list_shows_the_first_faces_and_links_the_full_list(client, community, published_event):
    event = published_event(capacity=100)
    bulk_rsvps(event, 60)
    client.login(member(community).email)

    html = client.get(page_url(event)).get_data(as_text=True)

    section = html[html.index('id="attendees"') : html.index("</section>", html.index('id="attendees"'))]
    assert section.count('class="attendee"') == 12
    assert "<details" not in section
    assert f'href="{page_url(event)}/attendees">See all 60 people going' in section


def test_going_people_are_told_so_in_the_rsvp_card_first(client, community, published_event):
    event = published_event()
    person = member(community)
    respond(event, person, going=True)
    db.session.commit()
    client.login(person.email)
    html = client.get(page_url(event)).get_data(as_text=True)
    state, attendees = positions(html, "You&#39;re going", 'id="attendees"')
    assert state < attendees
