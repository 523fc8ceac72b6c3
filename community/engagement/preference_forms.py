"""The form of Account → Email: a switch per kind of email and the digest's frequency."""

from __future__ import annotations

from wtforms import RadioField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from community.core.forms import Form
from community.engagement.models import DigestFrequency

FREQUENCY_CHOICES = [
    SelectChoice(DigestFrequency.OFF.value, "Off"),
    SelectChoice(DigestFrequency.WEEKLY.value, "Weekly"),
    SelectChoice(DigestFrequency.MONTHLY.value, "Monthly"),
]


class EmailPreferencesForm(Form):
    wanted = SelectMultipleField("Emails I get", choices=[], validate_choice=True)
    digest = RadioField(
        "Digest", choices=FREQUENCY_CHOICES, default=DigestFrequency.OFF.value, validators=[InputRequired()]
    )

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.wanted.choices = [SelectChoice(kind.name, kind.label) for kind in kinds]
