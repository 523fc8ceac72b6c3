"""Pure builders of the event page: capacity text, map links, summaries, JSON-LD escaping."""

from __future__ import annotations

import json

from community.events.models import Event
from community.events.presentation import json_ld, map_url, plain_summary
from community.rsvps.page import capacity_text


def test_capacity_text():
    assert capacity_text(None) == "No limit"
    assert capacity_text(12) == "12 seats left"
    assert capacity_text(1) == "1 seat left"
    assert capacity_text(0) == "Full — join the waitlist"


def test_map_links_go_to_openstreetmap_by_coordinates_or_address():
    assert map_url(Event(venue_name="Hall", address="", latitude=None, longitude=None)) is None
    assert (
        map_url(Event(venue_name="", address="1 High St & Co", latitude=None, longitude=None))
        == "https://www.openstreetmap.org/search?query=1+High+St+%26+Co"
    )
    assert map_url(Event(venue_name="", address="x", latitude=51.5, longitude=-0.12)) == (
        "https://www.openstreetmap.org/?mlat=51.500000&mlon=-0.120000#map=17/51.500000/-0.120000"
    )


def test_summaries_are_plain_text_cut_at_a_word():
    assert plain_summary("**Bold** and _soft_") == "Bold and soft"
    summary = plain_summary("word " * 100, length=30)
    assert summary == "word word word word word word…"


def test_json_ld_cannot_close_its_script_element():
    text = str(json_ld({"name": "</script><!-- & -->"}))
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"name": "</script><!-- & -->"}
