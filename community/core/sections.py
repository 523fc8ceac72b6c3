"""The registry through which a feature higher up fills in pages of features lower down.

Features stack (core < auth < communities < members < events < rsvps < feeds < ...), and a
lower page must not import a higher feature. So each feature, when its blueprint is
registered (`@bp.record_once`), tells the app what it adds:

- a *section*: one builder per name for a part of a lower page (the front page's events, a
  community's Organizers card). The page asks `section(name, ...)` and renders the template
  the builder names; with no provider the part is simply left out.
- a *tab*: an entry in a tab bar (a community's organizer screens, an event's organizer
  screens). Templates render `tabs(place, ...)` and name no other feature's endpoints.

    sections.add_tab(app, sections.COMMUNITY_MANAGE_TABS, Tab("Events", "event_admin.events", 40))
    sections.add_tab(app, sections.EVENT_MANAGE_TABS, Tab("Meet people", "introductions.manage", 50))
    sections.provide(app, sections.COMMUNITY_EVENTS, community_home_section)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from flask import Flask, current_app

EXTENSION_KEY = "roundtable.sections"
TABS_KEY = "roundtable.tabs"
CURRENT_KEY = "roundtable.tabs.current"

FRONT_PAGE_EVENTS = "front_page_events"  # fn(page: int) -> dict
#: The front page of someone signed in (their events, introductions, connections, goals), instead of
#: the visitors' page: fn(user) -> {"template": a whole page, ...}; without a provider, the visitors' page.
SIGNED_IN_HOME = "signed_in_home"
COMMUNITY_EVENTS = "community_events"  # fn(community, membership) -> dict
EVENT_CALENDAR_LINKS = "event_calendar_links"  # fn(event) -> dict
COMMUNITY_CALENDAR_LINKS = "community_calendar_links"  # fn(community) -> dict
COMMUNITY_ORGANIZERS = "community_organizers"  # fn(community, viewer: User | None) -> dict
#: When visitors' stored pages change with time alone (an event starts or ends, its RSVPs close):
#: fn(community_id | None (every community), now) -> datetime | None (core.public_pages).
PAGES_NEXT_CHANGE = "pages_next_change"
#: The directory's "Can help with" search mode: fn(community, audience, query: DirectoryQuery,
#: viewer: User | None) -> {"page": DirectoryPage | None} (None when the query is in another
#: mode: the mode is offered). Without a provider the directory has no such mode.
DIRECTORY_HELP_SEARCH = "directory_help_search"
#: When each person last came to one of a community's events, for Manage -> Members: fn(community_id,
#: now) -> a SQLAlchemy selectable with columns (user_id, last_attended_at), one row per person who
#: came (not a dict: the list outer-joins it). Without a provider the list has no "Last came" column.
MEMBER_LAST_ATTENDED = "member_last_attended"

#: Lists of page parts that any number of features add to, each a builder returning a dict with
#: its "template" (or None to show nothing for this viewer).
EVENT_PAGE_SECTIONS = "event_page_sections"  # fn(event, membership, viewer: User | None) -> dict | None
ACCOUNT_SECTIONS = "account_sections"  # fn(user) -> dict | None: cards on the account page
COMMUNITY_SIDEBAR = "community_sidebar"  # fn(community, membership, viewer) -> dict | None
TICKET_SECTIONS = "ticket_sections"  # fn(event, rsvp) -> dict | None: cards under a ticket
#: Links in the signed-in header: fn(user) -> {"label", "url", "count" (a badge, 0 for none),
#: "current" (endpoints that mark it as the current page)} | None.
NAV_LINKS = "nav_links"
#: Under each card of a community's directory, and on a profile: fn(person_id, community | None,
#: viewer) -> dict | None (e.g. "Ask for an introduction").
PERSON_ACTIONS = "person_actions"
#: My network, for the people shown: fn(viewer, user_ids: list[int]) -> {"template": a partial above
#: the list or None, "contact_template": a partial in each person's card, which reads
#: `person` = part.people[their user id] (cards without an entry show nothing), "people": {...}} | None.
NETWORK_PARTS = "network_parts"
PARTS_KEY = "roundtable.parts"

#: Tab bars. The url values each place passes to url_for, and what `shown` is called with.
COMMUNITY_MANAGE_TABS = "community_manage_tabs"  # url: slug; shown(membership)
EVENT_MANAGE_TABS = "event_manage_tabs"  # url: slug, event_id; shown(membership, event)
#: The cards of a community's Manage overview: a Tab with a description. url: slug; shown(membership)
COMMUNITY_OVERVIEW_LINKS = "community_overview_links"


def provide(app: Flask, name: str, builder: Callable[..., dict[str, Any]]) -> None:
    app.extensions.setdefault(EXTENSION_KEY, {})[name] = builder


def provided(name: str) -> bool:
    """Whether a feature provides the single-provider section `name` (a page may offer less without)."""
    return name in current_app.extensions.get(EXTENSION_KEY, {})


def section(name: str, *args: Any) -> dict[str, Any] | None:
    """The section's context (with its "template"), or None when no feature provides it."""
    builder = current_app.extensions.get(EXTENSION_KEY, {}).get(name)
    return builder(*args) if builder is not None else None


