"""The text part of every kind of email: each URL stands on a line of its own with a blank
line under it (mail clients link up to the next space, so a URL glued to the next sentence is
a broken link), leads to a route of this site, and the footer is true for the person who gets
it; and a long subject arrives without a leading space.

Every template under templates/email is rendered through compose_email (the services' own
rendering path) with the context its service passes, and links built from the same
endpoints; `test_every_email_template_is_covered` fails when a template has no case here.
"""

from __future__ import annotations

import re
from datetime import timedelta
from email import message_from_bytes
from email.policy import default
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from flask import url_for
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import RequestRedirect

from community.communities.invitations import Invitee, invite
from community.core.mail.delivery import build_email
from community.core.mail.services import compose_email
from community.core.models import utcnow
from community.events.calendar import event_url
from community.events.presentation import when
from community.rsvps.models import RSVPStatus
from tests.conftest import outbox_messages
from tests.factories import create_community, create_event, create_membership, create_user

EMAIL_TEMPLATES = Path(__file__).parents[2] / "templates" / "email"
#: Links to other sites a text part may carry, by host.
#: (greta.example.org: a link on a person's profile, shared when they are introduced.)
EXTERNAL_HOSTS = frozenset(
    {"calendar.google.com", "outlook.live.com", "www.openstreetmap.org", "greta.example.org"}
)
URL = re.compile(r"https?://[^\s<>\"]+")
ACCOUNT_FOOTER = "because of an action on your Roundtable account"


def template_names() -> set[str]:
    """Every email a service can send: the .txt templates that are not partials (_*.txt)."""
    return {
        path.relative_to(EMAIL_TEMPLATES).with_suffix("").as_posix()
        for path in EMAIL_TEMPLATES.rglob("*.txt")
        if not path.name.startswith("_")
    }


@pytest.fixture
def world(db):
    owner = create_user(name="Olive Owner", email="olive@example.org")
    community = create_community(owner, tagline="Class of 2016 and friends")
    organizer = create_membership(community, name="Olu Organizer").user
    person = create_membership(community, name="Mia Member", email="mia@example.org").user
    event = create_event(
        community,
        organizer,
        title="Spring reunion",
        venue_name="The Crown",
        address="1 High Street, Lyon",
        description="Drinks and dinner.",
    )
    event.cancel_reason = "The venue flooded."
    return SimpleNamespace(owner=owner, community=community, organizer=organizer, person=person, event=event)


def rsvp_context(world, status: RSVPStatus) -> dict:
    """What rsvps.notifications._send and rsvps.organizer.send_message pass."""
    rsvp = SimpleNamespace(
        status=status, guests=1, offer_expires_at=utcnow() + timedelta(hours=2), event=world.event
    )
    event = world.event
    return dict(
        rsvp=rsvp,
        event=event,
        person=world.person,
        community=world.community,
        when=when(event),
        event_link=event_url(event),
        organizer_name="Olu Organizer",
        message="Doors open at 18:00.\nBring your old student card.",
    )


def introduction_contexts(world) -> list[dict]:
    """What introductions.requests._email passes: at an event and between events, asked by a
    member or made by an organizer."""
    cases = []
    other = SimpleNamespace(id=999, name="Greta Guide")
    for event, introducer in ((world.event, None), (None, world.organizer), (None, None)):
        introduction = SimpleNamespace(
            note="I'd love your advice on moving into product.\nCoffee before the talks?",
            reasons="Greta can help with PM career advice, which you are looking for",
            introducer=introducer,
            asker=other,
            asker_id=other.id,
            recipient=world.person,
            expires_at=utcnow() + timedelta(days=14),
        )
        cases.append(
            dict(
                introduction=introduction,
                person=world.person,
                other=other,
                community=world.community,
                event=event,
                event_link=event_url(event) if event else None,
                contact={
                    "email": "greta@example.org",
                    "links": [{"label": "Site", "url": "https://greta.example.org/"}],
                },
                introductions_link=link("introductions.inbox"),
                network_link=link("introductions.network"),
            )
        )
    return cases


def link(endpoint: str, **values) -> str:
    return url_for(endpoint, **values, _external=True)


