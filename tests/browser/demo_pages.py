"""One page of each kind on the demo data, for each login (issue 10): what the browser tests that
look at every page (test_demo_pages.py: widths and axe-core) visit.

`seed_demo` loads the demo and adds what it lacks (a finished import and one waiting for its
columns, an emailed invitation and a link, a password-reset link, the member's calendar
address); `each_page` opens every page once per login, in one browser context per login,
and hands it over at each window width.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from playwright.sync_api import Browser, Page
from sqlalchemy import select

from community.auth.models import User
from community.auth.services import request_password_reset
from community.communities.import_csv import parse_csv
from community.communities.imports import create_batch, run_all
from community.communities.invitations import Invitee, create_link, invite
from community.communities.models import Community, Invitation, Membership
from community.core.models import utcnow
from community.demo.cli import DEMO_LOGINS, DEMO_PASSWORD
from community.events.models import Event
from community.extensions import db
from community.feeds.tokens import regenerate
from community.introductions.models import OptIn
from community.rsvps.checkin import token_for
from community.rsvps.models import RSVP, RSVPStatus
from community.tables.models import TablePlan
from tests.conftest import link_in, outbox_messages

VISITOR = "visitor"
ALUMNI = "northfield-alumni"
#: A page that does not exist: the 404 page is a page kind too.
MISSING_PAGE = "/c/no-such-community"
#: An import with a long address and a bad row, so its result page lists both.
IMPORT_CSV = (
    b"Email,Name,Class year\n"
    b"margaret.oyelaran-whitfield.class-of-2011@alumni.northfield-university.example.org,"
    b"Margaret Oyelaran-Whitfield,2011\n"
    b"bo@example.org,Bo Chen,2012\nnot-an-address,Nobody,2013\n"
)
#: A file still waiting for its columns: its map and preview pages, with a duplicate.
PREVIEW_CSV = (
    b"E-mail address,Full name,Graduated,Employer\n"
    b"ines.moreau@example.org,In\xc3\xa8s Moreau,2009,Northwind Health\n"
    b"tom.achebe@example.org,Tom Achebe,2014,\n"
    b"tom.achebe@example.org,Tom Achebe,2014,Contoso\n"
)


def event_path(title_start: str) -> str:
    """The address of the first event whose title starts so, without its host."""
    slug, event_id = db.session.execute(
        select(Community.slug, Event.id)
        .join(Event, Event.community_id == Community.id)
        .where(Event.title.startswith(title_start))
        .order_by(Event.starts_at)
        .limit(1)
    ).one()
    return f"/c/{slug}/events/{event_id}"


def seed_demo(app) -> dict[str, list[str]]:
    """Load the demo and add what it lacks; returns the paths to visit for each login
    (VISITOR: not signed in)."""
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    users = {
        email.split("@")[0]: db.session.scalar(select(User).where(User.email == email))
        for email, *_ in DEMO_LOGINS
    }
    organizer, member = users["organizer"], users["member"]
    alumni = db.session.scalar(select(Community).where(Community.slug == ALUMNI))
    with app.test_request_context():
        batch = create_batch(alumni, organizer, "northfield-class-lists.csv", parse_csv(IMPORT_CSV))
        run_all(alumni, batch, organizer)
        waiting = create_batch(alumni, organizer, "class-of-2009-and-2014.csv", parse_csv(PREVIEW_CSV))
        invite(alumni, organizer, [Invitee("newcomer@example.org", "Nadia Newcomer", "Class of 2020")])
        link = create_link(alumni, organizer, expires_at=None, max_uses=None)
        request_password_reset(member.email)
        invitation = link_in(outbox_messages(to="newcomer@example.org")[-1], "/invite/")
        reset = link_in(outbox_messages(kind="auth.reset-password", to=member.email)[-1], "/reset/")
    regenerate(member)
    db.session.commit()

    event = event_path("Class of 2016")
    small = event_path("Pricing roundtable")  # members only, with a waitlist
    ticket = db.session.execute(
        select(Community.slug, RSVP)
        .join(Event, Event.community_id == Community.id)
        .join(RSVP, RSVP.event_id == Event.id)
        .where(RSVP.user_id == member.id, RSVP.status == RSVPStatus.GOING)
        .order_by(Event.starts_at.desc())
        .limit(1)
    ).one()
    with app.test_request_context():
        scan_token = token_for(ticket.RSVP)
    removable = db.session.scalar(
        select(Membership.id).where(Membership.community_id == alumni.id, Membership.user_id == member.id)
    )
    newcomer = db.session.scalar(select(Invitation.id).where(Invitation.email == "newcomer@example.org"))
    ticket_event = f"/c/{ticket.slug}/events/{ticket.RSVP.event_id}"
    meets = [
        f"/c/{slug}/events/{event_id}/meet"
        for slug, event_id in db.session.execute(
            select(Community.slug, OptIn.event_id)
            .join(Event, Event.community_id == Community.id)
            .join(OptIn, OptIn.event_id == Event.id)
            .where(OptIn.user_id == member.id)
        )
    ]
    roundtable = next(path for path in meets if path.startswith("/c/product-circle/")).removesuffix("/meet")
    met = db.session.scalar(  # the last product roundtable, for "Who did you meet?"
        select(Event.id)
        .join(Community, Community.id == Event.community_id)
        .where(
            Community.slug == "product-circle", Event.ends_at < utcnow(), Event.title.startswith("Product")
        )
        .order_by(Event.starts_at.desc())
        .limit(1)
    )

    seat_holder = db.session.scalar(  # someone going to the small event, for "Decline ...?"
        select(RSVP.id)
        .where(RSVP.event_id == int(small.rsplit("/", 1)[1]), RSVP.status == RSVPStatus.GOING)
        .order_by(RSVP.id)
        .limit(1)
    )
    first_try = db.session.scalar(
        select(TablePlan.id).where(
            TablePlan.event_id == int(roundtable.rsplit("/", 1)[1]), TablePlan.is_current.is_(False)
        )
    )

    EXPECTED.clear()
    EXPECTED.update(
        {
            (VISITOR, small): 401,
            (VISITOR, f"/people/{organizer.id}"): 401,
            (VISITOR, meets[0]): 401,
            ("admin@example.org", small): 403,
        }
    )
    home = f"/c/{ALUMNI}"
    public = [
        "/",
        "/communities",
        home,
        f"{home}/events",
        event,
        event_path("Cohort 12"),
        event_path("Product Roundtable"),  # in a series
    ]
    manage = f"{home}/manage"
    event_manage = manage_path(event)
    return {
        VISITOR: [
            *public,
            "/login",
            "/signup",
            "/reset",
            reset,
            f"{home}/join/{link.token}",
            invitation,
            MISSING_PAGE,
            small,  # members only: a visitor is asked to log in
            f"{event}/rsvp?response=going",  # the visitor's answer form (the event page has none)
            f"/people/{organizer.id}",
            meets[0],
        ],
        "member@example.org": [
            *public,
            small,
            f"{home}/members",
            f"{event}/attendees",
            f"{ticket_event}/ticket",
            "/account",
            "/account/calendar",
            "/account/email",
            "/account/password",
            "/account/delete",
            "/profile",
            f"/people/{organizer.id}",
            "/communities/new",
            f"{home}/leave",
            *meets,
            f"{roundtable}/ticket",  # with "Your tables" once the plan is published
            "/me/introductions",
            "/me/network",
            "/me/goals",
            f"/c/product-circle/events/{met}/met",
        ],
        "organizer@example.org": [
            "/",
            home,
            event,
            manage,
            f"{manage}/settings",
            f"{manage}/transfer",
            f"{manage}/members",
            f"{manage}/members?show=pending",
            f"{manage}/members?q=a&show=member&joined=12m&attended=never",
            f"{manage}/members/{removable}/remove",
            f"{manage}/members/{removable}/promote",
            f"{manage}/invitations",
            f"{manage}/invitations/{newcomer}/revoke",
            f"{manage}/audit",
            f"{manage}/insights",
            f"{manage}/import",
            f"{manage}/import/{waiting.id}/map",
            f"{manage}/import/{waiting.id}/preview",
            f"{manage}/import/{batch.id}",
            f"{manage}/events",
            f"{manage}/events/new",
            f"{event_manage}/edit",
            f"{event_manage}/rsvps",
            f"{manage_path(small)}/rsvps?show=waitlist",
            f"{manage_path(small)}/rsvps/{seat_holder}/decline?show=going",
            f"{event_manage}/checkin",
            f"{manage_path(ticket_event)}/checkin/{scan_token}",
            f"{event_manage}/message",
            f"{event_manage}/cancel",
            f"{manage}/topics",
            f"{manage_path(roundtable)}/introductions",
            f"{manage_path(roundtable)}/tables",
            f"{manage_path(roundtable)}/tables/publish",
            f"{manage_path(roundtable)}/tables/print?round=1",
            f"{manage_path(roundtable)}/tables/plans/{first_try}",  # compared with the current one
        ],
        "admin@example.org": [
            "/admin/",
            "/admin/accounts",
            "/admin/accounts?status=suspended&q=sam",
            f"/admin/accounts/{member.id}",
            f"/admin/accounts/{member.id}/suspend",
            "/admin/communities",
            f"/admin/communities/{alumni.id}",
            f"/admin/communities/{alumni.id}/suspend",
            "/admin/audit",
            "/account",
            small,  # in no community: asked to join
        ],
    }


def manage_path(event: str) -> str:
    """The organizer screens' address of an event, from its public one."""
    return event.replace("/events/", "/manage/events/", 1)


