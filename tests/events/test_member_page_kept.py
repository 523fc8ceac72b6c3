"""A member's event page keeps who's going, the organizers and the headcount as the
community's members see them (core.kept): every change shows at once, and nobody is ever shown
a list as somebody else sees it."""

from __future__ import annotations

import pytest

from community.events.models import EventVisibility
from community.extensions import db
from community.members.services import ensure_profile
from community.rsvps.services import respond
from tests.events.page_helpers import member, page_url, text_of
from tests.factories import create_community, create_membership
from tests.helpers import counting_queries


def _page(client, event) -> str:
    response = client.get(page_url(event))
    assert response.status_code == 200
    return text_of(response.get_data(as_text=True))


def _profile(user, text: str, **visibility: str):
    """Their headline `text`, name and headline for members unless `visibility` says otherwise."""
    profile = ensure_profile(user)
    profile.headline = text
    profile.visibility = {"name": "members", "headline": "members", **visibility}
    db.session.commit()
    return profile


@pytest.fixture
def signed_in(app, client):
    """A new client (a browser of its own), logged in as `user`."""

    def sign_in(user):
        browser = app.test_client()  # the `client` fixture set the class: it logs in for real
        browser.login(user.email)
        return browser

    return sign_in


@pytest.fixture
def viewer_client(community, signed_in):
    return signed_in(member(community, "Vera Viewer"))


def test_changes_to_who_is_going_show_at_once(community, published_event, viewer_client):
    event = published_event()
    lena = member(community, "Lena Listed")
    respond(event, lena, going=True)
    db.session.commit()
    assert "Lena Listed" in _page(viewer_client, event)

    newcomer = member(community, "Nico Newcomer")
    respond(event, newcomer, going=True)
    db.session.commit()
    page = _page(viewer_client, event)
    assert "Nico Newcomer" in page and "Who's going (2)" in page

    lena.name = "Lena Renamed"
    _profile(newcomer, "Product manager at Acme")
    page = _page(viewer_client, event)
    assert "Lena Renamed" in page and "Lena Listed" not in page
    assert "Product manager at Acme" in page

    _profile(newcomer, "Product manager at Acme", name="nobody")
    page = _page(viewer_client, event)
    assert "Nico Newcomer" not in page and "Who's going (2)" in page

    respond(event, lena, going=False)
    db.session.commit()
    page = _page(viewer_client, event)
    assert "Lena Renamed" not in page and "Who's going (1)" in page


def test_someone_who_leaves_the_community_leaves_the_members_list(community, published_event, viewer_client):
    event = published_event()
    leaving = create_membership(community, name="Lou Leaving")
    respond(event, leaving.user, going=True)
    db.session.commit()
    assert "Lou Leaving" in _page(viewer_client, event)
    db.session.delete(leaving)
    db.session.commit()
    # Still going, but no longer sharing a community: a name for members only is hidden.
    page = _page(viewer_client, event)
    assert "Lou Leaving" not in page and "Who's going (1)" in page


def test_people_see_what_they_keep_from_members_on_their_own_card(
    community, published_event, viewer_client, signed_in
):
    event = published_event()
    mia = member(community, "Mia Modest")
    _profile(mia, "Founder of Quietco", headline="nobody")
    respond(event, mia, going=True)
    db.session.commit()
    assert "Founder of Quietco" not in _page(viewer_client, event)  # the list, as members see it

    mia_client = signed_in(mia)
    assert "Mia Modest Founder of Quietco" in _page(mia_client, event)
    assert "Founder of Quietco" not in _page(viewer_client, event)


def test_an_organizer_who_hides_their_name_still_sees_it(community, organizer, published_event, signed_in):
    event = published_event()
    _profile(organizer, "Runs the socials", name="nobody")
    someone = signed_in(member(community))
    assert "Organised by Northfield Alumni OO Olive Owner Roundtable keeps" in _page(someone, event)

    organizer_client = signed_in(organizer)
    assert "OO Olive Owner OO Olu Organizer" in _page(organizer_client, event)
    assert "OO Olu Organizer" not in _page(someone, event)


def test_a_guest_from_another_community_is_named_only_to_those_who_share_one(
    community, published_event, viewer_client, signed_in
):
    """Someone going who is not a member of the event's community: whether a member sees
    their name depends on that member's own communities, so it is never kept for all."""
    event = published_event(attendee_list_public=True)
    southside = create_community(slug="southside", name="Southside Club")
    guest = create_membership(southside, name="Gia Guest").user
    _profile(guest, "Chef at Dockside")
    respond(event, guest, going=True)
    db.session.commit()
    assert "Gia Guest" not in _page(viewer_client, event)

    both = member(community, "Bo Both")
    create_membership(southside, both)
    both_client = signed_in(both)
    assert "Gia Guest Chef at Dockside" in _page(both_client, event)
    assert "Gia Guest" not in _page(viewer_client, event)


def test_a_signed_in_outsider_sees_only_public_names(community, published_event, viewer_client, signed_in):
    event = published_event(attendee_list_public=True)
    lena = member(community, "Lena Listed")
    respond(event, lena, going=True)
    db.session.commit()
    assert "Lena Listed" in _page(viewer_client, event)  # kept as members see it

    outsider = signed_in(create_membership(create_community(slug="elsewhere"), name="Otto Outsider").user)
    page = _page(outsider, event)
    assert "Lena Listed" not in page and "Who's going (1)" in page


def test_a_members_only_event_keeps_its_list_for_members(community, published_event, viewer_client):
    event = published_event(visibility=EventVisibility.MEMBERS)
    respond(event, member(community, "Lena Listed"), going=True)
    db.session.commit()
    assert "Lena Listed" in _page(viewer_client, event)
    respond(event, member(community, "Nico Newcomer"), going=True)
    db.session.commit()
    assert "Nico Newcomer" in _page(viewer_client, event)


def test_a_second_member_reads_the_kept_parts_without_asking_again(community, published_event, signed_in):
    event = published_event(capacity=20)
    for name in ("Lena Listed", "Nico Newcomer"):
        respond(event, member(community, name), going=True)
    db.session.commit()
    first = signed_in(member(community, "Vera Viewer"))
    second = signed_in(member(community, "Walt Watcher"))
    with counting_queries(db.engine) as built:
        page = _page(first, event)
    with counting_queries(db.engine) as kept:
        assert _page(second, event) == page.replace("Vera Viewer", "Walt Watcher")
    names_and_counts = ("member_profile", "count(rsvp.id)")
    assert any(part in statement for statement in built for part in names_and_counts)
    assert not any(part in statement for statement in kept for part in names_and_counts)
    assert len(kept) <= len(built) - 3  # who's going, the organizers, the headcount
