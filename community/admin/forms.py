"""The admin screens' forms: the reason for a suspension (required) or a restore (optional)."""

from __future__ import annotations

from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from community.core.forms import Form
from community.core.text import stripped

REASON_MAX = 500


class SuspendForm(Form):
    reason = TextAreaField(
        "Reason",
        filters=[stripped],
        validators=[
            DataRequired(message="Say why: the reason is kept in the admin audit log."),
            Length(max=REASON_MAX, message=f"Keep the reason under {REASON_MAX} characters."),
        ],
        description="Kept in the admin audit log, seen only by site administrators.",
        render_kw={"rows": 3, "maxlength": REASON_MAX},
    )


class RestoreForm(Form):
    reason = TextAreaField(
        "Note (optional)",
        filters=[stripped],
        validators=[
            Optional(),
            Length(max=REASON_MAX, message=f"Keep the note under {REASON_MAX} characters."),
        ],
        description="Kept in the admin audit log, seen only by site administrators.",
        render_kw={"rows": 3, "maxlength": REASON_MAX},
    )
