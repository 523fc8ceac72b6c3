"""Invitations one by one: resend (a new link and expiry, the email again, within the sending
limits) and withdraw (asks first; the emailed link then says it is no longer valid)."""

from __future__ import annotations

import html
import re
from datetime import timedelta

from sqlalchemy import select, update

from community.communities.models import Community, Invitation, JoinPolicy, Role
from community.core.models import utcnow
from community.extensions import db as _db
from tests.communities.community_helpers import add_member, audit_actions
from tests.conftest import link_in, outbox_messages
from tests.factories import create_community, create_user

INVITATIONS = "/c/northfield/manage/invitations"


def invited(client, *emails: str) -> Community:
    """Olive Owner's invitation-only community, with `emails` invited through the page."""
    owner = create_user(email="owner@example.org", name="Olive Owner")
    community = create_community(owner, policy=JoinPolicy.INVITATION, name="Inner Circle")
    client.login("owner@example.org")
    client.submit(INVITATIONS, {"emails": " ".join(emails)})
    return community


def invitation_of(email: str) -> Invitation:
    _db.session.expire_all()
    return _db.session.scalar(select(Invitation).where(Invitation.email == email))


def flashes(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_resending_emails_a_new_link_and_the_old_one_stops_working(client, db, app):
    invited(client, "ada@example.org")
    first_link = link_in(outbox_messages(kind="communities.invitation")[0], "/invite/")
    invitation = invitation_of("ada@example.org")
    _db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id)
        .values(expires_at=utcnow() + timedelta(days=2))
    )
    _db.session.commit()

    done = client.submit(f"{INVITATIONS}/{invitation.id}/resend", follow_redirects=True)

    assert "We emailed ada@example.org again, with a new link valid for 30 days." in flashes(done)
    mails = outbox_messages(kind="communities.invitation")
    assert [m.to_address for m in mails] == ["ada@example.org", "ada@example.org"]
    assert mails[1].subject == "Olive Owner invites you to join Inner Circle"
    new_link = link_in(mails[1], "/invite/")
    assert new_link != first_link
    renewed = invitation_of("ada@example.org").expires_at - utcnow()
    assert timedelta(days=29, hours=23) < renewed <= timedelta(days=30)
    old = client.get(first_link)
    assert old.status_code == 410
    assert "That invitation link is not valid: it was withdrawn, or replaced by a newer email." in flashes(
        old
    )
    assert client.get(new_link).status_code == 200
    assert audit_actions(invitation.community)[-1] == "invitation.resent"
    log = flashes(client.get("/c/northfield/manage/audit"))
    assert re.search(r"Olive Owner sent the invitation to ada@example.org again at \d\d:\d\d", log)


def test_resending_past_the_sending_limit_is_refused_and_changes_nothing(client, db, app):
    app.config["INVITATIONS_PER_ACCOUNT_PER_HOUR"] = 2
    invited(client, "ada@example.org", "bo@example.org")
    invitation = invitation_of("ada@example.org")
    token_hash, link = invitation.token_hash, link_in(outbox_messages(to="ada@example.org")[0], "/invite/")

    refused = client.submit(f"{INVITATIONS}/{invitation.id}/resend", follow_redirects=True)

    assert (
        "That would send 1 invitation emails, but you can send 0 more this hour (at most 2 an hour)."
        in flashes(refused)
    )
    assert len(outbox_messages(kind="communities.invitation")) == 2
    assert invitation_of("ada@example.org").token_hash == token_hash
    assert client.get(link).status_code == 200  # the link sent still works
    assert "invitation.resent" not in audit_actions(invitation.community)


def test_withdrawing_asks_first_then_the_link_says_it_is_no_longer_valid(client, db):
    community = invited(client, "ada@example.org", "bo@example.org")
    link = link_in(outbox_messages(to="ada@example.org")[0], "/invite/")
    invitation = invitation_of("ada@example.org")
    url = f"{INVITATIONS}/{invitation.id}/revoke"
    listing = client.get(INVITATIONS).get_data(as_text=True)
    assert (
        f'href="{url}">Withdraw…<span class="visually-hidden"> the invitation to ada@example.org</span>'
        in listing
    )

    asked = client.get(url)
    page = flashes(asked)
    assert "Withdraw the invitation to ada@example.org?" in page
    assert f'href="{INVITATIONS}#pending">Cancel</a>' in page
    assert invitation_of("ada@example.org") is not None  # looking changes nothing

    done = client.submit(url, follow_redirects=True)

    assert "The invitation to ada@example.org is withdrawn: its link no longer works." in flashes(done)
    assert invitation_of("ada@example.org") is None
    assert invitation_of("bo@example.org") is not None
    gone = client.get(link)
    assert gone.status_code == 410
    assert "That invitation link is not valid: it was withdrawn" in flashes(gone)
    assert len(outbox_messages(kind="communities.invitation")) == 2  # nobody emailed about it
    log = flashes(client.get("/c/northfield/manage/audit"))
    assert re.search(r"Olive Owner withdrew the invitation to ada@example.org at \d\d:\d\d", log)
    again = client.submit(INVITATIONS, {"emails": "ada@example.org"}, follow_redirects=True)
    assert "1 invited, 0 already members, 0 already invited." in flashes(again)
    assert audit_actions(community)[-2:] == ["invitation.revoked", "invitation.sent"]


def test_only_this_communitys_waiting_invitations_and_only_organizers(client, db):
    community = invited(client, "ada@example.org", "bo@example.org")
    ada, bo = invitation_of("ada@example.org"), invitation_of("bo@example.org")
    bo.accepted_at = utcnow()
    _db.session.commit()
    other = create_community(create_user(), slug="other", name="Other")
    add_member(other, create_user(email="other.owner@example.org"), role=Role.ORGANIZER)

    assert client.submit(f"{INVITATIONS}/{bo.id}/resend").status_code == 404  # already accepted
    assert client.get(f"{INVITATIONS}/{bo.id}/revoke").status_code == 404
    assert client.get(f"{INVITATIONS}/999999/revoke").status_code == 404
    client.logout()
    client.login("other.owner@example.org")
    assert client.submit(f"/c/other/manage/invitations/{ada.id}/resend").status_code == 404
    assert client.submit(f"/c/other/manage/invitations/{ada.id}/revoke").status_code == 404
    member = add_member(community, name="Mo Member").user
    client.logout()
    client.login(member.email)
    assert client.submit(f"{INVITATIONS}/{ada.id}/resend").status_code == 403
    assert client.submit(f"{INVITATIONS}/{ada.id}/revoke").status_code == 403
    assert invitation_of("ada@example.org") is not None
    assert len(outbox_messages(kind="communities.invitation")) == 2


def test_a_post_without_its_token_changes_nothing(client, db):
    invited(client, "ada@example.org")
    invitation = invitation_of("ada@example.org")

    resend = client.post(f"{INVITATIONS}/{invitation.id}/resend")
    revoke = client.post(f"{INVITATIONS}/{invitation.id}/revoke")

    assert resend.status_code == revoke.status_code == 400
    assert "The form had expired or came from another site." in flashes(revoke)
    assert invitation_of("ada@example.org") is not None
    assert len(outbox_messages(kind="communities.invitation")) == 1
