"""Numbers and characters no database column can hold answer 404 (or 400, or 422), never 500.

Ids in URLs past PostgreSQL's integer range, page numbers past any list, NUL and other
control characters in paths and query strings, and ids in form fields.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select
from werkzeug.exceptions import NotFound

from community.auth.models import User
from community.communities.models import InviteLink, Membership
from community.core.audit import AuditEntry
from community.core.converters import MAX_ID
from community.core.pagination import MAX_PAGE, page_number
from community.events.models import Event
from community.extensions import db
from community.rsvps.models import RSVP, RSVPStatus
from tests.factories import create_community, create_event, create_membership, create_rsvp, create_user

HUGE = "99999999999999999999"
C = "/c/northfield"
M = "/c/northfield/manage"


@pytest.fixture
def site(app, db):
    owner = create_user(name="Olive Owner")
    community = create_community(owner)
    event = create_event(community, owner, capacity=10, guests_allowed=2)
    guest = create_membership(community, name="Gina Going").user
    rsvp = create_rsvp(event, guest, status=RSVPStatus.PENDING)
    return SimpleNamespace(owner=owner, community=community, event=event.id, rsvp=rsvp.id, guest=guest)


@pytest.fixture
def as_owner(client, site):
    client.login(site.owner.email)
    return client


def snapshot() -> tuple:
    """What an organizer POST could change: counts of rows and the RSVP statuses."""
    db.session.expire_all()
    return (
        db.session.scalar(select(func.count()).select_from(AuditEntry)),
        db.session.scalar(select(func.count()).select_from(Event)),
        db.session.scalar(select(func.count()).select_from(InviteLink)),
        sorted((m.id, m.role.value, m.status.value) for m in db.session.scalars(select(Membership))),
        sorted((r.id, r.status.value, r.checked_in_at is None) for r in db.session.scalars(select(RSVP))),
        sorted((e.id, e.status.value, e.title) for e in db.session.scalars(select(Event))),
    )


# -- ids in URLs ---------------------------------------------------------------------------------

ID_GETS = [
    C + "/events/{n}",
    C + "/events/{n}-summer-reunion",
    C + "/events/{n}.ics",
    C + "/events/{n}/attendees",
    C + "/events/{n}/ticket",
    C + "/events/{n}/join/some-token",
    "/people/{n}",
    M + "/events/{n}/edit",
    M + "/events/{n}/cancel",
    M + "/events/{n}/rsvps",
    M + "/events/{n}/checkin",
    M + "/events/{n}/attendees.csv",
    M + "/events/{n}/message",
    M + "/events/{n}/checkin/some-token",
    M + "/members/{n}/remove",
    M + "/import/{n}",
    M + "/import/{n}/map",
    M + "/import/{n}/preview",
]


@pytest.mark.parametrize("path", ID_GETS)
def test_an_id_past_the_integer_range_is_404(as_owner, site, path):
    response = as_owner.get(path.format(n=HUGE))
    assert response.status_code == 404
    assert "We couldn&#39;t find that page" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/people/{n}", C + "/events/{n}", C + "/events/{n}.ics"])
def test_an_id_past_the_integer_range_is_404_for_visitors_too(client, site, path):
    assert client.get(path.format(n=HUGE)).status_code == 404


def _with_huge_ids(rule: str) -> str:
    """A rule's path with HUGE for every id, the first choice of every `any`, and words elsewhere."""
    path = re.sub(r"<int:\w+>", HUGE, rule)
    path = re.sub(r"<any\(\s*([^,)]+)[^>]*>", lambda match: match.group(1).strip(), path)
    path = path.replace("<slug>", "northfield")
    return re.sub(r"<[^>]+>", "some-token", path)


def test_every_url_with_an_id_in_it_answers_404_for_a_huge_one(as_owner, app, site):
    """The router refuses the id for every route, present and future, not route by route."""
    rules = [rule for rule in app.url_map.iter_rules() if "<int:" in rule.rule]
    assert len(rules) >= 30
    before = snapshot()
    for rule in rules:
        path = _with_huge_ids(rule.rule)
        response = as_owner.get(path) if "GET" in rule.methods else as_owner.submit(path)
        assert response.status_code == 404, (rule.rule, path)
    assert snapshot() == before


def test_the_router_takes_ids_up_to_the_integer_range_and_no_further(app):
    urls = app.url_map.bind("localhost")
    assert urls.match(f"/people/{MAX_ID}") == ("members.profile", {"user_id": MAX_ID})
    assert urls.match("/people/0042") == ("members.profile", {"user_id": 42})
    for path in [f"/people/{MAX_ID + 1}", f"/people/{HUGE}", "/people/" + "9" * 5000, "/people/\u0661"]:
        with pytest.raises(NotFound):
            urls.match(path)


ID_POSTS = [
    M + "/events/{n}/publish",
    M + "/events/{n}/duplicate",
    M + "/events/{n}/cancel",
    M + "/events/{n}/edit",
    M + "/events/{n}/message",
    M + "/events/{n}/checkin/some-token",
    M + "/events/{event}/rsvps/{n}/approve",
    M + "/events/{event}/rsvps/{n}/going",
    M + "/events/{event}/rsvps/{n}/checkin",
    M + "/events/{event}/rsvps/{n}/undo",
    M + "/events/{n}/rsvps/{rsvp}/approve",
    M + "/members/{n}/approve",
    M + "/members/{n}/promote",
    M + "/members/{n}/remove",
    M + "/links/{n}/revoke",
    M + "/import/{n}/run",
    M + "/import/{n}/discard",
    M + "/import/{n}/map",
    C + "/events/{n}/rsvp",
    C + "/events/{n}/rsvp/listed",
    C + "/events/{n}/rsvp/forget",
]


