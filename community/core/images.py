"""Uploaded images (community logos, event covers, profile photos): checked, redrawn, served.

Every upload is opened with Pillow (PNG, JPEG, GIF and WebP only) and drawn again: turned
upright as its EXIF orientation says, converted to sRGB, shrunk into the box its use allows
(keeping its proportions, or cut to a centred square), and encoded afresh as JPEG, or PNG
when it is transparent and its use keeps transparency. Nothing else of the file survives: no
EXIF (a phone photo's GPS position), no comments, no colour profile, no animation, and no
bytes a browser might take for something other than an image. What Pillow cannot open, too
many bytes, and too many pixels (a decompression bomb: a small file that unpacks to
gigabytes) are refused with a message meant for the person uploading.
"""

from __future__ import annotations

import hashlib
import warnings
from dataclasses import dataclass
from io import BytesIO

from flask import Response, make_response, request
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from community.core.errors import DomainError

#: Images with more pixels than this are refused before they are decoded (a 48-megapixel
#: phone photo passes; a PNG claiming 30,000 x 30,000 does not).
MAX_PIXELS = 50_000_000
ACCEPTED_FORMATS = ("PNG", "JPEG", "GIF", "WEBP")
#: What file inputs offer to pick (the server checks the content, never the name or type).
ACCEPT = "image/png,image/jpeg,image/webp,image/gif"
JPEG_QUALITY = 85

_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


class ImageError(DomainError):
    """An upload is not an image we take; the message says why."""


@dataclass(frozen=True)
class ImageRule:
    """What one use of images takes: how many bytes, the box it is shrunk into, its shape."""

    noun: str  # "logo", "cover image", "photo": for the messages
    max_bytes: int
    box: tuple[int, int]
    #: Cut to a centred square (avatars), rather than fitted into the box.
    square: bool = False
    #: Keep transparency (as PNG); otherwise transparent parts are laid on white (JPEG).
    keep_transparency: bool = True

    @property
    def size_limit(self) -> str:
        """ "512 KB", "8 MB": the upload limit as people read it."""
        if self.max_bytes % (1024 * 1024) == 0:
            return f"{self.max_bytes // (1024 * 1024)} MB"
        return f"{self.max_bytes // 1024} KB"


LOGO = ImageRule("logo", 512 * 1024, (512, 512))
COVER = ImageRule("cover image", 8 * 1024 * 1024, (1600, 900), keep_transparency=False)
PHOTO = ImageRule("photo", 8 * 1024 * 1024, (400, 400), square=True, keep_transparency=False)


@dataclass(frozen=True)
class StoredImage:
    """An image as it is stored: its new bytes, their content type and its size in pixels."""

    data: bytes
    content_type: str
    width: int
    height: int


def image_type(data: bytes) -> str | None:
    """The content type of a PNG, JPEG, GIF or WebP image, judged by its first bytes."""
    for signature, content_type in _SIGNATURES:
        if data.startswith(signature):
            return content_type
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def read_upload(upload, rule: ImageRule) -> bytes | None:
    """The bytes of an uploaded file (a FileStorage), at most one past the rule's limit so a
    huge file is never read whole; None when no file was chosen."""
    if not upload or not getattr(upload, "filename", None):
        return None
    return upload.read(rule.max_bytes + 1) or None


def prepare(data: bytes, rule: ImageRule) -> StoredImage:
    """The upload redrawn for storing (see the module's docstring).

    :raises ImageError: too many bytes or pixels, or not a PNG, JPEG, GIF or WebP Pillow can read.
    """
    if len(data) > rule.max_bytes:
        raise ImageError(
            f"The {rule.noun} is {_size(len(data))}; please use an image up to {rule.size_limit}."
        )
    if image_type(data) is None:
        raise ImageError(f"The {rule.noun} must be a PNG, JPEG, WebP or GIF image.")
    image = _decode(data, rule)
    image = _upright_srgb(image, rule)
    if rule.square:
        side = min(rule.box[0], image.width, image.height)
        image = ImageOps.fit(image, (side, side), Image.Resampling.LANCZOS)
    else:
        image.thumbnail(rule.box, Image.Resampling.LANCZOS)
    return _encode(image)


