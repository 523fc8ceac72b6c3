"""Introductions in the directory and on profiles: the "Can help with" search mode, "Ask for
an introduction" on each card and profile (and where the viewer stands with someone), and the
page with the note (/c/<slug>/people/<id>/introduce)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from community.core.models import utcnow
from community.extensions import db
from community.introductions import connections, requests
from community.introductions.models import Introduction, IntroductionStatus
from tests.conftest import outbox_messages
from tests.factories import create_user
from tests.introductions.bulk import bulk_people, text
from tests.members.conftest import join, make_community, person, set_profile

DIRECTORY = "/c/northfield/members"
CARD_NAME = re.compile(r'class="person-card__name"><a href="/people/\d+">([^<]+)</a>')


def introduce_url(user, **query) -> str:
    suffix = "&".join(f"{key}={value}" for key, value in query.items())
    return f"/c/northfield/people/{user.id}/introduce" + (f"?{suffix}" if suffix else "")


def names(response) -> list[str]:
    assert response.status_code == 200
    return CARD_NAME.findall(response.get_data(as_text=True))


def introductions() -> list[Introduction]:
    db.session.expire_all()
    return list(db.session.scalars(select(Introduction).order_by(Introduction.id)))


@pytest.fixture
def community(app):
    return make_community()


@pytest.fixture
def viewer(client, community):
    me = create_user(email="me@example.org", name="Mia Member")
    join(community, me)
    set_profile(me, looking_for=["Moving into product management"])
    client.login(me.email)
    return me


@pytest.fixture
def helpers(community):
    """Greta can help with product management in so many words; Hugo writes "PM career
    advice"; Ivo only has it as a skill; Jo looks for it (and can't help); Kai helps with
    it but shows that to nobody."""
    return {
        "greta": person("Greta Green", community, can_help_with=["Moving into product management"]),
        "hugo": person("Hugo Hill", community, can_help_with=["PM career advice", "Hiring"]),
        "ivo": person("Ivo Ivanov", community, skills=["Product management", "SQL"]),
        "jo": person("Jo Jones", community, looking_for=["Product management mentor"]),
        "kai": person(
            "Kai King",
            community,
            can_help_with=["Product management"],
            visibility={"can_help_with": "nobody"},
        ),
    }


# -- "Can help with" ---------------------------------------------------------------------------


def test_can_help_with_finds_people_by_their_words_and_skills(client, viewer, helpers):
    response = client.get(DIRECTORY, query_string={"q": "product management", "mode": "help"})
    found = names(response)
    assert found[0] == "Greta Green"  # in so many words
    assert set(found) == {"Greta Green", "Hugo Hill", "Ivo Ivanov"}  # "PM" is product management
    page = response.get_data(as_text=True)
    assert "3 members who can help with “product management”, best match first" in text(page)
    assert "<strong>Can help with:</strong> <mark>PM career advice</mark>" in page
    assert "<strong>Can help with:</strong> <mark>Moving into product management</mark>" in page
    assert "<strong>Skills:</strong> <mark>Product management</mark>" in page


def test_what_people_can_help_with_ranks_above_a_skill(client, community, viewer):
    person("Ann Able", community, skills=["Fundraising"])
    person("Zoe Zed", community, can_help_with=["Fundraising"])
    assert names(client.get(DIRECTORY, query_string={"q": "fundraising", "mode": "help"})) == [
        "Zoe Zed",
        "Ann Able",
    ]


def test_can_help_with_never_lists_the_viewer_or_uses_what_they_hide(client, viewer, helpers):
    set_profile(viewer, can_help_with=["Product management"])
    found = names(client.get(DIRECTORY, query_string={"q": "product management", "mode": "help"}))
    assert "Mia Member" not in found
    assert "Kai King" not in found  # hides what they can help with from members
    assert "Jo Jones" not in found  # looks for it, can't help


def test_the_public_sees_only_what_people_show_everyone(client, helpers):
    community = make_community("open", "Open Alumni", public=True)
    person("Greta Open", community, can_help_with=["Fundraising"], everything="everyone")
    person("Hugo Quiet", community, can_help_with=["Fundraising"], visibility={"name": "everyone"})
    outsider = create_user(email="outsider@example.org")
    client.login(outsider.email)
    found = names(client.get("/c/open/members", query_string={"q": "fundraising", "mode": "help"}))
    assert found == ["Greta Open"]


def test_can_help_with_keeps_the_filters(client, community, viewer):
    person("Ann Lisbon", community, city="Lisbon", can_help_with=["Fundraising"])
    person("Ben Leeds", community, city="Leeds", can_help_with=["Fundraising"])
    found = names(
        client.get(DIRECTORY, query_string={"q": "fundraising", "mode": "help", "location": "Leeds"})
    )
    assert found == ["Ben Leeds"]


def test_can_help_with_says_when_nobody_can(client, viewer, helpers):
    page = text(
        client.get(DIRECTORY, query_string={"q": "beekeeping", "mode": "help"}).get_data(as_text=True)
    )
    assert "Nobody here says they can help with “beekeeping” yet" in page
    assert "Try fewer words or the ordinary search." in page


def test_the_search_form_offers_both_modes_and_keeps_the_one_in_use(client, viewer, helpers):
    plain = client.get(DIRECTORY).get_data(as_text=True)
    assert '<input type="radio" name="mode" value="all" checked> Everything' in plain
    assert '<input type="radio" name="mode" value="help"> Can help with' in plain
    helping = client.get(DIRECTORY, query_string={"q": "hiring", "mode": "help"}).get_data(as_text=True)
    assert '<input type="radio" name="mode" value="help" checked> Can help with' in helping
    assert 'id="sort"' not in helping  # ranked by match: no sort to choose
    assert names(client.get(DIRECTORY, query_string={"q": "hiring", "mode": "help"})) == ["Hugo Hill"]


def test_can_help_with_pages_keep_the_mode(client, community, viewer):
    bulk_people(30, prefix="helper", community_id=community.id, can_help_with=["Grant applications"])
    first = client.get(DIRECTORY, query_string={"q": "grants", "mode": "help"})
    assert len(names(first)) == 24
    assert 'href="/c/northfield/members?q=grants&amp;mode=help&amp;page=2" rel="next"' in first.get_data(
        as_text=True
    )
    second = client.get(DIRECTORY, query_string={"q": "grants", "mode": "help", "page": "2"})
    assert len(names(second)) == 6
    assert set(names(first)).isdisjoint(names(second))


@pytest.mark.parametrize("query", ["?q=grant+applications&mode=help", "?q=grants&mode=help&page=2"])
def test_can_help_with_runs_the_same_number_of_queries_for_5_and_60_members(client, query, count_queries):
    small, large = make_community("small", "Small"), make_community("large", "Large")
    bulk_people(
        30, prefix="small", community_id=small.id, can_help_with=["Grant applications"], skills=["SQL"]
    )
    bulk_people(
        60, prefix="large", community_id=large.id, can_help_with=["Grant applications"], skills=["SQL"]
    )
    me = create_user(email="me@example.org")
    join(small, me)
    join(large, me)
    client.login(me.email)
    counts = []
    for slug in ("small", "large"):
        with count_queries() as statements:
            response = client.get(f"/c/{slug}/members{query}")
        assert "<mark>Grant applications</mark>" in response.get_data(as_text=True)
        counts.append(len(statements))
    assert counts[0] == counts[1]


# -- asking from the directory ---------------------------------------------------------------------


def test_a_member_asks_for_an_introduction_from_the_directory(client, viewer, helpers):
    greta = helpers["greta"]
    page = client.get(DIRECTORY).get_data(as_text=True)
    link = f'href="/c/northfield/people/{greta.id}/introduce?next=/c/northfield/members"'
    assert link in page
    # Each card's link is described by the name above it.
    assert f'<h2 id="person-{greta.id}-name" class="person-card__name">' in page
    assert f'aria-describedby="person-{greta.id}-name">Ask for an introduction</a>' in page
    assert f"/c/northfield/people/{viewer.id}/introduce" not in page  # not beside oneself

    form = client.get(introduce_url(greta, next="/c/northfield/members"))
    assert form.status_code == 200
    assert "Ask for an introduction to Greta Green" in text(form.get_data(as_text=True))
    assert '<input type="hidden" name="next" value="/c/northfield/members">' in form.get_data(as_text=True)

    note = "I'm moving into product management and would love an hour of your advice."
    response = client.submit(introduce_url(greta), {"note": note, "next": "/c/northfield/members?q=green"})
    assert response.status_code == 302 and response.location.endswith("/c/northfield/members?q=green")
    (introduction,) = introductions()
    assert (introduction.asker_id, introduction.recipient_id, introduction.note) == (
        viewer.id,
        greta.id,
        note,
    )
    assert introduction.event_id is None and introduction.status == IntroductionStatus.PENDING
    (email,) = outbox_messages("introductions.request", to=greta.email)
    assert "Mia Member would like to meet you" in email.subject

    after = client.get(DIRECTORY, query_string={"q": "green"})
    assert "Request sent" in text(after.get_data(as_text=True))
    assert f"/c/northfield/people/{greta.id}/introduce" not in after.get_data(as_text=True)
    again = text(client.get(introduce_url(greta)).get_data(as_text=True))
    assert "Request sent You've asked to meet Greta Green." in again


def test_a_double_submission_makes_one_request(client, viewer, helpers):
    for _ in range(2):
        client.submit(introduce_url(helpers["hugo"]), {"note": "Hello!"})
    assert len(introductions()) == 1
    assert len(outbox_messages("introductions.request")) == 1


@pytest.mark.parametrize(
    ("note", "message"),
    [
        ("", "Add a short note: say why you'd like to meet."),
        ("x" * 501, "Please keep the note to 500 characters."),
    ],
)
def test_the_note_is_required_and_short_and_kept_when_refused(client, viewer, helpers, note, message):
    response = client.submit(introduce_url(helpers["greta"]), {"note": note})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in text(page)
    assert f"{note}</textarea>" in page
    assert introductions() == []


def test_nobody_asks_themselves(client, viewer):
    page = text(client.get(introduce_url(viewer)).get_data(as_text=True))
    assert "That's you." in page and "Send request" not in page
    response = client.submit(introduce_url(viewer), {"note": "Hi me"})
    assert response.status_code == 422
    assert "That's you: pick someone else to meet." in text(response.get_data(as_text=True))
    assert introductions() == []


def test_only_members_are_asked_and_only_by_members(client, app, community, viewer):
    outsider = create_user(email="outsider@example.org", name="Otto Outside")
    assert client.get(introduce_url(outsider)).status_code == 404
    assert client.submit(introduce_url(outsider), {"note": "Hi"}).status_code == 404
    assert client.get(f"/c/northfield/people/{2**31 - 1}/introduce").status_code == 404

    stranger = app.test_client()
    stranger.login(outsider.email)
    refused = stranger.get(introduce_url(viewer))
    assert refused.status_code == 403 and "Join Northfield Alumni" in refused.get_data(as_text=True)
    assert stranger.submit(introduce_url(viewer), {"note": "Hi"}).status_code == 403

    visitor = app.test_client()
    asked = visitor.get(introduce_url(viewer))
    assert asked.status_code == 401 and "Log in" in asked.get_data(as_text=True)
    assert introductions() == []


def test_someone_hiding_their_name_cannot_be_asked(client, community, viewer):
    hidden = person("Hal Hidden", community, visibility={"name": "nobody"})
    assert client.get(introduce_url(hidden)).status_code == 404
    assert client.submit(introduce_url(hidden), {"note": "Hi"}).status_code == 404
    assert introductions() == []


def test_next_never_leaves_the_site(client, viewer, helpers):
    response = client.submit(
        introduce_url(helpers["greta"]), {"note": "Hi", "next": "https://evil.example/x"}
    )
    assert response.status_code == 302 and response.location.endswith("/c/northfield/members")


def test_ten_requests_a_week_outside_events(client, community, viewer):
    people = [person(f"Person {n:02d}", community) for n in range(11)]
    for someone in people[:10]:
        assert client.submit(introduce_url(someone), {"note": "Hello"}).status_code == 302
    response = client.submit(introduce_url(people[10]), {"note": "Hello"})
    assert response.status_code == 422
    assert "You have asked for 10 introductions this week; please wait a few days." in response.get_data(
        as_text=True
    )
    assert len(introductions()) == 10
    # A week later the door opens again.
    for introduction in introductions():
        introduction.created_at = utcnow() - timedelta(days=8)
    db.session.commit()
    assert client.submit(introduce_url(people[10]), {"note": "Hello"}).status_code == 302


def test_where_the_viewer_stands_shows_on_cards(client, community, viewer, helpers):
    greta, hugo, ivo, jo = (helpers[key] for key in ("greta", "hugo", "ivo", "jo"))
    declined = requests.ask(viewer, greta, community=community, note="Hi")
    requests.decline(declined, greta)
    requests.ask(hugo, viewer, community=community, note="Hello Mia")
    connections.connect(viewer, ivo, how=connections.MET)
    db.session.commit()

    page = client.get(DIRECTORY)
    html = page.get_data(as_text=True)
    assert "Not this time" in html
    assert "Wants to meet you" in html and 'href="/me/introductions">Answer in My introductions' in html
    assert "Connected" in html
    for user in (greta, hugo, ivo):
        assert f"/c/northfield/people/{user.id}/introduce" not in html
    assert f"/c/northfield/people/{jo.id}/introduce" in html

    refused = client.submit(introduce_url(greta), {"note": "Please?"})
    assert refused.status_code == 422
    assert "Not this time: you can't ask this person again." in text(refused.get_data(as_text=True))
    assert db.session.scalar(select(func.count()).select_from(Introduction)) == 2


def test_a_public_directory_offers_no_introductions_to_outsiders(client, helpers):
    community = make_community("open", "Open Alumni", public=True)
    person("Greta Open", community, everything="everyone")
    outsider = create_user(email="outsider@example.org")
    client.login(outsider.email)
    page = client.get("/c/open/members").get_data(as_text=True)
    assert "Greta Open" in page and "Ask for an introduction" not in page


def test_the_directory_reads_everyones_standing_in_a_fixed_number_of_queries(client, count_queries):
    small, large = make_community("small", "Small"), make_community("large", "Large")
    small_ids = bulk_people(5, prefix="small", community_id=small.id)
    large_ids = bulk_people(60, prefix="large", community_id=large.id)
    me = create_user(email="me@example.org")
    join(small, me)
    join(large, me)
    for community, ids in ((small, small_ids), (large, large_ids)):
        for user_id in ids[:3]:
            requests.ask(me, db.session.get(type(me), user_id), community=community, note="Hi")
    db.session.commit()
    client.login(me.email)
    counts = []
    for slug in ("small", "large"):
        with count_queries() as statements:
            response = client.get(f"/c/{slug}/members")
        assert text(response.get_data(as_text=True)).count("Request sent") == 3
        counts.append(len(statements))
    assert counts[0] == counts[1]


# -- on a profile ------------------------------------------------------------------------------


def test_a_profile_offers_an_introduction_through_a_shared_community(client, community, viewer):
    other = make_community("zeta", "Zeta Club")
    greta = person("Greta Green", community)
    join(other, greta)
    join(other, viewer)
    page = client.get(f"/people/{greta.id}").get_data(as_text=True)
    # The first community they share, by name.
    assert f'href="/c/northfield/people/{greta.id}/introduce?next=/people/{greta.id}"' in page

    loner = create_user(email="loner@example.org", name="Lone Wolf")
    join(make_community("solo", "Solo"), loner)
    set_profile(loner, everything="everyone")
    assert "Ask for an introduction" not in client.get(f"/people/{loner.id}").get_data(as_text=True)
    assert "Ask for an introduction" not in client.get(f"/people/{viewer.id}").get_data(as_text=True)


def test_a_profile_shows_a_request_already_sent(client, community, viewer):
    greta = person("Greta Green", community)
    client.submit(introduce_url(greta), {"note": "Hi Greta", "next": f"/people/{greta.id}"})
    page = text(client.get(f"/people/{greta.id}").get_data(as_text=True))
    assert "Request sent" in page and "Ask for an introduction" not in page
