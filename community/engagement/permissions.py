"""Who may change what: a goal is its owner's alone."""

from __future__ import annotations

from community.auth.models import User
from community.engagement.models import Goal


def can_change_goal(user: User | None, goal: Goal) -> bool:
    return user is not None and user.is_authenticated and goal.user_id == user.id
