"""Starting a community, its list, its home page and its logo."""

from __future__ import annotations

from html import unescape
from io import BytesIO

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from community.communities.models import Community, Membership, Role
from community.core.audit import AuditEntry
from tests.communities.community_helpers import add_member, audit_actions
from tests.factories import create_community, create_user
from tests.image_files import PNG, image_file, opened

FORM = {
    "name": "Lyon Alumni",
    "slug": "",
    "tagline": "Graduates of the Lyon campus",
    "description": "We meet **twice** a year.",
    "kind": "alumni_association",
    "timezone": "Europe/Paris",
    "join_policy": "open",
}


def create(client, **fields):
    data = {**FORM, **fields}
    return client.submit("/communities/new", data, content_type="multipart/form-data")


def test_starting_a_community_makes_the_creator_its_owner(logged_in, user, db):
    response = create(logged_in, slug="lyon-alumni")

    assert response.status_code == 302
    assert response.headers["Location"] == "/c/lyon-alumni"
    community = db.session.scalar(select(Community))
    assert (community.name, community.timezone, community.kind.value) == (
        "Lyon Alumni",
        "Europe/Paris",
        "alumni_association",
    )
    owner = db.session.scalar(select(Membership))
    assert (owner.user_id, owner.role, owner.is_active) == (user.id, Role.OWNER, True)
    assert audit_actions(community) == ["community.created"]

    page = logged_in.get("/c/lyon-alumni").get_data(as_text=True)
    assert "Lyon Alumni is ready" in page
    assert "<strong>twice</strong>" in page
    assert "Ruth Okafor" in page  # listed as an organizer
    assert "Manage" in page


def test_a_blank_slug_is_made_from_the_name(logged_in, db):
    response = create(logged_in, name="Class of '09 Zürich!")
    assert response.headers["Location"] == "/c/class-of-09-zurich"


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("Has Spaces", "Use lower-case letters, digits and hyphens only"),
        ("-dash", "Use lower-case letters, digits and hyphens only"),
        ("a", "Use between 2 and 50 characters."),
        ("x" * 51, "Use between 2 and 50 characters."),
        ("admin", "is reserved for the site&#39;s own pages"),
        ("new", "is reserved for the site&#39;s own pages"),
        ("taken", "/c/taken is already taken. How about “taken-2”?"),
    ],
)
def test_bad_slugs_are_refused_inline_and_nothing_is_written(logged_in, db, slug, message):
    create_community(slug="taken", name="Already Here")
    before = db.session.scalar(select(func.count(Community.id)))

    response = create(logged_in, slug=slug)

    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Community.id))) == before
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 1  # only the first community's


def test_missing_name_and_unknown_time_zone_are_refused(logged_in, db):
    response = create(logged_in, name="", slug="fine-slug", timezone="Mars/Olympus")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Give the community a name." in page
    assert "Choose a time zone from the list." in page
    assert db.session.scalar(select(Community)) is None


def test_starting_a_community_needs_an_account(client, db):
    response = client.get("/communities/new")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_a_logo_is_checked_stored_and_served(logged_in, db):
    response = create(logged_in, slug="with-logo", logo=(BytesIO(PNG), "logo.png"))
    assert response.status_code == 302

    served = logged_in.get("/c/with-logo/logo")
    assert served.status_code == 200
    assert served.headers["Content-Type"] == "image/jpeg"  # drawn again, without its metadata
    assert opened(served.data).size == (64, 64)
    assert "max-age" in served.headers["Cache-Control"]
    etag = served.headers["ETag"]
    assert logged_in.get("/c/with-logo/logo", headers={"If-None-Match": etag}).status_code == 304
    assert "/c/with-logo/logo" in logged_in.get("/c/with-logo").get_data(as_text=True)


def test_a_fake_image_is_refused(logged_in, db):
    response = create(logged_in, slug="fake-logo", logo=(BytesIO(b"<svg>not really</svg>"), "logo.png"))

    assert response.status_code == 422
    assert "The logo must be a PNG, JPEG, WebP or GIF image." in response.get_data(as_text=True)
    assert db.session.scalar(select(Community)) is None


def test_a_large_logo_is_shrunk_to_512_pixels(logged_in, db):
    response = create(logged_in, slug="big-logo", logo=(BytesIO(image_file("JPEG", (2000, 1000))), "big.jpg"))
    assert response.status_code == 302
    assert opened(logged_in.get("/c/big-logo/logo").data).size == (512, 256)


def test_a_damaged_logo_is_refused_with_a_message(logged_in, db):
    damaged = PNG[:40]  # a PNG signature, then the file stops
    response = create(logged_in, slug="damaged-logo", logo=(BytesIO(damaged), "logo.png"))
    assert response.status_code == 422
    assert "We couldn't read the logo" in unescape(response.get_data(as_text=True))
    assert db.session.scalar(select(Community)) is None


def test_a_logo_over_512_kb_is_refused(logged_in, db):
    big = PNG + b"\x00" * (512 * 1024)
    fields = {**FORM, "slug": "big-logo", "csrf_token": logged_in.csrf_token()}
    fields["logo"] = FileStorage(BytesIO(big), filename="logo.png", content_type="image/png")
    # Encoded in memory: the test client would otherwise spool it to a file it never closes.
    boundary, body = encode_multipart(fields)
    response = logged_in.post(
        "/communities/new", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert response.status_code == 422
    assert "up to 512 KB" in response.get_data(as_text=True)


def test_a_community_without_a_logo_has_none_to_serve(client, db):
    create_community()
    assert client.get("/c/northfield/logo").status_code == 404
    assert client.get("/c/nowhere").status_code == 404


def test_user_text_is_escaped_on_the_home_page_and_the_list(client, db):
    create_community(
        name="<script>alert(1)</script>",
        tagline="<b>bold</b>",
        description="<script>alert(2)</script> and [a](javascript:alert(3))",
    )

    page = client.get("/c/northfield").get_data(as_text=True)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page
    assert 'href="javascript' not in page
    listing = client.get("/communities").get_data(as_text=True)
    assert "<script>alert" not in listing
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in listing


def test_the_list_shows_counts_and_your_roles(client, db):
    owner = create_user(email="owner@example.org", name="Olive Owner")
    first = create_community(owner, slug="first", name="First Club", tagline="The first one")
    second = create_community(slug="second", name="Second Club")
    for _ in range(2):
        add_member(first)
    add_member(second, owner, pending=True)

    client.login("owner@example.org")
    page = client.get("/communities").get_data(as_text=True)

    assert "Your communities" in page
    assert "3 members" in page  # the owner and two more
    assert "1 member<" in page
    assert "owner</span>" in page
    assert "request pending" in page
    assert "The first one" in page


def test_the_list_is_paginated_and_has_an_empty_state(client, db):
    assert "No communities yet." in client.get("/communities").get_data(as_text=True)
    owner = create_user()
    for number in range(25):
        create_community(owner, slug=f"club-{number:02d}", name=f"Club {number:02d}")

    first = client.get("/communities").get_data(as_text=True)
    second = client.get("/communities?page=2").get_data(as_text=True)
    assert first.count('class="card community-card"') == 20
    assert second.count('class="card community-card"') == 5
    assert 'rel="next"' in first
