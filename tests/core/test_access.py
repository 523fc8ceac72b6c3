"""The one rule for pages a viewer may not see (community/core/access.py), on its own."""

from __future__ import annotations

import pytest

from community.core.access import Answer, Disclosure, Prompt, decide, heading

SHOW, LOG_IN, FORBIDDEN, NOT_FOUND = Answer.SHOW, Answer.LOG_IN, Answer.FORBIDDEN, Answer.NOT_FOUND


@pytest.mark.parametrize(
    ("disclosure", "visitor", "signed_in"),
    [
        (Disclosure.EXISTS, LOG_IN, FORBIDDEN),  # a members-only event: log in, then join
        (Disclosure.LOGIN_ONLY, LOG_IN, NOT_FOUND),  # a hidden profile: as if there were none
        (Disclosure.NOTHING, NOT_FOUND, NOT_FOUND),  # a draft
    ],
)
def test_who_is_refused_how(disclosure, visitor, signed_in):
    assert decide(False, signed_in=False, disclosure=disclosure) is visitor
    assert decide(False, signed_in=True, disclosure=disclosure) is signed_in
    assert decide(True, signed_in=False, disclosure=disclosure) is SHOW
    assert decide(True, signed_in=True, disclosure=disclosure) is SHOW


def test_the_heading_says_what_to_do():
    event = Prompt(what="this event", detail="", community_name="Northfield")
    assert heading(LOG_IN, event) == "Log in to see this event"
    assert heading(FORBIDDEN, event) == "Join Northfield to see this event"
    waiting = Prompt(what="this event", detail="", community_name="Northfield", pending=True)
    assert heading(FORBIDDEN, waiting) == "Your request to join Northfield is waiting"
    assert heading(LOG_IN, waiting) == "Log in to see this event"
    assert heading(FORBIDDEN, Prompt(what="this page", detail="")) == "You don't have access to this page"
