"""A small but complete community to fuzz in, built with the services the other tests use.

Everything a form can act on is there once: an owner, a member, someone waiting for approval,
an outsider with an emailed invitation, a site administrator with a failed email, an event
with a capacity, questions, guests and a waitlist, a draft, a weekly series, an invite link,
an import waiting for its columns, a calendar feed and a password-reset link.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time, timedelta

from flask import Flask
from sqlalchemy import select

from community.auth.services import request_password_reset
from community.communities.import_csv import parse_csv
from community.communities.imports import create_batch
from community.communities.invitations import Invitee, create_link, invite
from community.communities.models import Invitation, JoinPolicy
from community.core.mail.models import OutboxStatus
from community.core.mail.unsubscribe import sign, unsubscribe_token
from community.core.models import utcnow
from community.engagement import digests
from community.events.models import EventKind
from community.events.services import Question, Recurrence, create_series
from community.extensions import db
from community.feeds.tokens import regenerate
from community.introductions import followup as introduction_followup
from community.introductions import optins as introduction_optins
from community.introductions import requests as introduction_requests
from community.rsvps.checkin import token_for
from community.rsvps.models import RSVPStatus
from community.tables.services import Settings as TableSettings
from community.tables.services import make_plan as make_table_plan
from tests.communities.community_helpers import add_member
from tests.conftest import link_in, outbox_messages
from tests.factories import create_community, create_event, create_rsvp, create_user, event_details

SLUG = "northfield"
EMAILS = {
    "organizer": "olive@example.org",
    "member": "mo@example.org",
    "outsider": "otto@example.org",
    "admin": "ada@example.org",
}

ALUMNI_CSV = b"Email,Name,Class year\nann@example.org,Ann Lee,2010\nbo@example.org,Bo Chen,2012\n"


@dataclass
class World:
    """The ids and tokens that fill the site's URL rules."""

    values: dict[str, list] = field(default_factory=dict)  # URL variable -> values to try
    tokens: dict[str, str] = field(default_factory=dict)  # endpoint -> its <token>

    def candidates(self, endpoint: str, variable: str) -> list:
        if variable == "token":
            return [self.tokens[endpoint]] if endpoint in self.tokens else []
        if variable == "action":  # the confirmation pages of consequential actions
            return CONFIRMED_ACTIONS.get(endpoint, [])
        return self.values.get(variable, [])


#: The actions whose confirmation page (GET) the fuzzer opens, per endpoint.
CONFIRMED_ACTIONS = {
    "manage.confirm_member_action": ["promote"],
    "rsvp_admin.confirm_action": ["decline", "waitlist"],
}


