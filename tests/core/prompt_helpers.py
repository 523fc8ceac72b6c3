"""Reading the "log in to see this" page (community/core/access.py) as a visitor would, and
following its buttons: the login form, then where it lands."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

from tests.events.page_helpers import text_of
from tests.factories import DEFAULT_PASSWORD

BUTTON = re.compile(r'<a class="button(?: button--secondary)?" href="([^"]+)">([^<]+)</a>')
NEXT_FIELD = re.compile(r'<input[^>]*name="next"[^>]*value="([^"]*)"')


def buttons(response) -> dict[str, str]:
    """The page's buttons, label -> address."""
    html = response.get_data(as_text=True)
    return {unescape(label): unescape(href) for href, label in BUTTON.findall(html)}


def next_of(url: str) -> str:
    """The `next=` of a link."""
    [value] = parse_qs(urlsplit(url).query)["next"]
    return value


def assert_login_prompt(response, *, heading: str, detail: str, back_to: str) -> str:
    """The visitor's page: 401, says what this is, with Log in and Sign up coming back to
    `back_to`; returns the page's text."""
    assert response.status_code == 401
    page = text_of(response.get_data(as_text=True))
    assert heading in page
    assert detail in page
    assert "You'll come straight back to this page." in page
    links = buttons(response)
    assert urlsplit(links["Log in"]).path == "/login"
    assert urlsplit(links["Sign up"]).path == "/signup"
    assert next_of(links["Log in"]) == next_of(links["Sign up"]) == back_to
    assert '<meta name="robots" content="noindex">' in response.get_data(as_text=True)
    return page


def log_in_through(client, prompt, email: str):
    """Click "Log in" on the prompt, fill in the login form as shown, and follow where it goes."""
    form = client.get(buttons(prompt)["Log in"])
    assert form.status_code == 200
    match = NEXT_FIELD.search(form.get_data(as_text=True))
    assert match, "the login form lost the page to come back to"
    answer = client.submit(
        "/login", {"email": email, "password": DEFAULT_PASSWORD, "next": unescape(match.group(1))}
    )
    assert answer.status_code == 302
    landing = answer.headers["Location"]
    return landing, client.get(landing)
