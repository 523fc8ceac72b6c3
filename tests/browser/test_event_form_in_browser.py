"""The event form in a real browser: the "Where" part links to OpenStreetMap as the address is
typed, keeps coordinates under "More", and a cover image goes up with its description."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from community.communities.models import Role
from tests.browser.test_events_in_browser import log_in
from tests.factories import create_community, create_membership
from tests.image_files import image_file

pytestmark = pytest.mark.browser


def test_the_where_part_and_a_cover_image(live_server, page: Page, tmp_path):
    community = create_community()
    create_membership(community, role=Role.ORGANIZER, email="olu@example.org", name="Olu Bankole")
    log_in(page, live_server, "olu@example.org", "Olu Bankole")
    page.goto(live_server + "/c/northfield/manage/events/new")

    check = page.get_by_role("link", name="Check on OpenStreetMap")
    expect(check).to_be_hidden()  # nothing to look up yet
    page.get_by_label("Venue").fill("The Old Library")
    page.get_by_label("Address").fill("1 High Street, Northfield")
    expect(check).to_be_visible()
    query = parse_qs(urlsplit(check.get_attribute("href")).query)
    assert query == {"query": ["The Old Library, 1 High Street, Northfield"]}

    latitude = page.get_by_label("Latitude")
    expect(latitude).to_be_hidden()  # under "More", closed
    page.get_by_text("More: map coordinates").click()
    expect(latitude).to_be_visible()

    picture = tmp_path / "quad.jpg"
    picture.write_bytes(image_file("JPEG", (2400, 1200)))
    page.get_by_label("Title", exact=True).fill("Summer drinks")
    page.get_by_label("Starts on").fill("2031-06-14")
    page.get_by_label("Image (optional)").set_input_files(str(picture))
    page.get_by_label("Describe the image").fill("The old quad in the evening sun")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.get_by_text("The event is saved as a draft.")).to_be_visible()

    page.get_by_role("link", name="Edit", exact=True).click()
    cover = page.get_by_role("img", name="The old quad in the evening sun")
    cover.scroll_into_view_if_needed()
    expect(cover).to_be_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=cover.element_handle())
    assert cover.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [1600, 800]
