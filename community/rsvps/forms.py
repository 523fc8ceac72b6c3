"""The RSVP form, built for each event from the questions its organizers ask; "show me in
the list"; and the organizer's message to the people coming."""

from __future__ import annotations

from typing import Any

from wtforms import BooleanField, Field, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, Length, Optional, StopValidation

from community.core.forms import Form
from community.core.text import stripped
from community.events.models import Event, EventQuestion
from community.rsvps.models import RSVP
from community.rsvps.organizer import MESSAGE_MAX

GOING, NOT_GOING = "going", "not_going"
YES_NO = [SelectChoice("yes", "Yes"), SelectChoice("no", "No")]


class AnswerRequired:
    """Required, but only when answering "going": nobody has to answer to say they can't go."""

    field_flags = {"required": True}

    def __init__(self, label: str):
        self.message = f"Please answer: {label}"

    def __call__(self, form: Form, field: Field) -> None:
        if form.response.data != GOING:
            field.errors[:] = []
            raise StopValidation()
        value = field.data.strip() if isinstance(field.data, str) else field.data
        if not value:
            field.errors[:] = []
            raise StopValidation(self.message)


class RSVPForm(Form):
    """Going or not, guests, "show me in the list" and the event's questions (fields q_<id>)."""

    #: Set by the button pressed: "going" or "not_going".
    response = StringField(validators=[AnyOf([GOING, NOT_GOING], message="Choose going or can't go.")])
    listed = BooleanField("Show me in the list of who's going", default=True)

    question_ids: list[int] = []

    @property
    def question_fields(self) -> list[Field]:
        return [self[f"q_{qid}"] for qid in self.question_ids]

    @property
    def is_going(self) -> bool:
        return self.response.data == GOING

    def guest_count(self) -> int:
        return int(self.guests.data or 0) if "guests" in self else 0

    def answers(self) -> dict[str, str]:
        """Question id (as text) -> answer, for the questions answered."""
        answers = {}
        for qid in self.question_ids:
            value = self[f"q_{qid}"].data
            if isinstance(value, str) and value.strip():
                answers[str(qid)] = value.strip()
        return answers

    def kept(self) -> dict[str, Any]:
        """The choice, to keep in the session while someone logs in or signs up."""
        return {
            "going": self.is_going,
            "guests": self.guest_count(),
            "answers": self.answers(),
            "listed": bool(self.listed.data),
        }


def _question_field(question: EventQuestion) -> Field:
    validators: list = [AnswerRequired(question.label)] if question.required else [Optional()]
    description = "Required if you're going" if question.required else ""
    if question.kind == "choice":
        choices = [SelectChoice("", "Choose…")] + [
            SelectChoice(choice, choice) for choice in question.choices
        ]
        return SelectField(question.label, choices=choices, validators=validators, description=description)
    if question.kind == "yes_no":
        return RadioField(question.label, choices=YES_NO, validators=validators, description=description)
    return StringField(
        question.label,
        validators=[*validators, Length(max=500, message="Please keep your answer under 500 characters.")],
        description=description,
    )


def rsvp_form_class(event: Event) -> type[RSVPForm]:
    attributes: dict[str, Any] = {"question_ids": [q.id for q in event.questions]}
    for question in event.questions:
        attributes[f"q_{question.id}"] = _question_field(question)
    if event.guests_allowed > 0:
        attributes["guests"] = SelectField(
            "Guests you're bringing",
            choices=[
                SelectChoice(str(n), "Just me" if n == 0 else f"+{n}")
                for n in range(event.guests_allowed + 1)
            ],
            coerce=int,
            default=0,
        )
    return type("EventRSVPForm", (RSVPForm,), attributes)


def initial_data(
    event: Event, rsvp: RSVP | None = None, kept: dict[str, Any] | None = None
) -> dict[str, Any]:
    """What the form shows before it is sent: the kept choice, else the current RSVP."""
    source = kept or (
        {"guests": rsvp.guests, "answers": rsvp.answers or {}, "listed": rsvp.listed} if rsvp else None
    )
    if source is None:
        return {}
    data: dict[str, Any] = {"listed": source.get("listed", True)}
    if event.guests_allowed > 0:
        data["guests"] = min(int(source.get("guests") or 0), event.guests_allowed)
    answers = source.get("answers") or {}
    for question in event.questions:
        if str(question.id) in answers:
            data[f"q_{question.id}"] = answers[str(question.id)]
    return data


def rsvp_form(
    event: Event, *, rsvp: RSVP | None = None, kept: dict[str, Any] | None = None, **kwargs
) -> RSVPForm:
    """The event's RSVP form: bound to the request on POST, else pre-filled."""
    form_class = rsvp_form_class(event)
    return form_class(data=initial_data(event, rsvp, kept), **kwargs)


class ListedForm(Form):
    """Appear in "who's going" or not, without changing the RSVP itself."""

    listed = BooleanField("Show me in the list of who's going")


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
        filters=[stripped],
        validators=[
            DataRequired("Write a subject."),
            Length(max=150, message="Keep it under 150 characters."),
        ],
    )
    body = TextAreaField(
        "Message",
        filters=[stripped],
        validators=[
            DataRequired("Write the message."),
            Length(max=MESSAGE_MAX, message=f"Keep it under {MESSAGE_MAX:,} characters."),
        ],
        description="Plain text. We add the event's date, place and link below it.",
        render_kw={"rows": 8},
    )
    confirmed = BooleanField("Yes, send it now")
