"""An event's cover image, /c/<slug>/events/<id>/cover, for whoever may see the event.

Registered on the public events blueprint (routes/public.py): the same visibility check as the
event page (access.load_visible_event), so a members-only event's cover is not served to
people who may not see the event.
"""

from __future__ import annotations

from flask import abort

from community.core.images import image_response
from community.events.access import load_visible_event
from community.events.permissions import has_structured_data

COVER_RULE = "/c/<slug>/events/<int:event_id>/cover"


def event_cover(slug: str, event_id: int):
    _, event, _ = load_visible_event(slug, event_id)
    if not event.cover_content_type or not event.cover_image:
        abort(404)
    # Shared caches may keep only what anyone may see; the rest stays in the viewer's browser.
    return image_response(event.cover_image, event.cover_content_type, shared=has_structured_data(event))
