"""Organizer forms besides the event form: cancelling an event, writing to the people coming."""

from __future__ import annotations

from wtforms import BooleanField, RadioField, SelectChoice, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from community.core.forms import Form
from community.events.organizer import MESSAGE_MAX


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class CancelForm(Form):
    reason = TextAreaField(
        "Why is it cancelled?",
        filters=[_strip],
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


class MessageForm(Form):
    recipients = RadioField(
        "Send to",
        choices=[
            SelectChoice("going", "Everyone going"),
            SelectChoice("going_and_waitlist", "Everyone going and everyone on the waitlist"),
        ],
        default="going",
    )
    subject = StringField(
        "Subject",
        filters=[_strip],
        validators=[
            DataRequired("Write a subject."),
            Length(max=150, message="Keep it under 150 characters."),
        ],
    )
    body = TextAreaField(
        "Message",
        filters=[_strip],
        validators=[
            DataRequired("Write the message."),
            Length(max=MESSAGE_MAX, message=f"Keep it under {MESSAGE_MAX:,} characters."),
        ],
        description="Plain text. We add the event's date, place and link below it.",
        render_kw={"rows": 8},
    )
    confirmed = BooleanField("Yes, send it now")
