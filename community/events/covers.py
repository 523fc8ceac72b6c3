"""An event's cover image: setting it from the organizer's form, and what pages need to show
it (its address, its size, its description), on the event page, in lists and as the image of
a shared link (OpenGraph). The bytes are served by routes/covers.py."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for

from community.core.errors import DomainError
from community.core.images import StoredImage
from community.events.models import Event

#: The columns that make a cover (duplicating an event copies them).
COVER_FIELDS = ("cover_image", "cover_content_type", "cover_width", "cover_height", "cover_alt")


class CoverError(DomainError):
    """A cover image rule was broken; the message says which."""


def set_cover(event: Event, cover: StoredImage | None, *, remove: bool, alt: str) -> None:
    """A new cover replaces the old, `remove` takes it away, and otherwise it stays; its
    description is `alt`. :raises CoverError: a cover with no description."""
    if cover is not None:
        event.cover_image, event.cover_content_type = cover.data, cover.content_type
        event.cover_width, event.cover_height = cover.width, cover.height
    elif remove:
        event.cover_image = event.cover_content_type = event.cover_width = event.cover_height = None
    event.cover_alt = " ".join(alt.split()) if event.cover_content_type else ""
    if event.cover_content_type and not event.cover_alt:
        raise CoverError("Describe the cover image for people who can't see it, or remove the image.")


@dataclass(frozen=True)
class Cover:
    """What an <img> of the cover needs."""

    url: str
    width: int
    height: int
    alt: str
    content_type: str


def cover_of(event: Event, *, external: bool = False) -> Cover | None:
    """The event's cover (None without one). Its address carries a version, so a new cover is
    a new address that browsers and caches fetch afresh; `external`: absolute, for OpenGraph."""
    if not event.cover_content_type:
        return None
    version = int(event.updated_at.timestamp()) if event.updated_at else None
    url = url_for(
        "events.event_cover", slug=event.community.slug, event_id=event.id, v=version, _external=external
    )
    return Cover(
        url=url,
        width=event.cover_width or 0,
        height=event.cover_height or 0,
        alt=event.cover_alt,
        content_type=event.cover_content_type,
    )


def sharing_image(event: Event) -> Cover | None:
    """The cover for og:image and twitter:image (an absolute address), or None."""
    return cover_of(event, external=True)
