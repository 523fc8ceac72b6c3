"""NUL, line breaks and other control characters in form fields get a clear 422, and nothing
is stored; a line break pasted at the end of a one-line field is just trimmed."""

from __future__ import annotations

import importlib
import pkgutil
from datetime import timedelta

import pytest
import wtforms
from flask_wtf import FlaskForm
from sqlalchemy import func, select

import community
from community.auth.forms import SignUpForm
from community.auth.models import User
from community.communities.models import Community
from community.core.forms import LINES_MESSAGE, ONE_LINE_MESSAGE, PASSWORD_MESSAGE, Form, SubForm, one_line
from community.core.models import utcnow
from community.core.text import fits_lines, fits_one_line
from community.events.models import Event
from community.events.services import Question
from community.extensions import db
from community.members.models import Profile
from community.rsvps.models import RSVP
from tests.events.page_helpers import event_form as minimal_event_form
from tests.factories import create_community, create_event, create_membership, create_user

POISON = "Poison\r\nBcc: x@evil.example"
DAY = (utcnow() + timedelta(days=30)).date()
NEW_EVENT = "/c/northfield/manage/events/new"


def event_form(**overrides) -> dict:
    defaults = {"description": "On the terrace.", "start_date": DAY.isoformat()}
    return minimal_event_form(**{**defaults, **overrides})


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def owner(db):
    person = create_user(name="Olive Owner")
    create_community(person)
    return person


@pytest.fixture
def as_owner(client, owner):
    client.login(owner.email)
    return client


def refused(response, message: str = ONE_LINE_MESSAGE) -> bool:
    return response.status_code == 422 and message in response.get_data(as_text=True)


# -- events ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "Summer\x00drinks", ONE_LINE_MESSAGE),
        ("title", POISON, ONE_LINE_MESSAGE),
        ("title", "Summer\u2028drinks", ONE_LINE_MESSAGE),
        ("title", "Summer\tdrinks", ONE_LINE_MESSAGE),
        ("venue_name", "The Old\nLibrary", ONE_LINE_MESSAGE),
        ("description", "On the\x00terrace.", LINES_MESSAGE),
        ("description", "On the\x1bterrace.", LINES_MESSAGE),
        ("questions-0-label", "Dietary\x00needs?", ONE_LINE_MESSAGE),
        ("questions-0-choices", "Fish\x00\nVegetarian", LINES_MESSAGE),
    ],
)
def test_a_control_character_in_the_event_form_is_refused_at_the_field(as_owner, field, value, message):
    response = as_owner.submit(NEW_EVENT, event_form(**{field: value}))

    assert refused(response, message)
    assert count(Event) == 0


def test_a_description_keeps_its_line_breaks_and_tabs(as_owner):
    response = as_owner.submit(NEW_EVENT, event_form(description="Drinks.\r\n\r\n- one\n\t- two"))

    assert response.status_code == 302
    [event] = db.session.scalars(select(Event))
    assert event.description == "Drinks.\r\n\r\n- one\n\t- two"


def test_a_line_break_pasted_after_a_title_is_trimmed(as_owner):
    response = as_owner.submit(NEW_EVENT, event_form(title="  Summer drinks\r\n"))

    assert response.status_code == 302
    assert db.session.scalar(select(Event.title)) == "Summer drinks"


def test_editing_an_event_title_to_hold_a_line_break_is_refused(as_owner, owner, db):
    event = create_event(db.session.get(Community, 1), owner, title="Summer drinks")
    edit = f"/c/northfield/manage/events/{event.id}/edit"

    response = as_owner.submit(edit, event_form(title=POISON, action="save"))

    assert refused(response)
    db.session.expire_all()
    assert db.session.get(Event, event.id).title == "Summer drinks"


def test_a_subject_to_attendees_with_a_line_break_is_refused(as_owner, owner, db):
    event = create_event(db.session.get(Community, 1), owner)

    response = as_owner.submit(
        f"/c/northfield/manage/events/{event.id}/message",
        {"recipients": "going", "subject": POISON, "body": "See you", "confirmed": "y"},
    )

    assert refused(response)


def test_an_rsvp_answer_with_nul_is_refused(client, owner, db):
    community = db.session.get(Community, 1)
    event = create_event(community, owner, questions=(Question("Dietary needs?"),))
    guest = create_membership(community, name="Gina Going").user
    client.login(guest.email)
    question = event.questions[0].id

    response = client.submit(
        f"/c/northfield/events/{event.id}/rsvp", {"response": "going", f"q_{question}": "no\x00nuts"}
    )

    assert refused(response)
    assert count(RSVP) == 0


# -- people and communities -----------------------------------------------------------------------


def signup(client, **fields):
    data = {"name": "Amara Diallo", "email": "amara@example.org", "password": "a long enough secret"}
    return client.submit("/signup", {**data, **fields})


