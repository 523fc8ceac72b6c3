"""The cover image part of the event form: an upload, what it shows (alt text), and removing it."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import BooleanField, StringField
from wtforms.validators import Length, ValidationError

from community.core import images
from community.core.text import stripped

ALT_MAX = 300
ALT_MISSING = "Describe the image for people who can't see it, e.g. “Our group on the library steps”."


class CoverFields:
    """Mixed into EventForm. `has_cover`: whether the event being edited has a cover already
    (then its description stays required unless it is removed)."""

    cover = FileField(
        "Image (optional)",
        description=f"A wide picture for the event page, the lists and links shared elsewhere. "
        f"PNG, JPEG, WebP or GIF, up to {images.COVER.size_limit}; "
        f"we shrink it to {images.COVER.box[0]} x {images.COVER.box[1]} pixels.",
        render_kw={"accept": images.ACCEPT},
    )
    cover_alt = StringField(
        "Describe the image",
        filters=[stripped],
        validators=[Length(max=ALT_MAX, message=f"Keep it under {ALT_MAX} characters.")],
        description="What it shows, for people who use a screen reader or can't load images.",
    )
    remove_cover = BooleanField("Remove the cover image")

    #: The checked and redrawn upload, once validated.
    cover_image: images.StoredImage | None = None
    has_cover: bool = False

    def validate_cover(self, field: FileField) -> None:
        data = images.read_upload(field.data, images.COVER)
        if data is None:
            return
        try:
            self.cover_image = images.prepare(data, images.COVER)
        except images.ImageError as error:
            raise ValidationError(error.message) from None

    def _check_cover(self) -> bool:
        """A cover that will show needs its description (False, with the message, if missing)."""
        removing = "remove_cover" in self and self.remove_cover.data
        keeps_one = self.cover_image is not None or (self.has_cover and not removing)
        if keeps_one and not self.cover_alt.data and not self.cover_alt.errors:
            self.cover_alt.errors.append(ALT_MISSING)
            return False
        return True

    def cover_details(self) -> dict:
        """The EventDetails fields of the cover."""
        return {
            "cover": self.cover_image,
            "remove_cover": "remove_cover" in self and bool(self.remove_cover.data),
            "cover_alt": self.cover_alt.data or "",
        }
