"""An event's cover image: uploaded on the event form with its description, shown and served
only to people who may see the event, and carried along a series."""

from __future__ import annotations

from datetime import time
from html import unescape
from io import BytesIO

import pytest
from flask import render_template_string
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from community.core.images import COVER, prepare
from community.events.covers import CoverError, cover_of, sharing_image
from community.events.forms.event import EventForm
from community.events.models import Event, EventVisibility
from community.events.services import Recurrence, create_series, duplicate_event, update_event
from community.events.timing import to_local
from community.extensions import db
from tests.events.page_helpers import event_form
from tests.factories import create_event, create_membership, create_user, event_details
from tests.image_files import BLUE, GREEN, RED, image_file, opened

BASE = "/c/northfield/manage/events"


def upload(data: bytes, name: str = "cover.jpg"):
    return (BytesIO(data), name)


def post_form(client, url: str, **fields):
    return client.submit(url, event_form(**fields), content_type="multipart/form-data")


def only_event() -> Event:
    db.session.expire_all()
    return db.session.scalars(select(Event)).one()


def cover(color=RED, size=(800, 450)):
    return prepare(image_file("PNG", size, color), COVER)


# -- the form ------------------------------------------------------------------------------


def test_a_cover_uploaded_with_its_description_is_shrunk_stored_and_shown(as_organizer, community):
    response = post_form(
        as_organizer, f"{BASE}/new",
        cover=upload(image_file("JPEG", (3200, 1800), BLUE)), cover_alt="  The quad   in spring ",
    )  # fmt: skip

    assert response.status_code == 302
    event = only_event()
    assert (event.cover_content_type, event.cover_width, event.cover_height) == ("image/jpeg", 1600, 900)
    assert event.cover_alt == "The quad in spring"
    served = as_organizer.get(f"/c/northfield/events/{event.id}/cover")
    assert served.status_code == 200
    assert opened(served.data).size == (1600, 900)
    edit_page = as_organizer.get(f"{BASE}/{event.id}/edit").get_data(as_text=True)
    assert 'alt="The quad in spring" width="1600" height="900"' in edit_page
    assert "Remove the cover image" in edit_page


def test_a_cover_without_a_description_is_refused_and_nothing_is_saved(as_organizer, community):
    response = post_form(as_organizer, f"{BASE}/new", cover=upload(image_file()), cover_alt="")

    assert response.status_code == 422
    page = unescape(response.get_data(as_text=True))
    assert "Describe the image for people who can't see it" in page
    assert "Your image was fine, but nothing was saved: please choose it again" in page
    assert db.session.scalar(select(func.count()).select_from(Event)) == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b"<svg xmlns='http://www.w3.org/2000/svg'/>",
            "The cover image must be a PNG, JPEG, WebP or GIF image.",
        ),
        (image_file("JPEG", (900, 900))[:300], "We couldn't read the cover image"),
    ],
)
def test_a_file_that_is_no_image_is_refused_with_a_message(as_organizer, community, data, message):
    response = post_form(as_organizer, f"{BASE}/new", cover=upload(data), cover_alt="A picture")

    assert response.status_code == 422
    assert message in unescape(response.get_data(as_text=True))
    assert db.session.scalar(select(func.count()).select_from(Event)) == 0


def test_a_good_cover_with_a_mistake_elsewhere_saves_nothing(as_organizer, community):
    response = post_form(as_organizer, f"{BASE}/new", title="", cover=upload(image_file()), cover_alt="Us")

    assert response.status_code == 422
    assert "Give the event a title." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Event)) == 0


def test_editing_keeps_the_cover_changes_its_description_and_can_remove_it(
    as_organizer, community, organizer
):
    event = create_event(community, organizer, cover=cover(), cover_alt="Old words")
    stored = event.cover_image
    edit = f"{BASE}/{event.id}/edit"

    assert post_form(as_organizer, edit, action="save", cover_alt="New words").status_code == 302
    event = only_event()
    assert (event.cover_image, event.cover_alt) == (stored, "New words")

    response = post_form(as_organizer, edit, action="save", cover_alt="")
    assert response.status_code == 422
    assert "Describe the image for people who can't see it" in unescape(response.get_data(as_text=True))
    assert only_event().cover_alt == "New words"

    assert post_form(as_organizer, edit, action="save", remove_cover="y", cover_alt="").status_code == 302
    event = only_event()
    assert (event.cover_image, event.cover_content_type, event.cover_alt) == (None, None, "")
    assert as_organizer.get(f"/c/northfield/events/{event.id}/cover").status_code == 404


