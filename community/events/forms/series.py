"""The series part of the event form: how a new event repeats, and, when editing an event of
a series, whether the change is for this event or this and the following ones."""

from __future__ import annotations

from wtforms import DateField, IntegerField, RadioField, SelectField
from wtforms.validators import InputRequired, NumberRange, Optional

from community.core.errors import DomainError
from community.events.forms.choices import ORDINALS, WEEKDAYS, describe_ordinal, select_choices
from community.events.services import Recurrence
from community.events.timing import nth_weekday, recurrence_dates

#: The fields a new event has and an edited one does not.
REPEAT_FIELDS = "repeat repeat_interval repeat_ordinal repeat_end repeat_until repeat_count".split()


class SeriesFields:
    """Mixed into EventForm, which removes what does not apply: the repeat fields when
    editing, "Apply to" when creating or for an event that is not part of a series."""

    # Repeat (new events only)
    repeat = RadioField(
        "How often",
        choices=select_choices(
            ("none", "Does not repeat"), ("weekly", "Weekly"), ("monthly", "Monthly, on a weekday")
        ),
        default="none",
    )
    repeat_interval = IntegerField(
        "Every how many weeks", default=1, validators=[Optional(), NumberRange(1, 12, "Between 1 and 12.")]
    )
    repeat_ordinal = SelectField("On the", choices=select_choices(*ORDINALS.items()), default="1")
    repeat_end = RadioField(
        "Ends",
        choices=select_choices(("until", "On a date"), ("count", "After a number of events")),
        default="count",
    )
    repeat_until = DateField("Last date", validators=[Optional()])
    repeat_count = IntegerField(
        "Number of events", default=4, validators=[Optional(), NumberRange(2, 52, "Between 2 and 52.")]
    )
    # Editing an event of a series
    scope = RadioField(
        "Apply to",
        choices=select_choices(("this", "This event only"), ("following", "This and following events")),
        validators=[InputRequired("Choose which events of the series to change.")],
    )

    def _check_series(self) -> bool:
        """The repeat rule, once the fields it reads are fine on their own (True if none)."""
        repeat_fields = [name for name in REPEAT_FIELDS if name in self]
        if not repeat_fields or self.repeat.data == "none" or self.start_date.errors:
            return True
        if any(getattr(self, name).errors for name in repeat_fields):
            return True
        return self._check_repeat()

    def _check_repeat(self) -> bool:
        start = self.start_date.data
        if self.repeat.data == "monthly":
            ordinal = int(self.repeat_ordinal.data)
            if nth_weekday(start.year, start.month, start.weekday(), ordinal) != start:
                self.repeat_ordinal.errors.append(
                    f"{start:%-d %B} is not the {ORDINALS[self.repeat_ordinal.data]} "
                    f"{WEEKDAYS[start.weekday()]} of its month. "
                    f"Choose “{describe_ordinal(start)}” or another start date."
                )
                return False
        if self.repeat_end.data == "until" and not self.repeat_until.data:
            self.repeat_until.errors.append("Pick the last date, or end after a number of events.")
            return False
        if self.repeat_end.data == "count" and not self.repeat_count.data:
            self.repeat_count.errors.append("Say how many events, or pick a last date.")
            return False
        rule = self.recurrence()
        try:
            days = recurrence_dates(
                start, frequency=rule.frequency, interval=rule.interval, weekday_ordinal=rule.weekday_ordinal,
                until=rule.until, count=rule.count,
            )  # fmt: skip
        except DomainError as error:
            (self.repeat_until if rule.until else self.repeat_count).errors.append(error.message)
            return False
        if len(days) < 2:
            self.repeat_until.errors.append(
                "That makes a single event. Pick a later last date, or “Does not repeat”."
            )
            return False
        return True

    def recurrence(self) -> Recurrence | None:
        if "repeat" not in self or self.repeat.data == "none":
            return None
        by_date = self.repeat_end.data == "until"
        return Recurrence(
            frequency=self.repeat.data,
            interval=(self.repeat_interval.data or 1) if self.repeat.data == "weekly" else 1,
            weekday_ordinal=int(self.repeat_ordinal.data) if self.repeat.data == "monthly" else None,
            until=self.repeat_until.data if by_date else None,
            count=None if by_date else self.repeat_count.data,
        )
