"""`flask create-admin`: the first site administrator."""

from __future__ import annotations

import click
from email_validator import EmailNotValidError, validate_email
from flask.cli import with_appcontext

from community.auth import services
from community.auth.forms import PASSWORD_MAX, PASSWORD_MIN
from community.extensions import db


@click.command("create-admin")
@click.option("--email", prompt=True, help="The administrator's email address.")
@click.option("--name", prompt=True, help="The administrator's name.")
@click.password_option(help="At least 10 characters; asked for when left out.")
@with_appcontext
def create_admin(email: str, name: str, password: str) -> None:
    """Create a site administrator, or make an existing account one."""
    try:
        validate_email(email, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as error:
        raise click.BadParameter(str(error), param_hint="--email") from None
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise click.BadParameter(
            f"use between {PASSWORD_MIN} and {PASSWORD_MAX} characters", param_hint="--password"
        )
    user = services.create_admin(email=email, name=name, password=password)
    db.session.commit()
    click.echo(f"{user.email} is a site administrator.")
