"""A person's photo, /people/<id>/photo, for viewers who may see it (registered in routes.py).

The photo follows the profile's rules: someone whose name a viewer may not see does not exist
for them, and the photo has its own "who can see this" level (members by default).
"""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from community.core.images import image_response
from community.members import people
from community.members.permissions import can_see_photo

PHOTO_RULE = "/people/<int:user_id>/photo"


def photo(user_id: int):
    """:raises NotFound: no such person, no photo, or one this viewer may not see."""
    found = people.person_with_profile(user_id)
    if found is None:
        abort(404)
    person, profile = found
    viewer = current_user if current_user.is_authenticated else None
    if not can_see_photo(profile, people.audience_for(viewer, person)) or not profile.photo:
        abort(404)
    # Only the viewer's browser keeps it: who may see it depends on who asks.
    return image_response(profile.photo, profile.photo_content_type, shared=False)
