"""Forms every feature uses."""

from flask_wtf import FlaskForm


class EmptyForm(FlaskForm):
    """For POST-only buttons (log out, resend, cancel): nothing but the CSRF token."""


def form_status(form: FlaskForm) -> int:
    """422 when a submitted form has errors, so the request's transaction is rolled back
    (anything a service flushed before raising is undone) and clients see it failed."""
    return 422 if any(field.errors for field in form) else 200
