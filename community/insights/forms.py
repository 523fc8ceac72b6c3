"""The period picker: a GET form (no CSRF: it changes nothing), last 3, 6, 12, 24 months or all."""

from __future__ import annotations

from wtforms import IntegerField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired
from wtforms.widgets import HiddenInput

from community.core.forms import Form
from community.insights.dashboard import DEFAULT_PERIOD

PERIOD_CHOICES = [
    SelectChoice("3", "Last 3 months"),
    SelectChoice("6", "Last 6 months"),
    SelectChoice("12", "Last 12 months"),
    SelectChoice("24", "Last 24 months"),
    SelectChoice("all", "All time"),
]


class PeriodForm(Form):
    class Meta(Form.Meta):
        csrf = False

    period = SelectField("Period", choices=PERIOD_CHOICES, default=DEFAULT_PERIOD)

    def chosen(self) -> str:
        """The period asked for, or the default when the value is not one of the choices."""
        return self.period.data if self.validate() else DEFAULT_PERIOD


class InviteForm(Form):
    """ "Invite to <next event>": the event the button named (the service checks it is still upcoming)."""

    event_id = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
