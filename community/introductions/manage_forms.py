"""The organizers' forms for introductions (a topic's name, introducing two attendees) and
the "Who did you meet?" ticks. They validate and never write."""

from __future__ import annotations

from collections.abc import Iterable

from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from community.core.forms import Form
from community.introductions.models import NOTE_LENGTH, TOPIC_NAME_LENGTH

PICK_PERSON = "Choose someone who is coming."
PICK_MET = "Tick people from the list of those who were there."


class TopicForm(Form):
    """A topic's name: a new topic, or a new name for one."""

    name = StringField(
        "Topic",
        validators=[
            DataRequired(message="Give the topic a name."),
            Length(
                max=TOPIC_NAME_LENGTH, message=f"Please keep topic names to {TOPIC_NAME_LENGTH} characters."
            ),
        ],
        render_kw={"maxlength": TOPIC_NAME_LENGTH, "autocomplete": "off"},
    )


def _person_id(value) -> int:
    """A chosen person's id; anything else is 0, which no one has ("Choose someone ...")."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _lines(value):
    """Browsers send CR LF; a line break counts as the one character the text box showed."""
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


class IntroduceForm(Form):
    """An organizer introduces two attendees, with a note saying why they should talk."""

    first = SelectField("Introduce", coerce=_person_id, validate_choice=False)
    second = SelectField("to", coerce=_person_id, validate_choice=False)
    note = TextAreaField(
        "Why they should talk",
        filters=[_lines],
        validators=[
            DataRequired(message="Add a short note: say why they should meet."),
            Length(max=NOTE_LENGTH, message=f"Please keep the note to {NOTE_LENGTH} characters."),
        ],
        description=f"Both read it before saying yes: up to {NOTE_LENGTH} characters.",
        render_kw={"maxlength": NOTE_LENGTH, "rows": 3},
    )

    def __init__(self, *args, people: Iterable[tuple[int, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        options = [
            SelectChoice(0, "Choose someone…"),
            *(SelectChoice(value, label) for value, label in people),
        ]
        self.first.choices = options
        self.second.choices = list(options)
        self._allowed = {value for value, _ in people}

    def _pick(self, field: SelectField) -> None:
        if field.data not in self._allowed:
            raise ValidationError(PICK_PERSON)

    def validate_first(self, field: SelectField) -> None:
        self._pick(field)

    def validate_second(self, field: SelectField) -> None:
        self._pick(field)
        if field.data == self.first.data:
            raise ValidationError("Pick two different people to introduce.")


class PeopleField(SelectMultipleField):
    """Checkboxes of people (user ids); the template draws them."""

    def process_formdata(self, valuelist):
        try:
            self.data = [int(value) for value in valuelist]
        except ValueError as error:
            self.data = []
            raise ValueError(PICK_MET) from error

    def pre_validate(self, form) -> None:
        allowed = {value for value, _ in self.choices or ()}
        if any(value not in allowed for value in self.data or ()):
            raise ValidationError(PICK_MET)


class MetForm(Form):
    """ "Who did you meet?": the people ticked."""

    met = PeopleField("People you met", coerce=int)

    def __init__(self, *args, people: Iterable[tuple[int, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.met.choices = list(people)

    def validate_met(self, field: PeopleField) -> None:
        if not field.data:
            raise ValidationError("Tick the people you met, then save.")