def add_part(app: Flask, place: str, builder: Callable[..., dict[str, Any] | None], order: int) -> None:
    """Add a part to a list of page parts (e.g. a "Meet people" card on the event page)."""
    app.extensions.setdefault(PARTS_KEY, {}).setdefault(place, []).append((order, builder))


def parts(place: str, *args: Any) -> list[dict[str, Any]]:
    """The parts features added to `place`, in order, built for this page; empty ones left out."""
    registered = sorted(current_app.extensions.get(PARTS_KEY, {}).get(place, []), key=lambda item: item[0])
    return [part for _, builder in registered if (part := builder(*args)) is not None]


def _always(*_: Any) -> bool:
    return True


@dataclass(frozen=True)
class Tab:
    """One entry of a tab bar."""

    label: str
    endpoint: str
    #: Position in the bar: lower first. Leave gaps (10, 20, ...) so features can slot in.
    order: int
    #: Other endpoints, or "blueprint." prefixes, on which this tab is the current one.
    active: tuple[str, ...] = ()
    #: A line under the label, where the place shows one (the Manage overview's cards).
    description: str = ""
    #: Whether the viewer gets this tab at all, given the place's context (a permission predicate;
    #: the screen itself still checks on the server).
    shown: Callable[..., bool] = _always

    def is_current(self, endpoint: str | None) -> bool:
        if endpoint is None:
            return False
        return endpoint == self.endpoint or any(
            endpoint == other or (other.endswith(".") and endpoint.startswith(other)) for other in self.active
        )


def add_tab(app: Flask, place: str, tab: Tab) -> None:
    app.extensions.setdefault(TABS_KEY, {}).setdefault(place, []).append(tab)


def also_current(app: Flask, place: str, tab_endpoint: str, *endpoints: str) -> None:
    """Mark another feature's screens (endpoints or "blueprint." prefixes) as belonging under a
    tab, e.g. the RSVP screens of an event under a community's Events tab."""
    app.extensions.setdefault(CURRENT_KEY, {}).setdefault((place, tab_endpoint), []).extend(endpoints)


def tabs(place: str, *context: Any) -> list[Tab]:
    """The tabs registered for `place` that this viewer gets, in order."""
    registered = current_app.extensions.get(TABS_KEY, {}).get(place, [])
    extra = current_app.extensions.get(CURRENT_KEY, {})
    shown = [
        replace(tab, active=(*tab.active, *extra.get((place, tab.endpoint), ())))
        for tab in registered
        if tab.shown(*context)
    ]
    return sorted(shown, key=lambda tab: (tab.order, tab.label))
