"""Who may see the site administration."""

from __future__ import annotations

from community.auth.models import User


def can_administer_site(user: User) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_admin)
