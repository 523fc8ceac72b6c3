"""Inviting by email (one or many, pasted) and by shareable links with an expiry and a use limit."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from community.communities.models import Invitation, InviteLink, JoinPolicy, MembershipStatus
from community.core.models import utcnow
from tests.communities.community_helpers import add_member, audit_actions, membership
from tests.conftest import link_in, outbox_messages
from tests.factories import create_community, create_user


def organizer_client(client, policy=JoinPolicy.INVITATION):
    owner = create_user(email="owner@example.org", name="Olive Owner")
    community = create_community(owner, policy=policy, name="Inner Circle")
    client.login("owner@example.org")
    return community


def test_pasted_emails_are_invited_once_each(client, db):
    community = organizer_client(client)
    add_member(community, email="already@example.org")

    response = client.submit(
        "/c/northfield/manage/invitations",
        {
            "emails": "ada@example.org, Grace@Example.org;\nalready@example.org ada@example.org",
            "cohort": "2014",
        },
        follow_redirects=True,
    )

    assert "2 invited, 1 already members, 0 already invited." in response.get_data(as_text=True)
    mails = outbox_messages(kind="communities.invitation")
    assert sorted(m.to_address for m in mails) == ["ada@example.org", "grace@example.org"]
    assert "Olive Owner invites you to join Inner Circle" in mails[0].subject
    again = client.submit(
        "/c/northfield/manage/invitations", {"emails": "ada@example.org"}, follow_redirects=True
    )
    assert "0 invited, 0 already members, 1 already invited." in again.get_data(as_text=True)
    assert audit_actions(community)[-1] == "invitation.sent"
    assert "ada@example.org" in client.get("/c/northfield/manage/invitations").get_data(as_text=True)


def test_one_invalid_address_sends_nothing(client, db):
    organizer_client(client)

    response = client.submit(
        "/c/northfield/manage/invitations", {"emails": "ada@example.org\nnot-an-address\ngrace@example.org"}
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "This doesn&#39;t look like an email address: not-an-address. Nothing was sent" in page
    assert outbox_messages() == []
    assert db.session.scalar(select(Invitation)) is None


def test_an_emailed_invitation_is_accepted_by_a_logged_in_person(client, db):
    community = organizer_client(client)
    client.submit(
        "/c/northfield/manage/invitations", {"emails": "ada@example.org", "cohort": "Class of 2014"}
    )
    link = link_in(outbox_messages(kind="communities.invitation")[0], "/invite/")
    client.logout()
    ada = create_user(email="ada@example.org", name="Ada Lovelace")

    visitor_page = client.get(link).get_data(as_text=True)
    assert "Olive Owner</strong> invites you to join" in visitor_page
    assert f"/login?next={link}" in visitor_page
    assert f"/signup?next={link}" in visitor_page

    client.login("ada@example.org")
    response = client.submit(link, follow_redirects=True)

    assert "Welcome to Inner Circle! You&#39;re a member now." in response.get_data(as_text=True)
    joined = membership(community, ada)
    assert joined.status == MembershipStatus.ACTIVE
    assert joined.cohort == "Class of 2014"


def test_signing_up_from_an_invitation_comes_back_to_it(client, db):
    organizer_client(client)
    client.submit("/c/northfield/manage/invitations", {"emails": "ada@example.org"})
    link = link_in(outbox_messages(kind="communities.invitation")[0], "/invite/")
    client.logout()

    client.submit(
        f"/signup?next={link}",
        {"name": "Ada Lovelace", "email": "ada@example.org", "password": "a long enough secret"},
    )
    verify = link_in(outbox_messages(kind="auth.verify-email")[0], "/verify/")
    response = client.get(verify)

    assert response.status_code == 302
    assert response.headers["Location"] == link


def test_an_expired_invitation_gets_a_friendly_page(client, db):
    community = organizer_client(client)
    client.submit("/c/northfield/manage/invitations", {"emails": "ada@example.org"})
    link = link_in(outbox_messages(kind="communities.invitation")[0], "/invite/")
    invitation = db.session.scalar(select(Invitation))
    invitation.expires_at = utcnow() - timedelta(days=1)
    db.session.commit()
    client.logout()
    ada = create_user(email="ada@example.org")
    client.login("ada@example.org")

    page = client.get(link)
    posted = client.submit(link)

    assert page.status_code == 410
    assert "That invitation has expired. Ask an organizer to invite you again." in page.get_data(as_text=True)
    assert posted.status_code == 410
    assert membership(community, ada) is None


def test_a_used_invitation_cannot_be_used_by_another_account(client, db):
    community = organizer_client(client)
    client.submit("/c/northfield/manage/invitations", {"emails": "ada@example.org"})
    link = link_in(outbox_messages(kind="communities.invitation")[0], "/invite/")
    client.logout()
    create_user(email="ada@example.org")
    other = create_user(email="mallory@example.org")
    client.login("ada@example.org")
    client.submit(link)
    client.logout()
    client.login("mallory@example.org")

    response = client.submit(link)

    assert response.status_code == 410
    assert "That invitation has already been used." in response.get_data(as_text=True)
    assert membership(community, other) is None


def test_a_made_up_invitation_token_gets_a_friendly_page(logged_in, db):
    create_community()
    response = logged_in.get("/c/northfield/invite/not-a-real-token")
    assert response.status_code == 410
    assert "That invitation link is not valid" in response.get_data(as_text=True)


def test_a_shareable_link_respects_its_use_limit(client, db):
    community = organizer_client(client)
    client.submit("/c/northfield/manage/links", {"max_uses": "2", "expires_in_days": "7"})
    link = db.session.scalar(select(InviteLink))
    page = client.get("/c/northfield/manage/invitations").get_data(as_text=True)
    assert f"/c/northfield/join/{link.token}" in page
    assert "0 of 2 uses" in page
    people = [create_user(email=f"p{n}@example.org") for n in range(3)]
    client.logout()

    statuses = []
    for person in people:
        client.login(person.email)
        statuses.append(client.submit(f"/c/northfield/join/{link.token}").status_code)
        client.logout()

    assert statuses == [302, 302, 410]
    assert [membership(community, p) is not None for p in people] == [True, True, False]
    db.session.refresh(link)
    assert link.uses == 2
    client.login("owner@example.org")
    assert "2 of 2 uses" in client.get("/c/northfield/manage/invitations").get_data(as_text=True)


def test_an_expired_or_revoked_link_is_refused(client, db):
    community = organizer_client(client)
    client.submit("/c/northfield/manage/links", {})
    client.submit("/c/northfield/manage/links", {})
    expired, revoked = db.session.scalars(select(InviteLink).order_by(InviteLink.id)).all()
    expired.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    client.submit(f"/c/northfield/manage/links/{revoked.id}/revoke")
    person = create_user(email="late@example.org")
    client.logout()
    client.login("late@example.org")

    first = client.submit(f"/c/northfield/join/{expired.token}")
    second = client.get(f"/c/northfield/join/{revoked.token}")

    assert first.status_code == 410
    assert "That invitation link has expired." in first.get_data(as_text=True)
    assert second.status_code == 410
    assert "not valid any more" in second.get_data(as_text=True)
    assert membership(community, person) is None
    assert audit_actions(community)[-1] == "invite_link.revoked"


def test_link_limits_are_validated(client, db):
    organizer_client(client)
    response = client.submit("/c/northfield/manage/links", {"max_uses": "0", "expires_in_days": "999"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Between 1 and 10,000, or blank for no limit." in page
    assert "Between 1 and 365 days, or blank for no expiry." in page
    assert db.session.scalar(select(InviteLink)) is None
