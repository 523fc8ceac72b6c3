"""Cancelling an event (this one, or this and the following of its series)."""

from __future__ import annotations

from wtforms import RadioField, SelectChoice, TextAreaField
from wtforms.validators import DataRequired, Length

from community.core.forms import Form
from community.core.text import stripped


class CancelForm(Form):
    reason = TextAreaField(
        "Why is it cancelled?",
        filters=[stripped],
        validators=[DataRequired("Say why: everyone going will read it."), Length(max=2000)],
        description="Shown on the event page and sent to everyone going or on the waitlist.",
        render_kw={"rows": 4},
    )
    scope = RadioField(
        "Cancel",
        choices=[
            SelectChoice("this", "This event only"),
            SelectChoice("following", "This and following events"),
        ],
        default="this",
    )
