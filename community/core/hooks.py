"""Calls that a feature higher up asks for when something happens in a feature lower down.

Communities must not import members, yet a person who joins a community needs a profile. So
the members blueprint, when it is registered, asks to be told (`on_member_joined`), and the
communities services tell it (`member_joined`). The calls are plain functions, run at once,
in order of registration, inside the caller's transaction: a failing callback fails the join.

    hooks.on_member_joined(state.app, profile_for_member)  # members/routes.py
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, current_app

MEMBER_JOINED_KEY = "roundtable.on_member_joined"

#: fn(membership, *, profile_data): `profile_data` is None, or, when a person first accepts an
#: emailed invitation, the profile fields it carried (a dict, perhaps empty). Accept **data
#: beyond those named, so that a new keyword does not break older callbacks.
MemberJoined = Callable[..., None]


def on_member_joined(app: Flask, fn: MemberJoined) -> None:
    """Call `fn` each time someone's membership is made active, or confirmed active again."""
    app.extensions.setdefault(MEMBER_JOINED_KEY, []).append(fn)


def member_joined(membership: Any, **data: Any) -> None:
    """Run every callback registered with `on_member_joined`, now, in this transaction."""
    for fn in current_app.extensions.get(MEMBER_JOINED_KEY, ()):
        fn(membership, **data)