def contexts(world) -> dict[str, list[dict]]:
    """Each template's contexts: one per branch that changes what the text says."""
    slug = world.community.slug
    person, community = world.person, world.community
    auth = dict(user=person)
    membership = dict(person=person, community=community)
    return {
        "auth/already_registered": [
            dict(auth, login_url=link("auth.login"), reset_url=link("auth.request_reset"))
        ],
        "auth/change_email": [dict(auth, link=link("auth.confirm_email_change", token="t0k3n"))],
        "auth/email_changed": [dict(auth, new_email="mia.new@example.org")],
        "auth/email_taken": [{}],
        "auth/reset_password": [dict(auth, link=link("auth.reset_password", token="t0k3n"))],
        "auth/verify_email": [dict(auth, link=link("auth.verify_email", token="t0k3n", next=f"/c/{slug}"))],
        "communities/invitation": [
            dict(
                community=community,
                inviter=world.owner,
                invitee_name=name,
                link=link("communities.invitation", slug=slug, token="t0k3n"),
                expires_at=utcnow() + timedelta(days=30),
            )
            for name in ("Ngozi New", None)
        ],
        "communities/join_request": [
            dict(
                membership,
                organizer=world.organizer,
                question="Which year did you graduate?",
                answer="2016.\nComputer science.",
                link=link("manage.members", slug=slug, show="pending"),
            )
        ],
        "communities/ownership": [
            dict(membership, previous=world.owner, link=link("manage.overview", slug=slug))
        ],
        "communities/request_approved": [dict(membership, link=link("communities.home", slug=slug))],
        "communities/request_declined": [membership],
        **{
            f"introductions/{name}": introduction_contexts(world)
            for name in ("request", "organizer_request", "introduced", "reminder", "expired")
        },
        "engagement/catch_up": [
            dict(
                sender=world.owner,
                recipient=person,
                message="Coffee next week?",
                reply_to=reply_to,
                network_link=link("introductions.network"),
            )
            for reply_to in ("", "olive@example.org")
        ],
        "engagement/digest": [digest_context(world, full) for full in (True, False)],
        "insights/drift_invitation": [
            dict(
                rsvp_context(world, RSVPStatus.GOING),
                organizer=world.organizer,
                last_event="Spring reunion: Class of 2016",
                last_came="Sat 14 Mar 2026",
            )
        ],
        "engagement/digest_paused": [
            dict(person=person, resume_link=link("engagement.digest_resume", token="t0k3n"))
        ],
        "tables/your_tables": [
            dict(
                user=person,
                event=world.event,
                rounds=[
                    SimpleNamespace(sentence="Round 1: table 3, with Greta Adeyemi and Bruno Haddad"),
                    SimpleNamespace(sentence="Round 2: Window, with Ana Lima"),
                ],
            )
        ],
        "introductions/followup": [
            dict(
                person=person,
                event=world.event,
                community=community,
                introduced=introduced,
                met_link=link("introductions.met", slug=slug, event_id=world.event.id),
                unsubscribe_link=link("introductions.unsubscribe", token="t0k3n"),
            )
            for introduced in ([], ["Greta Guide", "Bo Chen"])
        ],
        **{
            f"rsvps/{name}": [rsvp_context(world, status) for status in statuses]
            for name, statuses in {
                "rsvp_confirmation": (
                    RSVPStatus.GOING,
                    RSVPStatus.WAITLISTED,
                    RSVPStatus.PENDING,
                    RSVPStatus.NOT_GOING,
                ),
                "organizer_changed": (
                    RSVPStatus.GOING,
                    RSVPStatus.WAITLISTED,
                    RSVPStatus.DECLINED,
                    RSVPStatus.NOT_GOING,
                ),
                "organizer_message": (RSVPStatus.GOING, RSVPStatus.WAITLISTED),
                "promoted": (RSVPStatus.GOING,),
                "offered": (RSVPStatus.OFFERED,),
                "moved_to_waitlist": (RSVPStatus.WAITLISTED,),
                "changed": (RSVPStatus.GOING,),
                "cancelled": (RSVPStatus.GOING,),
                "reminder": (RSVPStatus.GOING,),
            }.items()
        },
    }