def _size(length: int) -> str:
    return f"{length / (1024 * 1024):.1f} MB" if length >= 1024 * 1024 else f"{length // 1024} KB"


def _decode(data: bytes, rule: ImageRule) -> Image.Image:
    unreadable = f"We couldn't read the {rule.noun}: the file may be damaged. Please try another image."
    too_large = (
        f"The {rule.noun} has too many pixels to handle. "
        f"Please use an image under {MAX_PIXELS // 1_000_000} megapixels."
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(BytesIO(data), formats=ACCEPTED_FORMATS)
            if image.width * image.height > MAX_PIXELS:
                raise ImageError(too_large)
            # A JPEG decodes straight at a fraction of its size when that is all we keep.
            longest = max(rule.box)
            image.draft("RGB", (longest, longest))
            image.load()
    except ImageError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageError(too_large) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise ImageError(unreadable) from None
    except Exception:  # a hostile file may break a decoder in any way it likes
        raise ImageError(unreadable) from None
    if image.width < 1 or image.height < 1:
        raise ImageError(unreadable)
    return image


def _is_transparent(image: Image.Image) -> bool:
    if image.mode == "P":
        return "transparency" in image.info
    if image.mode in ("RGBA", "LA", "PA", "La", "RGBa"):
        return image.getchannel("A").getextrema()[0] < 255
    return False


def _upright_srgb(image: Image.Image, rule: ImageRule) -> Image.Image:
    """Turned as its EXIF orientation says, in RGB (or RGBA), its colours in sRGB."""
    try:
        image = ImageOps.exif_transpose(image)
    except (OSError, ValueError, SyntaxError, KeyError, TypeError):
        pass  # unreadable orientation data: keep the image as stored
    if image.mode.startswith("I;16"):
        # 16-bit grey: scaled to 8 bits (a plain conversion would clip it to white).
        image = image.convert("I").point(lambda value: value / 256).convert("L")
    transparent = _is_transparent(image)
    mode = "RGBA" if transparent else "RGB"
    profile = image.info.get("icc_profile")
    converted = None
    if profile and image.mode in ("RGB", "RGBA", "CMYK", "L"):
        try:
            converted = ImageCms.profileToProfile(
                image, ImageCms.ImageCmsProfile(BytesIO(profile)), ImageCms.createProfile("sRGB"),
                outputMode=mode,
            )  # fmt: skip
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            converted = None  # a broken profile: the colours as they are
    image = converted if converted is not None else image.convert(mode)
    if transparent and not rule.keep_transparency:
        backdrop = Image.new("RGB", image.size, (255, 255, 255))
        backdrop.paste(image, mask=image.getchannel("A"))
        image = backdrop
    return image


def _encode(image: Image.Image) -> StoredImage:
    image.info = {}  # nothing of the original file is written again
    out = BytesIO()
    if image.mode == "RGBA":
        image.save(out, "PNG", optimize=True)
        content_type = "image/png"
    else:
        image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
        content_type = "image/jpeg"
    return StoredImage(out.getvalue(), content_type, image.width, image.height)


def image_response(data: bytes, content_type: str, *, shared: bool, max_age: int = 86400) -> Response:
    """Stored image bytes as a response with an ETag (a repeat visit gets 304 Not Modified).

    `shared`: whether caches between the site and the viewer may keep it (an image anyone may
    see); otherwise only the viewer's own browser does. Pages link each image with a version
    in its address (?v=...), so a new image is a new address and a long max-age is safe.
    """
    response = make_response(data)
    response.headers["Content-Type"] = content_type
    response.headers["Cache-Control"] = f"{'public' if shared else 'private'}, max-age={max_age}"
    response.headers["Content-Disposition"] = "inline"
    response.set_etag(hashlib.sha256(data).hexdigest()[:32])
    if not shared:
        response.vary.add("Cookie")
    return response.make_conditional(request)
