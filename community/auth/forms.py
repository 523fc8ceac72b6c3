"""Account forms. They validate; the services write."""

from __future__ import annotations

from wtforms import BooleanField, EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from community.core.forms import Form
from community.core.text import stripped

PASSWORD_MIN = 10
PASSWORD_MAX = 128
PASSWORD_HELP = f"At least {PASSWORD_MIN} characters. A short sentence is easy to remember."


def _email_field(label: str = "Email", **kwargs) -> EmailField:
    return EmailField(
        label,
        filters=[stripped],
        validators=[
            DataRequired("Enter your email address."),
            # Mail goes out without SMTPUTF8, so the part before the @ must be ASCII.
            Email(
                "Enter an email address like name@example.org.",
                check_deliverability=False,
                allow_smtputf8=False,
            ),
            Length(max=320),
        ],
        render_kw={"autocomplete": "email", "spellcheck": "false", "autocapitalize": "off"},
        **kwargs,
    )


def _new_password_field(label: str = "Password") -> PasswordField:
    return PasswordField(
        label,
        validators=[
            DataRequired("Choose a password."),
            Length(
                min=PASSWORD_MIN,
                max=PASSWORD_MAX,
                message=f"Use between {PASSWORD_MIN} and {PASSWORD_MAX} characters.",
            ),
        ],
        description=PASSWORD_HELP,
        render_kw={"autocomplete": "new-password"},
    )


def _name_field() -> StringField:
    return StringField(
        "Your name",
        filters=[stripped],
        validators=[
            DataRequired("Tell us your name."),
            Length(max=120, message="Keep it under 120 characters."),
        ],
        description="As people in your communities know you.",
        render_kw={"autocomplete": "name"},
    )


class SignUpForm(Form):
    name = _name_field()
    email = _email_field()
    password = _new_password_field()

    def validate_password(self, field: PasswordField) -> None:
        if self.email.data and field.data and field.data.strip().lower() == self.email.data.strip().lower():
            raise ValidationError("Your password can't be your email address.")


class LoginForm(Form):
    email = _email_field()
    password = PasswordField(
        "Password",
        validators=[DataRequired("Enter your password.")],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField("Keep me logged in on this device")
    next = HiddenField()


class RequestResetForm(Form):
    email = _email_field()


def _repeat_password_field() -> PasswordField:
    return PasswordField(
        "Repeat the new password",
        validators=[
            DataRequired("Repeat the new password."),
            EqualTo("password", "The two passwords differ."),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class ResetPasswordForm(Form):
    password = _new_password_field("New password")
    confirm = _repeat_password_field()


class ChangePasswordForm(Form):
    current_password = PasswordField(
        "Current password",
        validators=[DataRequired("Enter your current password.")],
        render_kw={"autocomplete": "current-password"},
    )
    password = _new_password_field("New password")
    confirm = _repeat_password_field()


class ChangeEmailForm(Form):
    email = _email_field("New email address")
    password = PasswordField(
        "Your password",
        validators=[DataRequired("Enter your password to confirm.")],
        render_kw={"autocomplete": "current-password"},
    )


class DeleteAccountForm(Form):
    password = PasswordField(
        "Your password",
        validators=[DataRequired("Enter your password to confirm.")],
        render_kw={"autocomplete": "current-password"},
    )
    confirm = BooleanField(
        "I understand this cannot be undone",
        validators=[DataRequired("Tick the box to confirm.")],
    )
