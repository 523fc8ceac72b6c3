"""The forms of staying in touch: a note, a connection's rhythm, the fading setting and time
zone, and a goal. They validate and never write."""

from __future__ import annotations

from wtforms import IntegerField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, InputRequired, Length, NumberRange, ValidationError

from community.core.forms import Form
from community.core.timezones import is_timezone, timezone_choices
from community.engagement.models import FADING_CHOICES, GoalKind, GoalPeriod
from community.engagement.progress import KIND_LABELS

NOTE_FORM_LENGTH = 300


class NoteForm(Form):
    message = TextAreaField(
        "Your note",
        default="It's been a while! Shall we catch up?",
        validators=[
            InputRequired("Write a short message."),
            Length(max=NOTE_FORM_LENGTH, message=f"Keep it under {NOTE_FORM_LENGTH} characters."),
        ],
        description="Sent by email. Your email address is only shown if your profile shares it with members.",
    )


RHYTHM_CHOICES = [
    SelectChoice("", "My usual setting"),
    *(SelectChoice(str(n), f"Every {n} months") for n in (1, 2, 3, 6, 12)),
]


class RhythmForm(Form):
    rhythm = SelectField(
        "Keep in touch",
        choices=RHYTHM_CHOICES,
        default="",
        validators=[AnyOf([choice.value for choice in RHYTHM_CHOICES], message="Choose from the list.")],
    )

    @property
    def months(self) -> int | None:
        return int(self.rhythm.data) if self.rhythm.data else None


class SettingsForm(Form):
    fading_months = SelectField(
        "A connection is fading after",
        choices=[SelectChoice(str(n), f"{n} months without contact") for n in FADING_CHOICES],
        default="6",
        validators=[AnyOf([str(n) for n in FADING_CHOICES], message="Choose 3, 6 or 12 months.")],
    )
    timezone = SelectField(
        "My time zone",
        default="",
        description="Goal months and quarters start at midnight here.",
        validate_choice=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.timezone.choices = [SelectChoice("", "My first community's zone"), *timezone_choices()]

    def validate_timezone(self, field: SelectField) -> None:
        if field.data and not is_timezone(field.data):
            raise ValidationError("Choose a time zone from the list.")


class GoalForm(Form):
    kind = SelectField(
        "Goal",
        choices=[SelectChoice(kind.value, KIND_LABELS[kind]) for kind in GoalKind],
        validators=[AnyOf([kind.value for kind in GoalKind], message="Choose a kind of goal.")],
    )
    target = IntegerField(
        "How many",
        default=1,
        validators=[InputRequired("Say how many."), NumberRange(1, 100, "Between 1 and 100.")],
    )
    period = SelectField(
        "Each",
        choices=[
            SelectChoice(GoalPeriod.MONTH.value, "month"),
            SelectChoice(GoalPeriod.QUARTER.value, "quarter"),
        ],
        default=GoalPeriod.MONTH.value,
        validators=[AnyOf([period.value for period in GoalPeriod], message="Choose month or quarter.")],
    )