def test_a_new_cover_replaces_the_old_one(as_organizer, community, organizer):
    event = create_event(community, organizer, cover=cover(RED), cover_alt="Red")
    response = post_form(
        as_organizer, f"{BASE}/{event.id}/edit",
        action="save", cover=upload(image_file("PNG", (400, 400), GREEN)), cover_alt="Green",
    )  # fmt: skip

    assert response.status_code == 302
    event = only_event()
    assert (event.cover_width, event.cover_height, event.cover_alt) == (400, 400, "Green")
    assert opened(event.cover_image).getpixel((200, 200))[1] > 120


def test_the_service_refuses_a_cover_without_a_description(community, organizer):
    with pytest.raises(CoverError):  # the form says it first; the service makes sure
        create_event(community, organizer, cover=cover(), cover_alt=" ")


# -- who sees it ---------------------------------------------------------------------------


def test_a_members_only_events_cover_is_served_only_to_members(client, community, organizer):
    event = create_event(
        community, organizer, visibility=EventVisibility.MEMBERS, cover=cover(), cover_alt="Us"
    )
    url = f"/c/northfield/events/{event.id}/cover"
    member = create_membership(community, name="Mia Member").user
    outsider = create_user(name="Otto Outsider")

    for who in (None, outsider):
        if who is not None:
            client.login(who.email)
        response = client.get(url)
        assert response.status_code in (401, 403, 404)
        assert response.mimetype == "text/html" and not response.data.startswith(b"\xff\xd8")
    client.logout()
    client.login(member.email)
    response = client.get(url)
    assert (response.status_code, response.mimetype) == (200, "image/jpeg")
    assert response.headers["Cache-Control"].startswith("private")


def test_a_drafts_cover_is_for_organizers_and_a_public_events_for_anyone(client, community, organizer):
    draft = create_event(community, organizer, publish=False, cover=cover(), cover_alt="Soon")
    public = create_event(community, organizer, cover=cover(), cover_alt="Everyone")
    member = create_membership(community, name="Mia Member").user

    assert client.get(f"/c/northfield/events/{public.id}/cover").headers["Cache-Control"].startswith("public")
    client.login(member.email)
    assert client.get(f"/c/northfield/events/{draft.id}/cover").status_code == 404
    client.logout()
    client.login(organizer.email)
    assert client.get(f"/c/northfield/events/{draft.id}/cover").status_code == 200


def test_an_event_without_a_cover_has_none_to_serve(client, community, organizer):
    event = create_event(community, organizer)
    assert client.get(f"/c/northfield/events/{event.id}/cover").status_code == 404
    assert cover_of(event) is None


# -- series and copies ---------------------------------------------------------------------


def series_of_four(community, organizer, **details):
    events = create_series(
        community, organizer,
        event_details(title="Roundtable", start_time=time(19), end_time=time(21), **details),
        Recurrence(frequency="weekly", count=4), publish=True,
    )  # fmt: skip
    db.session.commit()
    return events


def details_of(event: Event, **changes):
    """The series' details as the edit form would hand them over for `event`, with `changes`."""
    day = to_local(event.starts_at, event.timezone).date()
    return event_details(title="Roundtable", day=day, start_time=time(19), end_time=time(21), **changes)


def test_a_new_series_gives_every_event_the_cover(community, organizer):
    series_of_four(community, organizer, cover=cover(), cover_alt="Chairs in a circle")
    db.session.expire_all()
    assert {(e.cover_alt, e.cover_width) for e in db.session.scalars(select(Event))} == {
        ("Chairs in a circle", 800)
    }


