"""Organizers at work: roles, removal, settings, handing ownership over, and the audit log."""

from __future__ import annotations

from io import BytesIO

from sqlalchemy import select

from community.communities.models import Community, JoinPolicy, Role
from community.extensions import db as _db
from tests.communities.community_helpers import SETTINGS_FORM, add_member, audit_actions, membership
from tests.conftest import outbox_messages
from tests.factories import create_community, create_user
from tests.image_files import image_file, opened


def setup_owner(client):
    owner = create_user(email="owner@example.org", name="Olive Owner")
    community = create_community(owner)
    client.login("owner@example.org")
    return community, owner


def test_promote_demote_and_remove(client, db):
    community, _ = setup_owner(client)
    ben = add_member(community, name="Ben Member").user

    target = membership(community, ben).id
    promoted = client.submit(
        f"/c/northfield/manage/members/{target}/promote", {"confirm": "yes"}, follow_redirects=True
    )
    assert "Ben Member is now an organizer." in promoted.get_data(as_text=True)
    assert membership(community, ben).role == Role.ORGANIZER

    demoted = client.submit(f"/c/northfield/manage/members/{target}/demote", follow_redirects=True)
    assert "Ben Member is a member again." in demoted.get_data(as_text=True)
    assert membership(community, ben).role == Role.MEMBER

    confirm = client.get(f"/c/northfield/manage/members/{target}/remove")
    assert "Remove Ben Member from Northfield Alumni?" in confirm.get_data(as_text=True)
    assert membership(community, ben) is not None
    removed = client.submit(f"/c/northfield/manage/members/{target}/remove", follow_redirects=True)
    assert "Ben Member is no longer a member of Northfield Alumni." in removed.get_data(as_text=True)
    assert membership(community, ben) is None
    assert audit_actions(community)[-3:] == ["member.promoted", "member.demoted", "member.removed"]


def test_making_an_organizer_asks_first(client, db):
    community, _ = setup_owner(client)
    ben = add_member(community, name="Ben Member")
    url = f"/c/northfield/manage/members/{ben.id}/promote"

    members_page = client.get("/c/northfield/manage/members").get_data(as_text=True)
    assert f'href="{url}?show=members"' in members_page
    unconfirmed = client.submit(url, {"show": "members"})
    assert unconfirmed.headers["Location"] == f"{url}?show=members"
    assert membership(community, ben.user).role == Role.MEMBER

    page = client.get(unconfirmed.headers["Location"]).get_data(as_text=True)
    assert "Make Ben Member an organizer of Northfield Alumni?" in page
    assert "Organizers see members' email addresses" in page
    assert '<input type="hidden" name="confirm" value="yes">' in page
    assert 'href="/c/northfield/manage/members?show=members">Cancel</a>' in page
    assert membership(community, ben.user).role == Role.MEMBER  # looking changes nothing

    done = client.submit(url, {"show": "members", "confirm": "yes"}, follow_redirects=True)
    assert "Ben Member is now an organizer." in done.get_data(as_text=True)
    assert membership(community, ben.user).role == Role.ORGANIZER


def test_an_organizer_cannot_act_on_an_owner(client, db):
    owner = create_user(email="owner@example.org", name="Olive Owner")
    community = create_community(owner)
    add_member(community, role=Role.ORGANIZER, email="org@example.org")
    owner_membership = membership(community, owner).id
    client.login("org@example.org")

    remove_page = client.get(f"/c/northfield/manage/members/{owner_membership}/remove")
    promote_page = client.get(f"/c/northfield/manage/members/{owner_membership}/promote")
    remove = client.submit(f"/c/northfield/manage/members/{owner_membership}/remove")
    demote = client.submit(f"/c/northfield/manage/members/{owner_membership}/demote", follow_redirects=True)

    assert remove_page.status_code == 403 and promote_page.status_code == 403
    assert remove.status_code == 403
    assert "Only an owner can change another owner" in demote.get_data(as_text=True)
    assert membership(community, owner).role == Role.OWNER
    members_page = client.get("/c/northfield/manage/members").get_data(as_text=True)
    assert f"/manage/members/{owner_membership}/remove" not in members_page


def test_organizers_can_act_on_other_organizers_but_not_themselves(client, db):
    community, _ = setup_owner(client)
    org = add_member(community, role=Role.ORGANIZER, email="org@example.org")
    other = add_member(community, role=Role.ORGANIZER, name="Other Organizer")
    client.logout()
    client.login("org@example.org")

    client.submit(f"/c/northfield/manage/members/{other.id}/demote")
    self_demote = client.submit(f"/c/northfield/manage/members/{org.id}/demote", follow_redirects=True)

    assert membership(community, other.user).role == Role.MEMBER
    assert "You can&#39;t change your own membership here." in self_demote.get_data(as_text=True)
    assert membership(community, org.user).role == Role.ORGANIZER


