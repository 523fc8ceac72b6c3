"""The event page's permission predicates, on their own (no database needed)."""

from __future__ import annotations

import pytest

from community.communities.models import Membership, MembershipStatus, Role
from community.events.models import Event, EventStatus, EventVisibility
from community.events.permissions import can_view_event, has_structured_data, is_indexable, is_listed
from community.rsvps.models import RSVP, RSVPStatus
from community.rsvps.permissions import can_rsvp, can_see_attendees, can_see_online_link

OUTSIDER = None
PENDING = Membership(role=Role.MEMBER, status=MembershipStatus.PENDING)
MEMBER = Membership(role=Role.MEMBER, status=MembershipStatus.ACTIVE)
ORGANIZER = Membership(role=Role.ORGANIZER, status=MembershipStatus.ACTIVE)
VIEWERS = [OUTSIDER, PENDING, MEMBER, ORGANIZER]


def event(status=EventStatus.PUBLISHED, visibility=EventVisibility.PUBLIC, **fields) -> Event:
    return Event(status=status, visibility=visibility, **fields)


@pytest.mark.parametrize(
    ("status", "visibility", "expected"),
    [
        (EventStatus.PUBLISHED, EventVisibility.PUBLIC, [True, True, True, True]),
        (EventStatus.PUBLISHED, EventVisibility.UNLISTED, [True, True, True, True]),
        (EventStatus.PUBLISHED, EventVisibility.MEMBERS, [False, False, True, True]),
        (EventStatus.CANCELLED, EventVisibility.PUBLIC, [True, True, True, True]),
        (EventStatus.CANCELLED, EventVisibility.MEMBERS, [False, False, True, True]),
        (EventStatus.DRAFT, EventVisibility.PUBLIC, [False, False, False, True]),
        (EventStatus.DRAFT, EventVisibility.MEMBERS, [False, False, False, True]),
    ],
)
def test_who_may_view_an_event(status, visibility, expected):
    subject = event(status, visibility)
    assert [can_view_event(subject, viewer) for viewer in VIEWERS] == expected
    assert [can_rsvp(subject, viewer) for viewer in VIEWERS] == expected


def test_lists_never_show_drafts_or_unlisted_events():
    assert [is_listed(event(), v) for v in VIEWERS] == [True, True, True, True]
    assert [is_listed(event(visibility=EventVisibility.MEMBERS), v) for v in VIEWERS] == [
        False,
        False,
        True,
        True,
    ]
    assert not any(is_listed(event(visibility=EventVisibility.UNLISTED), v) for v in VIEWERS)
    assert not any(is_listed(event(status=EventStatus.DRAFT), v) for v in VIEWERS)


def test_attendee_names_are_for_members_unless_the_organizer_opens_them():
    closed, opened = event(attendee_list_public=False), event(attendee_list_public=True)
    assert [can_see_attendees(closed, v) for v in VIEWERS] == [False, False, True, True]
    assert all(can_see_attendees(opened, v) for v in VIEWERS)


@pytest.mark.parametrize(
    ("status", "membership", "expected"),
    [
        (None, MEMBER, False),
        (RSVPStatus.WAITLISTED, MEMBER, False),
        (RSVPStatus.OFFERED, MEMBER, False),
        (RSVPStatus.PENDING, MEMBER, False),
        (RSVPStatus.GOING, OUTSIDER, True),
        (RSVPStatus.GOING, MEMBER, True),
        (None, ORGANIZER, True),
    ],
)
def test_the_online_link_is_for_people_going_and_organizers(status, membership, expected):
    online = event(online_url="https://meet.example.org/room")
    rsvp = RSVP(status=status) if status else None
    assert can_see_online_link(online, membership, rsvp) is expected
    assert can_see_online_link(event(online_url=""), ORGANIZER, rsvp) is False


def test_shared_data_for_public_and_unlisted_pages_only():
    assert has_structured_data(event()) and is_indexable(event())
    assert has_structured_data(event(visibility=EventVisibility.UNLISTED))
    assert not is_indexable(event(visibility=EventVisibility.UNLISTED))
    assert not has_structured_data(event(visibility=EventVisibility.MEMBERS))
    assert not has_structured_data(event(status=EventStatus.DRAFT))
    assert has_structured_data(event(status=EventStatus.CANCELLED))
