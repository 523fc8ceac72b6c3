"""`flask outbox`: deliver pending email, once or as a long-running worker."""

from __future__ import annotations

import logging
from time import sleep

import click
from flask.cli import with_appcontext

from community.core.mail.delivery import deliver_due
from community.extensions import db

log = logging.getLogger(__name__)


@click.command("outbox")
@click.option("--loop", is_flag=True, help="Keep running, delivering new mail as it is queued.")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between runs with --loop.")
@with_appcontext
def outbox(loop: bool, interval: float) -> None:
    """Deliver the email waiting in the outbox (retries with backoff; never sends one twice).

    A single run fails loudly on a problem of the whole run (the database, the sender
    setting); with --loop such a run is logged and the next one starts after the interval,
    so that a database restart does not end the worker. Ctrl+C still stops it.
    """
    while True:
        try:
            report = deliver_due()
        except Exception:
            if not loop:
                raise
            log.exception("Outbox run failed; trying again in %s seconds", interval)
            db.session.remove()  # a fresh session and connection for the next run
        else:
            if report.sent or report.retrying or report.failed or not loop:
                click.echo(f"outbox: {report}")
        if not loop:
            return
        sleep(interval)
