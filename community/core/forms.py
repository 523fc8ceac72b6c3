"""The base classes of every form on the site, and the rules every field of them follows.

Every form derives from `Form` (and every row of a FieldList from `SubForm`), so that no field
can be left out of the rules, which are applied as each field is bound:

- one-line text (StringField, EmailField, SearchField, URLField...): surrounding whitespace,
  such as a CR/LF pasted along with a name, is stripped; a line break, tab, NUL or other
  control character left inside is refused with ONE_LINE_MESSAGE (names and titles end up in
  email headers; PostgreSQL refuses NUL);
- multi-line text (TextAreaField): tab, LF and CR are fine, NUL and the other control
  characters are refused with LINES_MESSAGE;
- passwords: NUL is refused (nothing else: whitespace and symbols in a password are the user's);
- hidden fields: the person cannot see or correct them, so control characters are dropped;
- dates: between 1900 and 2200 (core.dates), so no conversion between zones overflows;
- whole numbers: within the database's integer range, for fields that have no tighter bound.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import wtforms
from flask_wtf import FlaskForm
from wtforms.csrf.core import CSRFTokenField
from wtforms.fields import (
    DateField,
    DateTimeField,
    Field,
    HiddenField,
    IntegerField,
    PasswordField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import StopValidation, ValidationError

from community.core import dates
from community.core.converters import MAX_ID
from community.core.text import fits_lines, fits_one_line, stripped, without_control_characters

ONE_LINE_MESSAGE = "Remove the line breaks or control characters from this field."
LINES_MESSAGE = "Remove the control characters (invisible characters such as NUL) from this field."
PASSWORD_MESSAGE = "Remove the NUL character from your password."
NUMBER_MESSAGE = "That number is too large."


def _submitted(field: Field) -> Any:
    """What the browser sent for the field, before any filter changed it."""
    return field.raw_data[0] if field.raw_data else None


def _without_controls(value: Any) -> Any:
    return without_control_characters(value).strip() if isinstance(value, str) else value


def one_line(form: wtforms.Form, field: Field) -> None:
    """Checks what was sent (a field's own filter may fold a line break into a space)."""
    value = _submitted(field)
    if isinstance(value, str) and not fits_one_line(value.strip()):
        raise StopValidation(ONE_LINE_MESSAGE)


def lines(form: wtforms.Form, field: Field) -> None:
    value = _submitted(field)
    if isinstance(value, str) and not fits_lines(value):
        raise StopValidation(LINES_MESSAGE)


def no_nul(form: wtforms.Form, field: Field) -> None:
    value = _submitted(field)
    if isinstance(value, str) and "\x00" in value:
        raise StopValidation(PASSWORD_MESSAGE)


def in_calendar(form: wtforms.Form, field: Field) -> None:
    value = field.data
    day = value.date() if isinstance(value, datetime) else value
    if isinstance(day, date) and not dates.in_range(day):
        raise ValidationError(dates.OUT_OF_RANGE)


def in_integer_range(form: wtforms.Form, field: Field) -> None:
    if field.data is not None and not field.errors and abs(field.data) > MAX_ID:
        raise ValidationError(NUMBER_MESSAGE)


def apply_field_rules(field: Field) -> None:
    """Give a freshly bound field the rules for its kind (see the module docstring).

    New lists are assigned, never appended to: the unbound field shares its lists with every
    other form instance.
    """
    if isinstance(field, CSRFTokenField):
        return
    if isinstance(field, PasswordField):
        field.validators = [no_nul, *field.validators]
    elif isinstance(field, TextAreaField):
        field.validators = [lines, *field.validators]
    elif isinstance(field, HiddenField):
        field.filters = (_without_controls, *field.filters)
    elif isinstance(field, StringField):
        # First, and once: a form may name `stripped` for the field too.
        field.filters = (stripped, *(f for f in field.filters if f is not stripped))
        field.validators = [one_line, *field.validators]
    elif isinstance(field, DateField | DateTimeField) and not isinstance(field, TimeField):
        field.validators = [*field.validators, in_calendar]
        field.render_kw = {
            "min": dates.EARLIEST.isoformat(),
            "max": dates.LATEST.isoformat(),
            **(field.render_kw or {}),
        }
    elif isinstance(field, IntegerField):
        field.validators = [*field.validators, in_integer_range]


class FieldRules:
    """A WTForms Meta mixin: every field is bound with apply_field_rules."""

    def bind_field(self, form: wtforms.Form, unbound_field, options: dict) -> Field:
        field = super().bind_field(form, unbound_field, options)  # type: ignore[misc]
        apply_field_rules(field)
        return field


class Form(FlaskForm):
    """The base of every form on the site: CSRF (FlaskForm) and the field rules."""

    class Meta(FieldRules):
        pass


class SubForm(wtforms.Form):
    """The base of a FormField's rows (no CSRF of their own), with the same field rules."""

    class Meta(FieldRules):
        pass


class EmptyForm(Form):
    """For POST-only buttons (log out, resend, cancel): nothing but the CSRF token."""


def form_status(form: FlaskForm) -> int:
    """422 when a submitted form has errors, so the request's transaction is rolled back
    (anything a service flushed before raising is undone) and clients see it failed."""
    return 422 if any(field.errors for field in form) else 200
