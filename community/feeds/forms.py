"""Calendar settings forms."""

from __future__ import annotations

from wtforms import BooleanField

from community.core.forms import Form


class IncludeCommunityEventsForm(Form):
    include = BooleanField("Also show every event of my communities, not only the ones I RSVPed to")