def digest_context(world, full: bool) -> dict:
    """What engagement.digests._queue_digest passes: every section, or only events."""
    friend = SimpleNamespace(name="Greta Guide")
    event = SimpleNamespace(event=world.event, with_line="with Greta Guide and 2 others", new=True)
    member = SimpleNamespace(name="Bo Chen", community="Northfield Alumni", reasons=["can help with Hiring"])
    fading = SimpleNamespace(name="Dee Diaz", last_contact=utcnow() - timedelta(days=200))
    introduction = SimpleNamespace(other=lambda _: friend, introducer=world.organizer)
    goal = SimpleNamespace(
        label="Attend events", done=1, met=False, goal=SimpleNamespace(target=2),
        current=SimpleNamespace(period=SimpleNamespace(label="Mar 2027")),
    )  # fmt: skip
    digest = SimpleNamespace(
        events=[event],
        members=[member] if full else [],
        fading=[fading] if full else [],
        introductions=[introduction] if full else [],
        goals=[goal] if full else [],
    )
    return dict(
        digest=digest,
        person=world.person,
        frequency=SimpleNamespace(value="weekly"),
        since_label="2 March 2027",
        link=lambda endpoint, **values: link(
            "engagement.digest_open", token="t0k3n", next=url_for(endpoint, **values, _external=False)
        ),
        unsubscribe_url=link("engagement.unsubscribe_page", token="t0k3n"),
    )


def rendered(world) -> list[tuple[str, str, str | None]]:
    """(template, text part, html part) of every case, through the services' compose_email."""
    emails = []
    for template, cases in contexts(world).items():
        for context in cases:
            message = compose_email(
                to="mia@example.org", subject="A subject", template=template, kind="test", **context
            )
            emails.append((template, message.body_text, message.body_html))
    return emails


def route_problem(app, url: str) -> str | None:
    """Why `url` is not a GET route of this site (None when it is)."""
    parts = urlsplit(url)
    if parts.hostname in EXTERNAL_HOSTS:
        return None
    if parts.netloc != app.config["SERVER_NAME"]:
        return f"links to another host: {url}"
    try:
        app.url_map.bind(parts.netloc).match(parts.path, method="GET")
    except (NotFound, MethodNotAllowed, RequestRedirect) as error:
        return f"is not a route ({type(error).__name__}): {url}"
    return None


def test_every_email_template_is_covered(world):
    assert set(contexts(world)) == template_names()


def test_every_url_in_a_text_part_stands_on_its_own_line_and_resolves(app, world):
    problems = []
    for template, text, _ in rendered(world):
        urls = URL.findall(text)
        lines = text.splitlines()
        for number, line in enumerate(lines):
            for url in URL.findall(line):
                if line.strip() != url:
                    problems.append(f"{template}: URL not on a line of its own: {line!r}")
                if lines[number + 1 : number + 2] not in ([], [""]):
                    problems.append(f"{template}: text right under {url}: {lines[number + 1]!r}")
                if problem := route_problem(app, url):
                    problems.append(f"{template}: {problem}")
        assert urls or template in NO_LINKS, f"{template} has no link"
    assert problems == []


#: The emails that have nothing to open: they say what happened.
NO_LINKS = {"auth/email_changed", "auth/email_taken", "communities/request_declined"}


def test_the_url_check_catches_a_glued_link(app, world):
    link = event_url(world.event)
    line = f"{link}You can change your RSVP."
    assert URL.findall(line) != [link]  # a mail client links the sentence too
    assert route_problem(app, URL.findall(line)[0]) is not None


def test_every_footer_is_true_for_its_reader(world):
    """Invitations go to addresses that may have no account; everyone else has one."""
    for template, text, html in rendered(world):
        footer = text.rpartition("\n--\n")[2]
        if template == "communities/invitation":
            assert ACCOUNT_FOOTER not in text and ACCOUNT_FOOTER not in (html or "")
            assert "Olive Owner invited this address to join Northfield Alumni on Roundtable." in footer
            assert html is None or "Olive Owner invited this address to join Northfield Alumni" in html
        elif template.startswith(("introductions/", "tables/", "engagement/", "insights/")):
            # Mail about the networking layer says why this person hears of it.
            assert "You are getting this email because" in footer and "on Roundtable" in footer, template
        else:
            assert ACCOUNT_FOOTER in footer, template
        assert footer.startswith("Roundtable\n"), template


def test_a_long_invitation_subject_arrives_without_a_leading_space(app, db):
    """CPython moved a subject that fits a line of its own to the line after "Subject:";
    readers then showed it starting with a space."""
    owner = create_user(name="Olu Organizer")
    community = create_community(owner, slug="nuaa", name="Northfield University Alumni Association")
    invite(community, owner, [Invitee(email="new.person@example.org")])
    [message] = outbox_messages(kind="communities.invitation")

    raw = bytes(build_email(message, app.config["MAIL_DEFAULT_SENDER"]))
    subject = "Olu Organizer invites you to join Northfield University Alumni Association"

    assert message.subject == subject
    assert f"\nSubject: {subject}\n".encode() in raw
    assert message_from_bytes(raw, policy=default)["Subject"] == subject