#: (login, path) -> the status that page answers when it is not 200 (set by seed_demo).
EXPECTED: dict[tuple[str, str], int] = {}


def expected_status(login: str, path: str) -> int:
    """200, but 404 for the missing page, and the access prompts: 401 for a visitor who must
    log in (members-only pages, profiles), 403 for someone signed in who must join first."""
    return 404 if path == MISSING_PAGE else EXPECTED.get((login, path), 200)


def log_in(page: Page, base: str, login: str) -> None:
    page.goto(base + "/login")
    page.get_by_label("Email").fill(login)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/login" not in url)


def each_page(
    browser: Browser,
    base: str,
    pages: dict[str, list[str]],
    widths: Sequence[int],
    *,
    init_script: str | None = None,
) -> Iterator[tuple[str, str, int, Page]]:
    """(login, path, width, page) for every page of `pages` at every width: one browser context
    and one log-in per login, each page loaded once and resized. `init_script` runs in every
    page before the page's own scripts (as Playwright's init scripts do, whatever the CSP)."""
    for login, paths in pages.items():
        context = browser.new_context(viewport={"width": widths[0], "height": 844})
        if init_script:
            context.add_init_script(script=init_script)
        page = context.new_page()
        page.set_default_timeout(10_000)
        try:
            if login != VISITOR:
                log_in(page, base, login)
            for path in paths:
                response = page.goto(base + path)
                status = response.status if response else None
                assert status == expected_status(login, path), f"{login} {path}: {status}"
                for width in widths:
                    page.set_viewport_size({"width": width, "height": 844})
                    yield login, path, width, page
            # Let the last page finish loading (favicon, images) before the browser hangs up
            # on the live server mid-response.
            page.wait_for_load_state("networkidle")
        finally:
            context.close()
