"""Issue 3 in a real browser: an organizer starts a community and invites by link; a member
joins with the link, fills a profile and finds someone in the directory by a skill."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.factories import DEFAULT_PASSWORD, create_user

pytestmark = pytest.mark.browser

ORGANIZER = ("amara@example.org", "Amara Nwosu")
MEMBER = ("tomas@example.org", "Tomás Rivera")


def log_in(page: Page, base: str, email: str, name: str) -> None:
    page.goto(base + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text(f"Welcome back, {name}.")).to_be_visible()


def save_profile(page: Page, base: str, name: str, *, headline: str, skills: str, can_help_with: str) -> None:
    """Fill the profile editor and save; the person lands on their profile page."""
    page.goto(base + "/profile")
    page.get_by_label("Headline", exact=True).fill(headline)
    page.get_by_label("Skills", exact=True).fill(skills)
    page.get_by_label("I can help with", exact=True).fill(can_help_with)
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Your profile is saved.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.get_by_text(headline)).to_be_visible()


def search_directory(page: Page, words: str) -> None:
    page.get_by_label("Search members").fill(words)
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page).to_have_url(re.compile(rf"[?&]q={re.escape(words)}(&|$)"))


def test_organizer_invites_by_link_and_member_finds_someone_by_skill(
    live_server, page: Page, browser: Browser, app
):
    create_user(email=ORGANIZER[0], name=ORGANIZER[1])
    create_user(email=MEMBER[0], name=MEMBER[1])

    # The organizer starts an invitation-only community.
    log_in(page, live_server, *ORGANIZER)
    page.goto(live_server + "/communities")
    page.get_by_role("link", name="Start a community").first.click()
    expect(page.get_by_role("heading", name="Start a community")).to_be_visible()
    page.get_by_label("Name", exact=True).fill("Lyon Glassworks Club")
    page.get_by_label("Web address").fill("lyon-glass")
    page.get_by_label("Tagline").fill("Makers who met at the Lyon campus")
    page.get_by_label("Kind").select_option(label="Club")
    page.get_by_label("Home time zone").select_option("Europe/Paris")
    page.get_by_label("Invitation only: people join through an invitation").check()
    page.get_by_role("button", name="Create the community").click()
    expect(page.get_by_text("Lyon Glassworks Club is ready. Invite your first members!")).to_be_visible()
    expect(page).to_have_url(live_server + "/c/lyon-glass")
    expect(page.get_by_role("heading", level=1, name="Lyon Glassworks Club")).to_be_visible()

    # ...creates an invitation link for up to five people and copies it from the page.
    page.get_by_role("link", name="Manage").click()
    page.get_by_role("navigation", name="Organizer screens").get_by_role("link", name="Invitations").click()
    expect(page.get_by_text("No invitation links.")).to_be_visible()
    page.get_by_label("Maximum uses").fill("5")
    page.get_by_role("button", name="Create link").click()
    expect(page.get_by_text("Your invitation link is ready to share.")).to_be_visible()
    expect(page.get_by_text("0 of 5 uses")).to_be_visible()
    link = page.get_by_label(re.compile(r"^Link 1")).input_value()
    # The link is absolute, on the site's configured host (SERVER_NAME): keep its path.
    match = re.fullmatch(r"https?://[^/]+(/c/lyon-glass/join/[\w-]+)", link)
    assert match, link
    link_path = match.group(1)

    # ...and fills in a profile with a skill nobody else has.
    save_profile(
        page,
        live_server,
        ORGANIZER[1],
        headline="Glass artist and workshop host",
        skills="Glassblowing, Kiln repair",
        can_help_with="Setting up a studio",
    )

    # The member, in a browser of their own, joins with the link.
    context = browser.new_context(viewport=page.viewport_size)
    try:
        member = context.new_page()
        member.set_default_timeout(10_000)
        log_in(member, live_server, *MEMBER)
        member.goto(live_server + link_path)
        expect(member.get_by_role("heading", name="Join Lyon Glassworks Club")).to_be_visible()
        expect(member.get_by_text(f"{ORGANIZER[1]} invites you to join")).to_be_visible()
        member.get_by_role("button", name="Join Lyon Glassworks Club").click()
        expect(member.get_by_text("Welcome to Lyon Glassworks Club! You're a member now.")).to_be_visible()
        expect(member).to_have_url(live_server + "/c/lyon-glass")
        expect(member.get_by_text("You're a member", exact=True)).to_be_visible()
        expect(member.get_by_text("2 members", exact=True)).to_be_visible()
        page.goto(live_server + "/c/lyon-glass/manage/invitations")
        expect(page.get_by_text("1 of 5 uses")).to_be_visible()

        # ...fills in a profile...
        save_profile(
            member,
            live_server,
            MEMBER[1],
            headline="Product designer, class of 2014",
            skills="Beekeeping, User research",
            can_help_with="Portfolio reviews\nFinding a first job in design",
        )
        expect(member.get_by_text("Finding a first job in design")).to_be_visible()

        # ...and finds the organizer in the directory by the skill only they have.
        member.goto(live_server + "/c/lyon-glass")
        member.get_by_role("link", name="Browse the member directory").click()
        expect(member.get_by_role("heading", level=1, name="Members")).to_be_visible()
        expect(member.get_by_text("2 members", exact=True)).to_be_visible()

        search_directory(member, "glassblowing")
        expect(member.get_by_text("1 member matching “glassblowing”")).to_be_visible()
        cards = member.locator(".person-card")
        expect(cards).to_have_count(1)
        expect(cards.get_by_role("link", name=ORGANIZER[1])).to_be_visible()
        expect(cards.get_by_text("Glass artist and workshop host")).to_be_visible()
        expect(cards.get_by_text(MEMBER[1])).to_have_count(0)

        search_directory(member, "beekeeping")
        expect(cards).to_have_count(1)
        expect(cards.get_by_role("link", name=MEMBER[1])).to_be_visible()

        search_directory(member, "origami")
        expect(member.get_by_text("No results for “origami”")).to_be_visible()
        expect(cards).to_have_count(0)
    finally:
        context.close()
