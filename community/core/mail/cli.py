"""`flask outbox`: deliver pending email, once or as a long-running worker."""

from __future__ import annotations

import time

import click
from flask.cli import with_appcontext

from community.core.mail.delivery import deliver_due


@click.command("outbox")
@click.option("--loop", is_flag=True, help="Keep running, delivering new mail as it is queued.")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between runs with --loop.")
@with_appcontext
def outbox(loop: bool, interval: float) -> None:
    """Deliver the email waiting in the outbox (retries with backoff; never sends one twice)."""
    while True:
        report = deliver_due()
        if report.sent or report.retrying or report.failed or not loop:
            click.echo(f"outbox: {report}")
        if not loop:
            return
        time.sleep(interval)