@pytest.mark.parametrize("name", ["Amara\r\nDiallo", "Amara\nBcc: x@evil.example", "Amara\x00"])
def test_a_name_with_a_line_break_is_refused_at_sign_up(client, db, name):
    assert refused(signup(client, name=name))
    assert count(User) == 0


def test_a_name_pasted_with_a_line_break_after_it_is_trimmed_at_sign_up(client, db):
    response = signup(client, name="Amara Diallo\r\n")

    assert response.status_code == 200 and "Check your inbox" in response.get_data(as_text=True)
    assert db.session.scalar(select(User.name)) == "Amara Diallo"


def test_a_password_with_nul_is_refused(client, db):
    assert refused(signup(client, password="a long enough\x00secret"), PASSWORD_MESSAGE)
    assert count(User) == 0


def test_a_password_may_hold_spaces_and_symbols(client, db):
    response = signup(client, password="  a long, \u00e9nough secret!  ")
    assert response.status_code == 200 and "Check your inbox" in response.get_data(as_text=True)


def test_logging_in_with_nul_in_the_password_is_refused_not_a_500(client, user):
    response = client.submit("/login", {"email": user.email, "password": "correct horse\x00battery"})
    assert refused(response, PASSWORD_MESSAGE)


PROFILE = {"name": "Ruth Okafor", "headline": "Urban planner", "bio": "I plan bike lanes."}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("headline", "Urban\x00planner", ONE_LINE_MESSAGE),
        ("headline", "Urban planner\nClass of 2011", ONE_LINE_MESSAGE),
        ("name", "Ruth\nOkafor", ONE_LINE_MESSAGE),
        ("name", "Ruth\u2029Okafor", ONE_LINE_MESSAGE),
        ("bio", "I plan\x00bike lanes.", LINES_MESSAGE),
        ("links-0-url", "https://ruth.example.net/\x00", ONE_LINE_MESSAGE),
    ],
)
def test_a_control_character_in_the_profile_is_refused(logged_in, user, field, value, message):
    logged_in.submit("/profile", PROFILE)

    response = logged_in.submit("/profile", {**PROFILE, field: value})

    assert refused(response, message)
    db.session.expire_all()
    assert db.session.get(User, user.id).name == "Ruth Okafor"
    profile = db.session.get(Profile, user.id)
    assert (profile.headline, profile.bio, profile.links) == ("Urban planner", "I plan bike lanes.", [])


@pytest.mark.parametrize("name", ["Lyon\r\nAlumni", "Lyon\x00Alumni"])
def test_a_community_name_with_a_line_break_is_refused(logged_in, db, name):
    response = logged_in.submit(
        "/communities/new",
        {"name": name, "slug": "lyon", "kind": "other", "timezone": "UTC", "join_policy": "open"},
        content_type="multipart/form-data",
    )

    assert refused(response)
    assert count(Community) == 0


def test_renaming_a_community_to_hold_a_line_break_is_refused(as_owner, db):
    response = as_owner.submit(
        "/c/northfield/manage/settings",
        {"name": POISON, "kind": "alumni_association", "timezone": "UTC", "join_policy": "open"},
        content_type="multipart/form-data",
    )

    assert refused(response)
    db.session.expire_all()
    assert db.session.get(Community, 1).name == "Northfield Alumni"


# -- every form uses the rules --------------------------------------------------------------------


def _all_subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_all_subclasses(sub)}
    return found


def test_every_form_of_the_site_derives_from_the_base_with_the_field_rules():
    for module in pkgutil.walk_packages(community.__path__, "community."):
        importlib.import_module(module.name)
    ours = {cls for cls in _all_subclasses(wtforms.Form) if cls.__module__.startswith("community.")}
    pages = {cls for cls in ours if issubclass(cls, FlaskForm)}
    rows = ours - pages

    assert len(pages) > 15 and rows
    assert [cls for cls in pages if not issubclass(cls, Form)] == []
    assert [cls for cls in rows if not issubclass(cls, SubForm)] == []


def test_the_rules_are_added_to_each_form_once(app):
    with app.test_request_context():
        forms = [SignUpForm(meta={"csrf": False}) for _ in range(3)]
    assert [form.name.validators.count(one_line) for form in forms] == [1, 1, 1]
    assert [form.name.filters.count(forms[0].name.filters[0]) for form in forms] == [1, 1, 1]


@pytest.mark.parametrize(
    ("text", "one_line_ok", "lines_ok"),
    [
        ("Ada Lovelace", True, True),
        ("Ada\u00a0Lovelace, caf\u00e9 \U0001f600", True, True),
        ("Ada\nLovelace", False, True),
        ("Ada\r\nLovelace\tand co", False, True),
        ("Ada\u2028Lovelace", False, True),
        ("Ada\x00", False, False),
        ("Ada\x7f", False, False),
        ("Ada\x85", False, False),
        ("Ada\x0c", False, False),
    ],
)
def test_which_characters_fit_one_line_and_which_fit_lines(text, one_line_ok, lines_ok):
    assert (fits_one_line(text), fits_lines(text)) == (one_line_ok, lines_ok)
