"""Ana's busy week for the digest tests: connections (one just began to fade), events, new
members, an introduction waiting for her and a goal; and opting in to digests."""

from __future__ import annotations

from datetime import timedelta

import pytest

from community.core.models import utcnow
from community.engagement import digests
from community.engagement.models import DigestFrequency, Goal, GoalKind, GoalPeriod
from community.engagement.periods import months_before
from community.events.models import EventVisibility
from community.extensions import db
from community.introductions.models import Introduction, IntroductionStatus
from community.members.models import Profile
from tests.conftest import outbox_messages
from tests.factories import create_membership

WEEKLY = DigestFrequency.WEEKLY


def profile(user, **fields) -> Profile:
    row = db.session.get(Profile, user.id) or Profile(user_id=user.id)
    for name, value in fields.items():
        setattr(row, name, value)
    db.session.add(row)
    return row


def opt_in(user, frequency=WEEKLY, *, seen_days_ago: int = 3):
    now = utcnow()
    digests.set_frequency(user.id, frequency, now - timedelta(days=30))
    user.last_seen_at = now - timedelta(days=seen_days_ago)
    db.session.commit()


def digest_to(email: str) -> list:
    return outbox_messages(kind="engagement.digest", to=email)


@pytest.fixture(name="busy")
def busy_fixture(circle):
    """Ana's week: three connections (one just began to fade), events, new members, an
    introduction waiting for her, a goal."""
    c, now = circle, utcnow()
    c.connect(c.ana, c.bo, now - timedelta(days=20))
    c.connect(c.ana, c.cy, now - timedelta(days=40))
    c.connect(c.ana, c.dee, months_before(now, 6) - timedelta(days=1))  # faded two days ago
    profile(c.ana, looking_for=["PM career advice"], can_help_with=["Fundraising"])
    day = lambda n: (now + timedelta(days=n)).date()  # noqa: E731
    roundtable = c.event(day(5), c.bo, c.cy, title="March roundtable")
    c.event(day(3), title="Book club")
    c.event(day(2), c.bo, title="Secret supper", visibility=EventVisibility.UNLISTED)
    c.event(day(20), c.bo, title="Summer party")  # beyond two weeks
    members = c.event(day(4), c.cy, title="Members' dinner", visibility=EventVisibility.MEMBERS)
    greta = create_membership(c.community, email="greta@example.org", name="Greta Guide").user
    profile(greta, can_help_with=["pm career advice"])
    hank = create_membership(c.community, email="hank@example.org", name="Hank Hidden").user
    profile(hank, can_help_with=["PM career advice"], visibility={"can_help_with": "nobody"})
    ivo = create_membership(c.community, email="ivo@example.org", name="Ivo Investor").user
    profile(ivo, looking_for=["Fundraising"])
    create_membership(c.community, email="jo@example.org", name="Jo Nomatch")
    db.session.add(
        Introduction(
            community_id=c.community.id,
            asker_id=greta.id,
            recipient_id=c.ana.id,
            note="Coffee?",
            status=IntroductionStatus.PENDING,
            asker_accepted_at=now,
            expires_at=now + timedelta(days=14),
        )
    )
    db.session.add(Goal(user_id=c.ana.id, kind=GoalKind.ATTEND_EVENTS, target=2, period=GoalPeriod.MONTH))
    db.session.commit()
    opt_in(c.ana)
    return c, roundtable, members
