"""Only site administrators reach /admin/: for anyone else every admin address is a 404,
whatever the method, and nothing changes."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from community.admin.models import AdminAuditEntry
from community.auth.models import User
from community.communities.models import Role
from tests.factories import create_community, create_membership, create_user


def admin_addresses(app, user_id: int, community_id: int) -> list[tuple[str, str]]:
    """Every admin route, with its methods, for real ids (so a 404 is the refusal, not a miss)."""
    values = {"user_id": user_id, "community_id": community_id, "message_id": 1}
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("admin."):
            with app.test_request_context():
                path = rule.build({name: values[name] for name in rule.arguments})[1]
            found += [(method, path) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return found


def test_the_admin_area_has_the_screens_the_lists_link_to(app):
    paths = {path for _, path in admin_addresses(app, 7, 8)}
    assert {"/admin/", "/admin/accounts", "/admin/accounts/7", "/admin/accounts/7/suspend",
            "/admin/accounts/7/restore", "/admin/communities", "/admin/communities/8",
            "/admin/communities/8/suspend", "/admin/communities/8/restore", "/admin/audit",
            "/admin/mail/1/retry", "/admin/mail/retry-all"} == paths  # fmt: skip


@pytest.mark.parametrize("who", ["visitor", "member", "organizer", "owner"])
def test_everyone_but_a_site_admin_gets_404_everywhere(app, client, db, who):
    community = create_community(create_user(name="Olive Owner", email="olive@example.org"))
    target = create_membership(community, name="Sam Spammer").user
    people = {
        "member": target,
        "organizer": create_membership(community, role=Role.ORGANIZER).user,
        "owner": db.session.scalar(select(User).where(User.email == "olive@example.org")),
    }
    if who != "visitor":
        client.login(people[who].email)

    for method, path in admin_addresses(app, target.id, community.id):
        data = {"reason": "because"} if method == "POST" else None
        response = client.submit(path, data) if method == "POST" else client.get(path)
        assert (method, path, response.status_code) == (method, path, 404)
    db.session.expire_all()
    assert db.session.get(User, target.id).suspended_at is None
    assert db.session.scalars(select(AdminAuditEntry)).all() == []


def test_a_site_admin_reaches_every_screen(app, client, db):
    admin = create_user(name="Ada Admin", admin=True)
    community = create_community(admin)
    client.login(admin.email)
    for method, path in admin_addresses(app, admin.id, community.id):
        if method == "GET":
            response = client.get(path)
            assert (path, response.status_code) == (path, 200)
            assert '<nav class="tabs" aria-label="Site administration">' in response.get_data(as_text=True)
