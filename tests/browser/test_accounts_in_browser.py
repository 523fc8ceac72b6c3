"""A person signs up, confirms the email, logs out and back in, in a real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import link_in, outbox_messages

pytestmark = pytest.mark.browser


def labelled_controls_only(page: Page) -> list[str]:
    """Names of visible form controls that have no label (should be none)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('input, select, textarea')]
            .filter(el => el.type !== 'hidden' && !(el.labels && el.labels.length))
            .map(el => el.name)"""
    )


def test_sign_up_verify_log_out_and_back_in(live_server, page: Page, app):
    page.goto(live_server + "/")
    page.get_by_role("link", name="Sign up").first.click()

    # A mistake first: the page says what is wrong, next to the field.
    page.get_by_label("Your name").fill("Zoë Adeyemi")
    page.get_by_label("Email").fill("zoe@example")
    page.get_by_label("Password").fill("short")
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_text("Enter an email address like name@example.org.")).to_be_visible()
    expect(page.get_by_text("Use between 10 and 128 characters.")).to_be_visible()
    assert labelled_controls_only(page) == []

    page.get_by_label("Email").fill("zoe@example.org")
    page.get_by_label("Password").fill("my reunion secret")
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()

    with app.app_context():
        link = link_in(outbox_messages(kind="auth.verify-email")[0], "/verify/")
    page.goto(live_server + link)
    expect(page.get_by_text("your email address is confirmed")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_text("You are logged out.")).to_be_visible()

    page.get_by_role("link", name="Log in").first.click()
    page.get_by_label("Email").fill("zoe@example.org")
    page.get_by_label("Password").fill("my reunion secret")
    page.get_by_label("Keep me logged in on this device").check()
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Welcome back, Zoë Adeyemi.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/$"))


def test_keyboard_users_can_skip_to_the_content(live_server, page: Page):
    page.goto(live_server + "/login")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
