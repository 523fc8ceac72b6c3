"""Calendar settings forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField


class IncludeCommunityEventsForm(FlaskForm):
    include = BooleanField("Also show every event of my communities, not only the ones I RSVPed to")
