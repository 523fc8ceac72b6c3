"""No page is wider than the window: one page of each kind (tests/browser/demo_pages.py), as a
visitor, a member, an organizer and the admin, from a small phone to a wide desktop (issue 10).
A long word or a long button label must wrap, not push the page sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.browser.demo_pages import each_page, seed_demo

pytestmark = pytest.mark.browser

WIDTHS = (320, 390, 768, 1366, 1920)


def test_no_page_is_wider_than_the_window(live_server, browser: Browser, app):
    pages = seed_demo(app)

    found = []
    for login, path, width, page in each_page(browser, live_server, pages, WIDTHS):
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            found.append(f"{login} {path} at {width} px: {scroll_width} px wide")

    assert found == [], "pages wider than the window:\n" + "\n".join(found)