def build_world(app: Flask) -> World:
    owner = create_user(email=EMAILS["organizer"], name="Olive Owner")
    member = create_user(email=EMAILS["member"], name="Mo Member")
    create_user(email=EMAILS["outsider"], name="Otto Outsider")
    create_user(email=EMAILS["admin"], name="Ada Admin", admin=True)
    waiting = create_user(name="Wanda Waitlist")
    stranger = create_user(email="sam@example.org", name="Sam Stranger")
    community = create_community(
        owner, slug=SLUG, policy=JoinPolicy.APPROVAL, join_question="Which year did you graduate?"
    )
    member_membership = add_member(community, member)
    add_member(community, waiting)
    applicant = add_member(community, pending=True, name="Pat Pending")

    event = create_event(
        community,
        owner,
        capacity=1,
        guests_allowed=1,
        online_url="https://meet.example.org/reunion",
        questions=(
            Question(label="Dietary needs"),
            Question(label="Which session?", kind="choice", choices=("Morning", "Evening")),
            Question(label="Staying for dinner?", kind="yes_no", required=True),
        ),
    )
    draft = create_event(community, owner, publish=False, title="Summer picnic (draft)")
    series = create_series(
        community,
        owner,
        event_details(title="Weekly roundtable", start_time=time(19, 0), end_time=time(21, 0)),
        Recurrence(frequency="weekly", count=3),
        publish=True,
    )
    regenerate(member)  # a calendar feed, so its settings show every form
    db.session.commit()
    going = create_rsvp(event, member, answers={str(event.questions[2].id): "yes"})
    waitlisted = create_rsvp(event, waiting, status=RSVPStatus.WAITLISTED, minutes_ago=30)

    with app.test_request_context():
        link = create_link(community, owner, expires_at=None, max_uses=50)
        invite(community, owner, [Invitee(EMAILS["outsider"], name="Otto")])
        request_password_reset(stranger.email)
        batch = create_batch(community, owner, "alumni.csv", parse_csv(ALUMNI_CSV))
        checkin = token_for(going)
    db.session.commit()
    # Introductions: topics (one archived), and a roundtable two days ago that Mo went to.
    topic = introduction_optins.add_topic(community, owner, "Fundraising")
    archived_topic = introduction_optins.add_topic(community, owner, "Hiring")
    introduction_optins.archive_topic(archived_topic, community, owner)
    db.session.commit()
    past = create_event(
        community, owner, kind=EventKind.ROUNDTABLE, title="Last roundtable", timezone="UTC",
        day=(utcnow() - timedelta(days=2)).date(), start_time=time(18, 0), end_time=time(20, 0),
    )  # fmt: skip
    create_rsvp(past, member)
    create_rsvp(past, waiting)
    with app.test_request_context():
        unsubscribe = introduction_followup.unsubscribe_link(member).rsplit("/", 1)[-1]
        email_unsubscribe = unsubscribe_token(member.id, "reminders")
        digest_open = sign(digests.OPEN_PURPOSE, {"u": member.id})
        digest_resume = sign(digests.RESUME_PURPOSE, {"u": member.id})
    # Mo and Wanda opted in to meet people there; Olive asked Mo for an introduction.
    introduction_optins.opt_in(past, member, offers=[topic.id])
    introduction_optins.opt_in(past, waiting)
    with app.test_request_context():
        introduction_requests.ask(owner, member, community=community, note="Could we talk about the reunion?")
    db.session.commit()
    # Tables: a two-round plan for the last roundtable (Mo and Wanda went).
    table_plan = make_table_plan(past, owner, TableSettings(rounds=2, table_size=2))
    db.session.commit()
    invitation_email = outbox_messages(to=EMAILS["outsider"])[-1]
    invitation_id = db.session.scalar(select(Invitation.id).where(Invitation.email == EMAILS["outsider"]))
    invitation_link = link_in(invitation_email, "/invite/")
    reset_email = outbox_messages(to=stranger.email)[-1]
    reset_link = link_in(reset_email, "/reset/")
    for failed in (invitation_email, reset_email):
        failed.status, failed.last_error = OutboxStatus.FAILED, "550 mailbox unavailable"
    db.session.commit()  # two failed emails, so the admin page shows "Retry" and "Retry all"

    return World(
        values={
            "slug": [SLUG],
            "event_id": [event.id, draft.id, series[1].id, past.id],
            "user_id": [member.id, owner.id],
            "membership_id": [member_membership.id, applicant.id],
            "batch_id": [batch.id],
            "link_id": [link.id],
            "invitation_id": [invitation_id],  # Manage -> Invitations: withdraw one
            "rsvp_id": [going.id, waitlisted.id],
            "topic_id": [topic.id, archived_topic.id],
            "plan_id": [table_plan.id],
            "chart": ["attendance"],  # Insights: a chart's CSV
            "community_id": [community.id],  # Site administration: a community's page
        },
        tokens={
            "communities.invite_link": link.token,
            "communities.invitation": invitation_link.rsplit("/", 1)[-1],
            "auth.reset_password": reset_link.rsplit("/", 1)[-1],
            "rsvp_admin.scan": checkin,
            "introductions.unsubscribe": unsubscribe,
            "engagement.unsubscribe_page": email_unsubscribe,
            "engagement.digest_open": digest_open,
            "engagement.digest_resume": digest_resume,
        },
    )