@pytest.mark.parametrize("path", ID_POSTS)
def test_an_organizer_post_with_a_huge_id_is_404_and_changes_nothing(as_owner, site, path):
    before = snapshot()
    form = {"reason": "Rain", "subject": "Hi", "body": "Bring a coat", "confirmed": "y", "response": "going"}

    response = as_owner.submit(path.format(n=HUGE, event=site.event, rsvp=site.rsvp), form)

    assert response.status_code == 404
    assert snapshot() == before


def test_a_huge_membership_id_in_the_profile_form_is_422_and_changes_nothing(client, site):
    client.login(site.guest.email)
    [membership] = db.session.scalars(select(Membership).where(Membership.user_id == site.guest.id))
    data = {"name": "Gina Renamed", "cohorts-0-membership_id": HUGE, "cohorts-0-cohort": "Class of 2001"}

    response = client.submit("/profile", data)

    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.get(User, site.guest.id).name == "Gina Going"
    assert db.session.get(Membership, membership.id).cohort is None


@pytest.mark.parametrize(
    ("path", "form"),
    [
        (M + "/transfer", {"new_owner": HUGE, "confirm": "y"}),
        (M + "/links", {"max_uses": HUGE, "expires_in_days": "3"}),
        (M + "/links", {"expires_in_days": HUGE}),
        (C + "/events/{event}/rsvp", {"response": "going", "guests": HUGE}),
    ],
)
def test_huge_numbers_in_form_fields_are_refused(as_owner, site, path, form):
    before = snapshot()

    response = as_owner.submit(path.format(event=site.event), form)

    assert response.status_code == 422
    assert snapshot() == before


# -- page numbers ---------------------------------------------------------------------------------

PAGED = [
    "/",
    "/communities",
    C + "/events",
    C + "/events?when=past",
    C + "/events/{event}/attendees",
    C + "/members",
    M + "/members",
    M + "/members?show=pending",
    M + "/invitations",
    M + "/audit",
    M + "/events",
    M + "/events?tab=past",
    M + "/events/{event}/rsvps",
    M + "/events/{event}/checkin",
]


def _with_page(path: str, page: str, site) -> str:
    path = path.format(event=site.event)
    return f"{path}{'&' if '?' in path else '?'}page={page}"


@pytest.mark.parametrize("path", PAGED)
def test_a_page_number_past_any_list_is_404(as_owner, site, path):
    assert as_owner.get(_with_page(path, HUGE, site)).status_code == 404
    assert as_owner.get(_with_page(path, str(MAX_PAGE + 1), site)).status_code == 404


@pytest.mark.parametrize("path", PAGED)
def test_nonsense_page_numbers_show_the_first_page_and_a_page_past_the_end_is_empty(as_owner, site, path):
    for page in ["abc", "0", "-3", "", "2", str(MAX_PAGE)]:
        assert as_owner.get(_with_page(path, page, site)).status_code == 200, page


def test_page_number_reads_the_query_string_value():
    assert [page_number(v) for v in [None, "", "abc", "0", "-1", "1", " 7 ", "007", "\u0663"]] == [
        1, 1, 1, 1, 1, 1, 7, 7, 1,
    ]  # fmt: skip
    assert page_number(str(MAX_PAGE)) == MAX_PAGE
    for value in [str(MAX_PAGE + 1), HUGE, "9" * 5000]:
        with pytest.raises(NotFound):
            page_number(value)


# -- control characters in URLs ------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/c/%00",
        "/c/north%00field",
        "/c/northfield%0A",
        C + "/events/{event}-%00",
        "/calendar/%00.ics",
        "/reset/%00",
        "/verify/%00",
        "/account/email/%00",
        C + "/invite/%00",
        C + "/join/%00",
        C + "/events/{event}/join/%00",
    ],
)
def test_a_path_with_a_control_character_is_404(client, site, path):
    response = client.get(path.format(event=site.event))
    assert response.status_code == 404
    assert "We couldn&#39;t find that page" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "query",
    [
        C + "/members?q=%00",
        C + "/members?q=product%00manager",
        C + "/members?cohort=%00",
        C + "/members?location=%00",
        C + "/members?industry=%00",
        C + "/members?tag=%00",
        C + "/members?%00=x",
        M + "/events/{event}/checkin?q=%00",
        M + "/events/{event}/rsvps?show=%00",
        C + "/events?when=%00",
        "/login?next=/c/%00",
        "/communities?page=%00",
    ],
)
def test_a_query_string_with_a_control_character_is_400(as_owner, site, query):
    response = as_owner.get(query.format(event=site.event))
    assert response.status_code == 400
    assert "Something in that request was not right" in response.get_data(as_text=True)


def test_the_directory_search_still_takes_ordinary_text(as_owner, site):
    response = as_owner.get(C + "/members?q=Gina&tag=caf%C3%A9")
    assert response.status_code == 200


def test_an_upload_past_the_request_limit_gets_the_styled_413_and_changes_nothing(logged_in, user, app):
    """The body's declared length is refused before anything of it is read."""
    limit = app.config["MAX_CONTENT_LENGTH"]

    response = logged_in.post(
        "/profile",
        data=b"--x--\r\n",
        content_type="multipart/form-data; boundary=x",
        environ_overrides={"CONTENT_LENGTH": str(limit + 1)},
    )

    assert response.status_code == 413
    assert "That was too big to upload" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, user.id).name == user.name
