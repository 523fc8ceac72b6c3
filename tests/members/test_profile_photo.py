"""A profile photo: uploaded on /profile, cut to a square, shown and served only as its "who
can see this" level allows, with the initials wherever it is not."""

from __future__ import annotations

from dataclasses import dataclass
from html import unescape
from io import BytesIO

import pytest
from flask import render_template_string

from community.core.images import PHOTO, prepare
from community.members.models import DEFAULT_VISIBILITY, Profile, Visibility
from community.members.permissions import Audience, ProfileView
from community.members.services import ensure_profile, set_photo
from community.rsvps.queries import attendees
from tests.factories import create_event, create_rsvp, create_user
from tests.image_files import BLUE, image_file, opened
from tests.members.conftest import join, make_community, set_profile

FORM = {
    "name": "Ruth Okafor",
    **{f"{field}_visibility": level.value for field, level in DEFAULT_VISIBILITY.items()},
}


def save(client, **fields):
    return client.submit("/profile", {**FORM, **fields}, content_type="multipart/form-data")


def stored_profile(db, user) -> Profile:
    db.session.expire_all()
    return db.session.get(Profile, user.id)


def give_photo(db, user, **visibility):
    profile = ensure_profile(user)
    set_photo(profile, prepare(image_file("PNG", (300, 300), BLUE), PHOTO))
    db.session.commit()
    if visibility:
        set_profile(user, visibility=visibility)
    return profile


def test_an_uploaded_photo_is_cut_to_a_square_and_shown_on_the_profile(logged_in, db, user):
    response = save(logged_in, photo=(BytesIO(image_file("JPEG", (1200, 800))), "me.jpg"))

    assert response.status_code == 302
    profile = stored_profile(db, user)
    assert profile.photo_content_type == "image/jpeg"
    assert opened(profile.photo).size == (400, 400)
    page = logged_in.get(f"/people/{user.id}").get_data(as_text=True)
    assert f'<img class="avatar avatar--large" src="/people/{user.id}/photo?v=' in page
    served = logged_in.get(f"/people/{user.id}/photo")
    assert (served.status_code, served.mimetype) == (200, "image/jpeg")
    assert served.headers["Cache-Control"].startswith("private")
    editor = logged_in.get("/profile").get_data(as_text=True)
    assert "Remove my photo" in editor and 'enctype="multipart/form-data"' in editor


def test_a_file_that_is_no_photo_is_refused_and_nothing_is_saved(logged_in, db, user):
    response = save(logged_in, name="Ruth Changed", photo=(BytesIO(b"GIF89a" + b"\x00" * 30), "me.gif"))

    assert response.status_code == 422
    assert "We couldn't read the photo" in unescape(response.get_data(as_text=True))
    db.session.expire_all()
    assert user.name == "Ruth Okafor"
    profile = stored_profile(db, user)
    assert profile is None or profile.photo_content_type is None


def test_a_good_photo_with_a_mistake_elsewhere_is_not_saved(logged_in, db, user):
    response = save(logged_in, name="", photo=(BytesIO(image_file()), "me.png"))

    assert response.status_code == 422
    assert "Your photo was fine, but nothing was saved" in response.get_data(as_text=True)
    profile = stored_profile(db, user)
    assert profile is None or profile.photo_content_type is None


def test_the_photo_can_be_removed(logged_in, db, user):
    give_photo(db, user)
    assert save(logged_in, remove_photo="y").status_code == 302
    assert stored_profile(db, user).photo_content_type is None
    assert logged_in.get(f"/people/{user.id}/photo").status_code == 404
    assert "Without a photo, people see your initials." in logged_in.get("/profile").get_data(as_text=True)


def test_saving_without_a_new_file_keeps_the_photo(logged_in, db, user):
    give_photo(db, user)
    assert save(logged_in, headline="Planner").status_code == 302
    assert stored_profile(db, user).photo_content_type == "image/jpeg"


def test_the_photo_is_for_members_by_default(client, db):
    community = make_community()
    owner, fellow, stranger = (create_user(name=n) for n in ("Ruth Okafor", "Mo Member", "Sam Stranger"))
    join(community, owner)
    join(community, fellow)
    give_photo(db, owner, name=Visibility.EVERYONE.value)  # the profile is public, the photo is not
    url = f"/people/{owner.id}/photo"

    assert client.get(url).status_code == 404
    assert f'src="{url}' not in client.get(f"/people/{owner.id}").get_data(as_text=True)
    client.login(stranger.email)
    assert client.get(url).status_code == 404
    client.logout()
    client.login(fellow.email)
    assert client.get(url).status_code == 200
    assert f'src="{url}?v=' in client.get(f"/people/{owner.id}").get_data(as_text=True)
    directory = client.get("/c/northfield/members").get_data(as_text=True)
    assert f'<img class="avatar" src="{url}?v=' in directory


@pytest.mark.parametrize(
    ("levels", "visitor", "member", "owner"),
    [
        ({"name": "everyone", "photo": "everyone"}, 200, 200, 200),
        ({"name": "everyone", "photo": "nobody"}, 404, 404, 200),
        ({"name": "nobody", "photo": "everyone"}, 404, 404, 200),  # no name, no person, no photo
    ],
)
def test_each_audience_gets_the_photo_only_as_the_levels_allow(client, db, levels, visitor, member, owner):
    community = make_community()
    person, fellow = create_user(name="Ruth Okafor"), create_user(name="Mo Member")
    join(community, person)
    join(community, fellow)
    give_photo(db, person, **levels)
    url = f"/people/{person.id}/photo"

    assert client.get(url).status_code == visitor
    client.login(fellow.email)
    assert client.get(url).status_code == member
    client.logout()
    client.login(person.email)
    assert client.get(url).status_code == owner


def test_the_avatar_shows_the_photo_or_else_the_initials(app, db):
    @dataclass
    class Named:  # a person without a photo attribute at all (an older kind of name card)
        initials: str

    user = create_user(name="Ruth Okafor")
    profile = give_photo(db, user, name=Visibility.EVERYONE.value)  # the photo: members only
    macro = '{% from "_macros/people.html" import avatar %}{{ avatar(person, size) }}'
    with app.test_request_context():
        member_sees = render_template_string(
            macro, person=ProfileView(user, profile, Audience.MEMBERS), size="small"
        )
        public_sees = render_template_string(
            macro, person=ProfileView(user, profile, Audience.PUBLIC), size=""
        )
        plain = render_template_string(macro, person=Named("AB"), size="large")

    assert f'<img class="avatar avatar--small" src="/people/{user.id}/photo?v=' in member_sees
    assert 'alt="" width="32" height="32" loading="lazy"' in member_sees
    assert public_sees.strip() == '<span class="avatar" aria-hidden="true">RO</span>'
    assert plain.strip() == '<span class="avatar avatar--large" aria-hidden="true">AB</span>'


def test_whos_going_carries_the_photo_each_viewer_may_see(app, db):
    community = make_community()
    organizer, going, viewer = (create_user(name=n) for n in ("Olu Organizer", "Ruth Okafor", "Mo Member"))
    for person in (organizer, going, viewer):
        join(community, person)
    give_photo(db, going, name=Visibility.EVERYONE.value)
    event = create_event(community, organizer)
    create_rsvp(event, going)

    with app.test_request_context():
        for_member = attendees(event, viewer)
        for_visitor = attendees(event, None)
    assert for_member[0].photo_url.startswith(f"/people/{going.id}/photo?v=")
    assert (for_visitor[0].name, for_visitor[0].photo_url) == ("Ruth Okafor", "")