def test_this_and_following_changes_the_cover_of_the_later_events_only(app, community, organizer):
    events = series_of_four(community, organizer, cover=cover(RED), cover_alt="Red chairs")
    with app.test_request_context():
        update_event(
            events[1], organizer, details_of(events[1], cover=cover(BLUE), cover_alt="Blue chairs"),
            scope="following",
        )  # fmt: skip
        db.session.commit()
        assert [e.cover_alt for e in events] == ["Red chairs", "Blue chairs", "Blue chairs", "Blue chairs"]
        assert events[0].cover_image != events[2].cover_image == events[1].cover_image

        update_event(
            events[2], organizer, details_of(events[2], remove_cover=True, cover_alt=""), scope="following"
        )
        db.session.commit()
        assert [e.cover_content_type is not None for e in events] == [True, True, False, False]


def test_a_description_edit_for_following_events_leaves_a_different_picture_its_own(
    app, community, organizer
):
    events = series_of_four(community, organizer, cover=cover(RED), cover_alt="Red chairs")
    with app.test_request_context():
        update_event(events[2], organizer, details_of(events[2], cover=cover(GREEN), cover_alt="Garden"))
        update_event(
            events[1], organizer, details_of(events[1], cover_alt="Red chairs, evening"), scope="following"
        )
        db.session.commit()
    alts = [e.cover_alt for e in events]
    assert alts == ["Red chairs", "Red chairs, evening", "Garden", "Red chairs, evening"]


def test_a_copy_of_an_event_keeps_its_cover(app, community, organizer):
    event = create_event(community, organizer, cover=cover(), cover_alt="Us")
    with app.test_request_context():
        copy = duplicate_event(event, organizer)
    assert (copy.cover_image, copy.cover_alt, copy.cover_width) == (event.cover_image, "Us", 800)


# -- showing it ----------------------------------------------------------------------------


def test_the_cover_macro_gives_the_size_the_description_and_lazy_loading_in_lists(app, community, organizer):
    event = create_event(community, organizer, cover=cover(size=(1200, 500)), cover_alt='Us & "them"')
    macro = '{% from "events/_cover.html" import cover %}{{ cover(event, size) }}'
    with app.test_request_context():
        card = render_template_string(macro, event=event, size="card")
        hero = render_template_string(macro, event=event, size="hero")
        bare = render_template_string(macro, event=create_event(community, organizer), size="card")
        shared = sharing_image(event)
    assert f'src="/c/northfield/events/{event.id}/cover?v=' in card
    assert 'alt="Us &amp; &#34;them&#34;" width="1200" height="500"' in card
    assert 'loading="lazy"' in card and 'loading="lazy"' not in hero
    assert bare.strip() == ""
    assert shared.url.startswith(f"http://localhost/c/northfield/events/{event.id}/cover?v=")
    assert (shared.width, shared.height, shared.alt) == (1200, 500, 'Us & "them"')


def test_the_form_asks_for_coordinates_only_under_more(as_organizer, community, organizer):
    page = as_organizer.get(f"{BASE}/new").get_data(as_text=True)
    details = page.split('<details class="more-fields"', 1)[1].split("</details>", 1)[0]
    assert (
        "More: map coordinates" in details and 'name="latitude"' in details and 'name="longitude"' in details
    )
    assert not details.startswith(" data-coordinates open")
    assert 'enctype="multipart/form-data"' in page
    assert "data-map-check hidden" in page  # no address yet: no link until one is typed

    event = create_event(
        community, organizer, address="1 High Street, Northfield", latitude=51.5, longitude=-0.12
    )
    page = as_organizer.get(f"{BASE}/{event.id}/edit").get_data(as_text=True)
    assert '<details class="more-fields" data-coordinates open>' in page
    assert "https://www.openstreetmap.org/search?query=1+High+Street%2C+Northfield" in page

    response = post_form(as_organizer, f"{BASE}/new", latitude="91", longitude="0")
    assert response.status_code == 422
    assert '<details class="more-fields" data-coordinates open>' in response.get_data(as_text=True)


def test_the_form_asks_for_the_description_of_a_cover_the_event_keeps(app):
    def errors(has_cover: bool, **fields) -> list[str]:
        data = MultiDict({**event_form(action="save"), "cover_alt": "", **fields})
        with app.test_request_context(method="POST", data=data):
            form = EventForm(creating=False, has_cover=has_cover, meta={"csrf": False})
            form.validate()
            return list(form.cover_alt.errors)

    assert errors(True) == [
        "Describe the image for people who can't see it, e.g. “Our group on the library steps”."
    ]
    assert errors(True, remove_cover="y") == []
    assert errors(False) == []
