"""Joining by each policy, asking to join, and leaving."""

from __future__ import annotations

from community.communities.models import JoinPolicy, MembershipStatus, Role
from tests.communities.community_helpers import add_member, audit_actions, membership
from tests.conftest import link_in, outbox_messages
from tests.factories import create_community, create_user


def test_anyone_signed_in_joins_an_open_community_at_once(logged_in, user, db):
    community = create_community()

    response = logged_in.submit("/c/northfield/join", follow_redirects=True)

    page = response.get_data(as_text=True)
    assert "Welcome to Northfield Alumni!" in page
    assert "You're a member" in page
    assert membership(community, user).status == MembershipStatus.ACTIVE
    assert audit_actions(community)[-1] == "member.joined"


def test_visitors_are_asked_to_log_in_or_sign_up_first(client, db):
    create_community()
    page = client.get("/c/northfield").get_data(as_text=True)
    assert "Log in to join" in page
    assert "/login?next=/c/northfield" in page
    assert "/signup?next=/c/northfield" in page


def test_asking_to_join_then_being_approved(client, db):
    owner = create_user(email="owner@example.org", name="Olive Owner")
    community = create_community(owner, policy=JoinPolicy.APPROVAL, name="Quiet Club")
    add_member(community, role=Role.ORGANIZER, email="org@example.org", name="Oscar Organizer")
    applicant = create_user(email="amara@example.org", name="Amara Diallo")
    client.login("amara@example.org")

    page = client.get("/c/northfield").get_data(as_text=True)
    assert "Ask to join" in page
    assert "Tell us who you are" in client.get("/c/northfield/join/request").get_data(as_text=True)
    response = client.submit("/c/northfield/join/request", {"answer": "Class of 2009, <b>history</b>"})

    assert response.status_code == 302
    assert membership(community, applicant).status == MembershipStatus.PENDING
    assert membership(community, applicant).join_answer == "Class of 2009, <b>history</b>"
    notices = outbox_messages(kind="communities.join-request")
    assert sorted(m.to_address for m in notices) == ["org@example.org", "owner@example.org"]
    assert "Amara Diallo asks to join Quiet Club" in notices[0].subject
    assert "Class of 2009" in notices[0].body_text
    page = client.get("/c/northfield").get_data(as_text=True)
    assert "Your request is waiting for an organizer" in page

    client.logout()
    client.login("org@example.org")
    link = link_in(notices[0], "/manage/members")
    review = client.get(link).get_data(as_text=True)
    assert "Class of 2009, &lt;b&gt;history&lt;/b&gt;" in review
    pending_id = membership(community, applicant).id
    response = client.submit(f"/c/northfield/manage/members/{pending_id}/approve", follow_redirects=True)

    assert "Amara Diallo is now a member" in response.get_data(as_text=True)
    assert membership(community, applicant).status == MembershipStatus.ACTIVE
    [welcome] = outbox_messages(kind="communities.request-approved")
    assert welcome.to_address == "amara@example.org"
    assert "approved your request" in welcome.body_text
    assert audit_actions(community)[-2:] == ["member.requested", "member.approved"]


def test_a_declined_request_is_removed_and_the_person_told(client, db):
    owner = create_user(email="owner@example.org")
    community = create_community(owner, policy=JoinPolicy.APPROVAL)
    pending = add_member(community, pending=True, email="amara@example.org")
    client.login("owner@example.org")

    response = client.submit(f"/c/northfield/manage/members/{pending.id}/decline", follow_redirects=True)

    assert "You declined" in response.get_data(as_text=True)
    assert membership(community, pending.user) is None
    [mail] = outbox_messages(kind="communities.request-declined")
    assert mail.to_address == "amara@example.org"
    assert audit_actions(community)[-1] == "member.declined"


def test_an_answer_is_required_and_limited(logged_in, user, db):
    community = create_community(policy=JoinPolicy.APPROVAL)

    empty = logged_in.submit("/c/northfield/join/request", {"answer": "   "})
    long = logged_in.submit("/c/northfield/join/request", {"answer": "x" * 1001})

    assert empty.status_code == 422
    assert "Please answer the question." in empty.get_data(as_text=True)
    assert long.status_code == 422
    assert "Please keep it under 1000 characters." in long.get_data(as_text=True)
    assert membership(community, user) is None
    assert outbox_messages() == []


def test_joining_an_invitation_only_community_without_an_invitation_is_refused(logged_in, user, db):
    community = create_community(policy=JoinPolicy.INVITATION, name="Inner Circle")

    home = logged_in.get("/c/northfield").get_data(as_text=True)
    response = logged_in.submit("/c/northfield/join", follow_redirects=True)
    asked = logged_in.get("/c/northfield/join/request", follow_redirects=True)

    assert "By invitation only." in home
    assert "Inner Circle is by invitation only." in response.get_data(as_text=True)
    assert "Inner Circle is by invitation only." in asked.get_data(as_text=True)
    assert membership(community, user) is None


def test_a_member_leaves_after_confirming(logged_in, user, db):
    community = create_community()
    add_member(community, user)

    confirm = logged_in.get("/c/northfield/leave")
    assert confirm.status_code == 200
    assert "Leave Northfield Alumni?" in confirm.get_data(as_text=True)
    assert membership(community, user) is not None  # a GET changes nothing

    response = logged_in.submit("/c/northfield/leave", follow_redirects=True)
    assert "You have left Northfield Alumni." in response.get_data(as_text=True)
    assert membership(community, user) is None
    assert audit_actions(community)[-1] == "member.left"


def test_the_last_owner_cannot_leave(logged_in, user, db):
    community = create_community(user)

    page = logged_in.get("/c/northfield/leave").get_data(as_text=True)
    response = logged_in.submit("/c/northfield/leave", follow_redirects=True)

    assert "You are the only owner" in page
    assert "hand ownership over" in response.get_data(as_text=True)
    assert membership(community, user).role == Role.OWNER


def test_a_pending_request_can_be_withdrawn(logged_in, user, db):
    community = create_community(policy=JoinPolicy.APPROVAL)
    add_member(community, user, pending=True)

    assert "Withdraw your request?" in logged_in.get("/c/northfield/leave").get_data(as_text=True)
    logged_in.submit("/c/northfield/leave")
    assert membership(community, user) is None
