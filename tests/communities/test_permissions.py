"""Who may open each organizer screen: one table of URLs, every role.

anonymous -> log in first; outsider and pending -> 404 (the screen does not exist for them);
member -> 403; organizer and owner -> the screen (owner-only screens: 403 for organizers).
Other features add their organizer screens to ORGANIZER_SCREENS.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote

import pytest

from community.communities.invitations import create_link
from community.communities.models import Role
from tests.communities.community_helpers import SETTINGS_FORM, add_member
from tests.factories import create_community, create_user


@dataclass(frozen=True)
class Screen:
    method: str
    #: Formatted with slug, member (a member's membership id), pending (a request's id), link.
    path: str
    ok: int = 200
    owner_only: bool = False
    data: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


ORGANIZER_SCREENS = [
    Screen("GET", "/c/{slug}/manage"),
    Screen("GET", "/c/{slug}/manage/members"),
    Screen("GET", "/c/{slug}/manage/members?show=pending"),
    Screen("POST", "/c/{slug}/manage/members/{pending}/approve", ok=302),
    Screen("POST", "/c/{slug}/manage/members/{pending}/decline", ok=302),
    Screen("GET", "/c/{slug}/manage/members/{member}/promote"),
    Screen("POST", "/c/{slug}/manage/members/{member}/promote", ok=302),
    Screen("POST", "/c/{slug}/manage/members/{member}/promote", ok=302, data={"confirm": "yes"}),
    Screen("POST", "/c/{slug}/manage/members/{organizer}/demote", ok=302),
    Screen("GET", "/c/{slug}/manage/members/{member}/remove"),
    Screen("POST", "/c/{slug}/manage/members/{member}/remove", ok=302),
    Screen("GET", "/c/{slug}/manage/settings"),
    Screen("POST", "/c/{slug}/manage/settings", ok=302, data=SETTINGS_FORM),
    Screen("GET", "/c/{slug}/manage/invitations"),
    Screen("POST", "/c/{slug}/manage/invitations", ok=302, data={"emails": "new@example.org"}),
    Screen("POST", "/c/{slug}/manage/links", ok=302, data={"max_uses": "5"}),
    Screen("POST", "/c/{slug}/manage/links/{link}/revoke", ok=302),
    Screen("GET", "/c/{slug}/manage/transfer", owner_only=True),
    Screen("POST", "/c/{slug}/manage/transfer", ok=302, owner_only=True, data={"confirm": "y"}),
    Screen("GET", "/c/{slug}/manage/audit"),
]

ROLES = ["anonymous", "outsider", "pending", "member", "organizer", "owner"]


def expected_status(screen: Screen, role: str) -> int:
    if role == "anonymous":
        return 302
    if role in ("outsider", "pending"):
        return 404
    if role == "member" or (screen.owner_only and role == "organizer"):
        return 403
    return screen.ok


@pytest.fixture
def world(db):
    owner = create_user(name="Olive Owner")
    community = create_community(owner)
    people = {"owner": owner}
    for role in ("outsider", "pending", "member", "organizer"):
        people[role] = create_user(name=f"The {role}")
    add_member(community, people["pending"], pending=True)
    add_member(community, people["member"])
    add_member(community, people["organizer"], role=Role.ORGANIZER)
    ids = {
        "slug": community.slug,
        "member": add_member(community, name="Target Member").id,
        "organizer": add_member(community, role=Role.ORGANIZER, name="Target Organizer").id,
        "pending": add_member(community, pending=True, name="Target Pending").id,
        "link": create_link(community, owner, expires_at=None, max_uses=None).id,
    }
    db.session.commit()
    return people, ids


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("screen", ORGANIZER_SCREENS, ids=str)
def test_organizer_screens_answer_each_role(client, world, screen, role):
    people, ids = world
    url = screen.path.format(**ids)
    if role != "anonymous":
        client.login(people[role].email)
    data = dict(screen.data)
    if "/transfer" in url and screen.method == "POST":
        data["new_owner"] = str(ids["member"])

    if screen.method == "GET":
        response = client.get(url)
    else:
        response = client.submit(url, data)

    expected = expected_status(screen, role)
    assert response.status_code == expected, (str(screen), role, response.get_data(as_text=True)[:500])
    if role == "anonymous":
        assert response.headers["Location"].startswith("/login?next=" + quote(url.split("?")[0], safe=""))


def test_an_unknown_community_is_404_for_everyone(client, db):
    create_user(email="someone@example.org")
    assert client.get("/c/nowhere/manage").status_code == 404
    client.login("someone@example.org")
    assert client.get("/c/nowhere/manage/members").status_code == 404
