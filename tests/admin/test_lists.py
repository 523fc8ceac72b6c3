"""The admin lists: accounts and communities searched and paginated, with their status and the
links between them; the admin audit log in sentences, newest first."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import insert

from community.admin.models import AdminAuditEntry
from community.auth.models import User
from community.communities.models import Role
from community.core.models import utcnow
from community.extensions import db
from tests.factories import create_community, create_membership, create_user


@pytest.fixture
def admin(db):
    return create_user(email="ada@example.org", name="Ada Admin", admin=True)


def names_in(page: str, names: list[str]) -> list[str]:
    return [name for name in names if f">{name}</a>" in page]


def test_accounts_are_searched_by_name_or_email_and_filtered_by_status(client, admin):
    create_user(name="Greta Adeyemi", email="greta@example.org")
    create_user(name="Tom Baker", email="tb@greta-mail.example")
    sam = create_user(name="Sam <b>Spammer</b>", email="sam@example.org")
    sam.suspended_at, sam.suspension_reason = utcnow(), "spam"
    db.session.commit()
    client.login(admin.email)
    everyone = ["Ada Admin", "Greta Adeyemi", "Tom Baker", "Sam &lt;b&gt;Spammer&lt;/b&gt;"]

    page = client.get("/admin/accounts?q=GRETA").get_data(as_text=True)
    assert names_in(page, everyone) == ["Greta Adeyemi", "Tom Baker"]
    assert "2 accounts matching “GRETA”" in page
    suspended = client.get("/admin/accounts?status=suspended").get_data(as_text=True)
    assert names_in(suspended, everyone) == ["Sam &lt;b&gt;Spammer&lt;/b&gt;"]
    assert '<span class="badge badge--danger">Suspended</span>' in suspended
    # Nonsense is no filter, and a LIKE wildcard is a plain character.
    assert len(names_in(client.get("/admin/accounts?status=bogus").get_data(as_text=True), everyone)) == 4
    assert "0 accounts matching “%”" in client.get("/admin/accounts?q=%25").get_data(as_text=True)


def test_accounts_are_paginated_by_name_keeping_the_search(client, admin):
    db.session.execute(
        insert(User),
        [dict(email=f"m{n:02}@example.org", name=f"Member {n:02}", password_hash="!") for n in range(1, 31)],
    )
    db.session.commit()
    client.login(admin.email)

    first = client.get("/admin/accounts?q=member").get_data(as_text=True)
    second = client.get("/admin/accounts?q=member&page=2").get_data(as_text=True)

    assert "30 accounts matching “member”" in first
    assert first.count('<th scope="row">') == 25 and "Member 25" in first and "Member 26" not in first
    assert second.count('<th scope="row">') == 5 and "Member 26" in second and "Member 30" in second
    assert 'href="/admin/accounts?page=2&amp;q=member" rel="next"' in first
    assert client.get("/admin/accounts?page=9999999").status_code == 404


def test_an_account_lists_its_communities_and_a_community_its_organizers(client, admin):
    owner = create_user(name="Olive Owner")
    community = create_community(owner)
    other = create_community(owner, slug="quiet-club", name="Quiet Club")
    greta = create_membership(community, role=Role.ORGANIZER, name="Greta Adeyemi").user
    create_membership(other, greta)
    client.login(admin.email)

    account = client.get(f"/admin/accounts/{greta.id}").get_data(as_text=True)
    assert f'<a href="/admin/communities/{community.id}">Northfield Alumni</a>' in account
    assert f'<a href="/admin/communities/{other.id}">Quiet Club</a>' in account
    assert '<td data-label="Role">Organizer</td>' in account
    organizers = client.get(f"/admin/communities/{community.id}").get_data(as_text=True)
    assert f'<a href="/admin/accounts/{owner.id}">Olive Owner</a>' in organizers
    assert f'<a href="/admin/accounts/{greta.id}">Greta Adeyemi</a>' in organizers
    listed = client.get("/admin/communities?q=QUIET").get_data(as_text=True)
    assert "1 community matching “QUIET”" in listed and "<code>/c/quiet-club</code>" in listed
    assert '<td data-label="Members">2</td>' in listed  # the owner and Greta


def test_the_audit_log_reads_as_sentences_newest_first(client, admin):
    sam = create_user(name="Sam Spammer")
    community = create_community(create_user(name="Olive Owner"))
    now = utcnow()
    rows = [
        ("user.suspended", sam.id, None, "Sent spam", "", 50),
        ("community.suspended", None, community.id, "Fake tickets", "", 40),
        ("mail.retried", None, None, "", "“Reset your password” to a@example.org", 30),
        ("mail.retried-all", None, None, "", "3", 20),
        ("user.restored", sam.id, None, "", "", 10),
    ]
    db.session.execute(
        insert(AdminAuditEntry),
        [
            dict(actor_id=admin.id, action=action, subject_user_id=user_id, community_id=community_id,
                 reason=reason, detail=detail, created_at=now - timedelta(minutes=ago))
            for action, user_id, community_id, reason, detail, ago in rows
        ],
    )  # fmt: skip
    db.session.commit()
    client.login(admin.email)

    page = client.get("/admin/audit").get_data(as_text=True)

    said = [
        "Ada Admin restored Sam Spammer’s account.",
        "Ada Admin retried all 3 failed emails.",
        "Ada Admin retried the failed email “Reset your password” to a@example.org.",
        "Ada Admin suspended Northfield Alumni.",
        "Ada Admin suspended Sam Spammer’s account.",
    ]
    assert [page.index(sentence) for sentence in said] == sorted(page.index(sentence) for sentence in said)
    assert '<td data-label="Reason">Fake tickets</td>' in page
    assert "5 entries" in page
