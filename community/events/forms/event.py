"""The organizer's event form. It validates (the same rules static/js/event_form.js shows as
the organizer types) and hands the services an EventDetails and, for a series, a Recurrence
(its series fields are in series.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time
from urllib.parse import urlsplit

from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from community.core.errors import DomainError
from community.core.forms import Form, SubForm
from community.core.text import stripped
from community.core.timezones import is_timezone, timezone_choices
from community.events.forms.choices import KIND_LABELS, VISIBILITY_CHOICES, select_choices, split_choices
from community.events.forms.cover import CoverFields
from community.events.forms.series import REPEAT_FIELDS, SeriesFields
from community.events.models import EventKind, EventVisibility
from community.events.services import MAX_QUESTIONS, EventDetails, Question
from community.events.timing import all_day_bounds, local_to_utc

#: The fields the rules across fields read.
WHEN_FIELDS = "all_day start_date start_time end_date end_time timezone deadline_date deadline_time".split()


class QuestionRow(SubForm):
    """One custom RSVP question; a row with no wording is ignored."""

    label = StringField(
        "Question", filters=[stripped], validators=[Length(max=200, message="Keep it under 200 characters.")]
    )
    kind = SelectField(
        "Answer",
        choices=select_choices(("text", "Short text"), ("choice", "Pick one"), ("yes_no", "Yes / no")),
        default="text",
    )
    choices = TextAreaField(
        "Choices", description="One per line, or separated by commas.", render_kw={"rows": 3}
    )
    required = BooleanField("Required")

    def validate_choices(self, field: TextAreaField) -> None:
        if self.label.data and self.kind.data == "choice" and len(split_choices(field.data)) < 2:
            raise ValidationError("Give at least two choices, one per line.")

    def question(self) -> Question:
        choices = tuple(split_choices(self.choices.data)) if self.kind.data == "choice" else ()
        return Question(
            label=self.label.data, kind=self.kind.data, choices=choices, required=self.required.data
        )


class EventForm(SeriesFields, CoverFields, Form):
    # Basics
    kind = SelectField(
        "Kind", choices=[SelectChoice(k.value, label) for k, label in KIND_LABELS.items()], default="meetup"
    )
    title = StringField(
        "Title",
        filters=[stripped],
        validators=[
            DataRequired("Give the event a title."),
            Length(max=200, message="Keep it under 200 characters."),
        ],
    )
    cohorts = StringField(
        "Cohorts (reunions)",
        filters=[stripped],
        validators=[Length(max=500)],
        description="Who the reunion is for, separated by commas, e.g. “Class of 2016, Class of 2017”.",
    )
    description = TextAreaField(
        "Description",
        filters=[stripped],
        validators=[Length(max=20000, message="Keep it under 20,000 characters.")],
        description="Markdown works: **bold**, *italic*, [links](https://example.org), lists.",
        render_kw={"rows": 8},
    )
    # When
    all_day = BooleanField("All day (or several whole days)")
    start_date = DateField("Starts on", validators=[InputRequired("Pick the day it starts.")])
    start_time = TimeField("Start time", validators=[Optional()], default=time(18, 30))
    end_date = DateField(
        "Ends on", validators=[Optional()], description="Leave blank if it ends the same day."
    )
    end_time = TimeField("End time", validators=[Optional()], default=time(21, 0))
    timezone = SelectField("Time zone", validate_choice=False)
    # Where
    venue_name = StringField("Venue", filters=[stripped], validators=[Length(max=200)])
    address = StringField("Address", filters=[stripped], validators=[Length(max=300)])
    latitude = StringField("Latitude", filters=[stripped], description="e.g. 51.5072")
    longitude = StringField("Longitude", filters=[stripped], description="e.g. -0.1276")
    online_url = StringField(
        "Online link",
        filters=[stripped],
        validators=[Length(max=500)],
        description="A video call link. Only people who are going see it.",
        render_kw={"type": "url", "placeholder": "https://"},
    )
    # RSVPs
    capacity = IntegerField(
        "Capacity",
        validators=[
            Optional(),
            NumberRange(min=1, max=100000, message="At least 1 seat; leave it blank for no limit."),
        ],
        description="Seats, guests included. Leave blank for no limit.",
    )
    deadline_date = DateField(
        "RSVP deadline (day)",
        validators=[Optional()],
        description="Leave blank to take RSVPs until it starts.",
    )
    deadline_time = TimeField("RSVP deadline (time)", validators=[Optional()])
    guests_allowed = IntegerField(
        "Guests each person may bring",
        default=0,
        validators=[
            InputRequired("Say how many guests (0 for none)."),
            NumberRange(0, 10, "Between 0 and 10."),
        ],
    )
    requires_approval = BooleanField(
        "Organizers approve each RSVP", description="People wait as “pending” until you approve them."
    )
    waitlist_best_fit = BooleanField(
        "Let smaller parties skip ahead",
        description="When a freed seat is too small for the next party on the waitlist, "
        "give it to the first party that fits.",
    )
    offer_freed_seats = BooleanField(
        "In the last 48 hours, offer freed seats instead of giving them",
        description="The next person must claim the seat within the claim window, or it passes on.",
    )
    claim_window_minutes = IntegerField(
        "Claim window (minutes)",
        default=120,
        validators=[InputRequired(), NumberRange(15, 1440, "Between 15 and 1,440 minutes.")],
    )
    # Visibility
    visibility = RadioField(
        "Who can see it", choices=VISIBILITY_CHOICES, default=EventVisibility.PUBLIC.value
    )
    attendee_list_public = BooleanField("Show who's going to people who are not members")
    # Questions
    questions = FieldList(FormField(QuestionRow), min_entries=MAX_QUESTIONS)
    move_extra = BooleanField("Move the extra people to the waitlist")

    def __init__(
        self, *args, creating: bool = True, in_series: bool = False, has_cover: bool = False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.timezone.choices = timezone_choices()
        self.has_cover = has_cover
        if not creating:
            for name in REPEAT_FIELDS:
                delattr(self, name)
        if creating or not in_series:
            delattr(self, "scope")
        if creating:
            delattr(self, "move_extra")
            delattr(self, "remove_cover")

    # -- field checks ---------------------------------------------------------------------

    def validate_timezone(self, field: SelectField) -> None:
        if not is_timezone(field.data):
            raise ValidationError("Choose a time zone from the list.")

    def validate_online_url(self, field: StringField) -> None:
        if field.data:
            parts = urlsplit(field.data)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise ValidationError("Give the full link, starting with https://")

    def validate_latitude(self, field: StringField) -> None:
        _coordinate(field, 90)

    def validate_longitude(self, field: StringField) -> None:
        _coordinate(field, 180)

    # -- rules across fields (the same ones the services enforce) -------------------------

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not self.all_day.data:
            for field in (self.start_time, self.end_time):
                if field.data is None and not field.errors:
                    field.errors.append("Give a time, or tick “All day”.")
                    valid = False
        if bool(self.latitude.data) != bool(self.longitude.data):
            self.longitude.errors.append("Give both latitude and longitude, or neither.")
            valid = False
        if self.deadline_time.data and not self.deadline_date.data:
            self.deadline_date.errors.append("Pick the day of the deadline too.")
            valid = False
        if self.deadline_date.data and not self.deadline_time.data:
            self.deadline_time.errors.append("Pick the time of the deadline too.")
            valid = False
        # The rules across fields run whenever the fields they read are fine on their own,
        # so every mistake shows at once, not one round trip at a time.
        if not any(getattr(self, name).errors for name in WHEN_FIELDS):
            valid = self._check_times() and valid
        valid = self._check_cover() and valid
        return self._check_series() and valid

    def filled_questions(self) -> list[QuestionRow]:
        return [entry.form for entry in self.questions if entry.form.label.data]

    def validate_questions(self, field: FieldList) -> None:
        rows = self.filled_questions()
        if len(rows) > MAX_QUESTIONS:
            raise ValidationError(
                f"An event can ask at most {MAX_QUESTIONS} questions. Leave the others blank."
            )
        labels = [row.label.data.lower() for row in rows]
        if len(set(labels)) != len(labels):
            raise ValidationError("Two questions ask the same thing: word each one differently.")

    def _when(self) -> EventDetails:
        """Just the dates, times, zone and deadline (the rest may not be valid yet)."""
        deadline = (
            datetime.combine(self.deadline_date.data, self.deadline_time.data)
            if self.deadline_date.data and self.deadline_time.data
            else None
        )
        return EventDetails(
            title="",
            all_day=bool(self.all_day.data),
            start_day=self.start_date.data,
            end_day=self.end_date.data or self.start_date.data,
            start_time=self.start_time.data or time(0),
            end_time=self.end_time.data or time(0),
            timezone=self.timezone.data,
            rsvp_deadline=deadline,
        )

    def _check_times(self) -> bool:
        """End after start, no clock-change gaps, deadline before the start: each message at
        the field it is about."""
        details = self._when()
        ok = True
        if details.all_day:
            if details.end_day < details.start_day:
                self.end_date.errors.append("The last day must not be before the first day.")
                ok = False
            last_day = max(details.start_day, details.end_day)
            try:
                starts_at = all_day_bounds(details.start_day, last_day, details.timezone)[0]
            except DomainError as error:
                self.start_date.errors.append(error.message)
                return False
        else:
            starts_at = _at(self.start_time, details.start_day, details.start_time, details.timezone)
            ends_at = _at(self.end_time, details.end_day, details.end_time, details.timezone)
            if starts_at is not None and ends_at is not None and ends_at <= starts_at:
                self.end_time.errors.append("The event must end after it starts.")
                ok = False
        if starts_at is None:
            return False
        try:
            details.deadline_utc(starts_at)
        except DomainError as error:
            self.deadline_date.errors.append(error.message)
            ok = False
        return ok and (details.all_day or ends_at is not None)

    # -- what the services take ------------------------------------------------------------

    def details(self) -> EventDetails:
        kind = EventKind(self.kind.data)
        cohorts = split_choices(self.cohorts.data.replace("\n", ",")) if self.cohorts.data else []
        return replace(
            self._when(),
            title=self.title.data,
            kind=kind,
            description=self.description.data or "",
            cohorts=tuple(cohorts) if kind == EventKind.REUNION else (),
            venue_name=self.venue_name.data or "",
            address=self.address.data or "",
            latitude=float(self.latitude.data) if self.latitude.data else None,
            longitude=float(self.longitude.data) if self.longitude.data else None,
            online_url=self.online_url.data or "",
            capacity=self.capacity.data,
            guests_allowed=self.guests_allowed.data or 0,
            requires_approval=bool(self.requires_approval.data),
            waitlist_best_fit=bool(self.waitlist_best_fit.data),
            offer_freed_seats=bool(self.offer_freed_seats.data),
            claim_window_minutes=self.claim_window_minutes.data or 120,
            visibility=EventVisibility(self.visibility.data),
            attendee_list_public=bool(self.attendee_list_public.data),
            questions=tuple(row.question() for row in self.filled_questions()),
            **self.cover_details(),
        )


def _coordinate(field: StringField, limit: int) -> None:
    if not field.data:
        return
    try:
        value = float(field.data)
    except ValueError:
        raise ValidationError("A number, e.g. 51.5072.") from None
    if not -limit <= value <= limit:
        raise ValidationError(f"Between -{limit} and {limit}.")


def _at(field, day: date, at: time, zone: str) -> datetime | None:
    try:
        return local_to_utc(day, at, zone)
    except DomainError as error:
        field.errors.append(error.message)
        return None