def test_handing_ownership_over(client, db):
    community, owner = setup_owner(client)
    heir = add_member(community, name="Hana Heir", email="hana@example.org")

    page = client.get("/c/northfield/manage/transfer").get_data(as_text=True)
    assert "Hana Heir (member)" in page
    unconfirmed = client.submit("/c/northfield/manage/transfer", {"new_owner": str(heir.id)})
    assert unconfirmed.status_code == 422
    assert "Tick the box to confirm." in unconfirmed.get_data(as_text=True)
    assert membership(community, heir.user).role == Role.MEMBER

    response = client.submit(
        "/c/northfield/manage/transfer", {"new_owner": str(heir.id), "confirm": "y"}, follow_redirects=True
    )

    assert "Hana Heir now owns Northfield Alumni. You are an organizer." in response.get_data(as_text=True)
    assert membership(community, heir.user).role == Role.OWNER
    assert membership(community, owner).role == Role.ORGANIZER
    assert audit_actions(community)[-1] == "ownership.transferred"
    [mail] = outbox_messages(kind="communities.ownership")
    assert mail.to_address == "hana@example.org"
    # The former owner may leave now, and no longer sees the owner-only screen.
    assert client.get("/c/northfield/manage/transfer").status_code == 403
    client.submit("/c/northfield/leave")
    assert membership(community, owner) is None


def test_ownership_cannot_go_to_someone_outside_or_pending(client, db):
    community, owner = setup_owner(client)
    pending = add_member(community, pending=True)
    elsewhere = add_member(create_community(slug="elsewhere", name="Elsewhere"))

    for target in (pending.id, elsewhere.id):
        response = client.submit("/c/northfield/manage/transfer", {"new_owner": str(target), "confirm": "y"})
        assert response.status_code == 422
    assert membership(community, owner).role == Role.OWNER


def test_settings_change_everything_but_the_slug(client, db):
    community, _ = setup_owner(client)
    png = image_file("PNG", (600, 600), mode="RGBA", color=(0, 0, 0, 0))

    response = client.submit(
        "/c/northfield/manage/settings",
        {
            **SETTINGS_FORM,
            "name": "Northfield Society",
            "join_policy": "approval",
            "directory_public": "y",
            "slug": "hijack",
            "logo": (BytesIO(png), "logo.png"),
        },
        content_type="multipart/form-data",
        follow_redirects=True,
    )

    assert "Settings saved." in response.get_data(as_text=True)
    db.session.expire_all()
    community = db.session.scalar(select(Community))
    assert (community.slug, community.name, community.join_policy) == (
        "northfield",
        "Northfield Society",
        JoinPolicy.APPROVAL,
    )
    assert community.directory_public
    assert community.join_question == "Which year did you graduate?"
    logo = opened(client.get("/c/northfield/logo").data)
    assert (logo.format, logo.size, logo.mode) == ("PNG", (512, 512), "RGBA")  # still transparent
    assert audit_actions(community)[-1] == "community.updated"

    client.submit("/c/northfield/manage/settings", {**SETTINGS_FORM, "remove_logo": "y"})
    assert client.get("/c/northfield/logo").status_code == 404


def test_bad_settings_change_nothing(client, db):
    setup_owner(client)
    response = client.submit("/c/northfield/manage/settings", {**SETTINGS_FORM, "name": "", "kind": "cult"})
    assert response.status_code == 422
    assert "Give the community a name." in response.get_data(as_text=True)
    _db.session.expire_all()
    assert _db.session.scalar(select(Community.name)) == "Northfield Alumni"


def test_every_organizer_action_appears_in_the_audit_log(client, db):
    community, _ = setup_owner(client)
    member = add_member(community, name="Mia Member")
    pending = add_member(community, pending=True, name="Pat Pending")
    declined = add_member(community, pending=True, name="Dee Declined")
    client.submit(f"/c/northfield/manage/members/{pending.id}/approve")
    client.submit(f"/c/northfield/manage/members/{declined.id}/decline")
    client.submit(f"/c/northfield/manage/members/{member.id}/promote", {"confirm": "yes"})
    client.submit(f"/c/northfield/manage/members/{member.id}/demote")
    client.submit(f"/c/northfield/manage/members/{member.id}/remove")
    client.submit("/c/northfield/manage/settings", {**SETTINGS_FORM, "tagline": "New tagline"})
    client.submit("/c/northfield/manage/invitations", {"emails": "ada@example.org"})
    client.submit("/c/northfield/manage/links", {"max_uses": "3"})

    page = client.get("/c/northfield/manage/audit").get_data(as_text=True)

    page = page.replace("&#39;", "'")
    said = [
        "Olive Owner started Northfield Alumni at ",
        "Olive Owner approved Pat Pending's request to join at ",
        "Olive Owner declined Dee Declined's request to join at ",
        "Olive Owner made Mia Member an organizer at ",
        "Olive Owner made Mia Member a member again at ",
        "Olive Owner removed Mia Member at ",
        "Olive Owner changed the settings: tagline",  # and whatever else SETTINGS_FORM changes
        "Olive Owner sent invitations: 1 invited by email at ",
        "Olive Owner created an invitation link at ",
    ]
    for sentence in said:
        assert f'<th scope="row">{sentence}' in page, sentence
    assert "member.promoted" not in page  # plain sentences, no codes
    assert "9 entries" in page  # the nine above (the factory adds requests to join without an entry)
    # Newest first.
    assert page.index(said[-1]) < page.index(said[0])


def test_the_overview_counts_what_needs_attention(client, db):
    community, _ = setup_owner(client)
    add_member(community)
    add_member(community, pending=True)
    client.submit("/c/northfield/manage/invitations", {"emails": "ada@example.org grace@example.org"})

    page = client.get("/c/northfield/manage").get_data(as_text=True)

    assert '<span class="stat__value">2</span><span class="stat__label">members</span>' in page
    assert '<span class="stat__value">1</span><span class="stat__label">requests to join</span>' in page
    assert '<span class="stat__value">2</span><span class="stat__label">pending invitations</span>' in page
    assert "/c/northfield/manage/import" in page
    assert "/c/northfield/manage/members.csv" in page
