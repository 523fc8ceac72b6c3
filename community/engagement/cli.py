"""`flask digests`: safe from cron at any frequency; each person gets each period's digest once."""

from __future__ import annotations

from collections import Counter

import click
from flask import current_app
from flask.cli import with_appcontext

from community.core.models import utcnow
from community.core.transactions import deliver_in_process
from community.engagement import digests as work
from community.extensions import db


def run_digests() -> Counter:
    """One pass over everyone who opted in, committing after each person; what happened, counted."""
    now = utcnow()
    outcomes: Counter = Counter()
    for user_id in work.subscribers():
        outcomes[work.send_digest(user_id, now)] += 1
        db.session.commit()
    return outcomes


@click.command("digests")
@with_appcontext
def digests() -> None:
    """Email each person's weekly or monthly digest, once per period, when there is news."""
    outcomes = run_digests()
    if current_app.config["MAIL_DELIVER_IN_PROCESS"]:  # `make run`: into instance/mail at once
        deliver_in_process()
    click.echo(
        f"Digests: {outcomes['sent']} sent, {outcomes['nothing-new']} with nothing new, "
        f"{outcomes['already-sent']} already sent this period, "
        f"{outcomes['paused']} paused after a quiet year."
    )
