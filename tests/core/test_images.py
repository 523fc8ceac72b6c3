"""Uploaded images are checked, turned upright, shrunk, stripped and encoded afresh."""

from __future__ import annotations

import struct
import zlib

import pytest
from PIL import Image

from community.core import images
from community.core.images import (
    COVER,
    LOGO,
    PHOTO,
    ImageError,
    ImageRule,
    image_response,
    image_type,
    prepare,
)
from tests.image_files import BLUE, RED, encoded, image_file, opened

ORIENTATION, GPS_INFO = 0x0112, 0x8825


def with_size_in_header(png: bytes, width: int, height: int) -> bytes:
    """A real PNG whose header claims another size (with a valid checksum): a decompression bomb
    looks like this, a few bytes that say they unpack to billions of pixels."""
    header = b"IHDR" + struct.pack(">II", width, height) + png[24:29]
    return png[:12] + header + struct.pack(">I", zlib.crc32(header)) + png[33:]


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [("PNG", "image/png"), ("JPEG", "image/jpeg"), ("GIF", "image/gif"), ("WEBP", "image/webp")],
)
def test_each_accepted_format_is_recognised_and_redrawn_as_jpeg(fmt, content_type):
    data = image_file(fmt, (300, 200), RED)
    assert image_type(data) == content_type

    stored = prepare(data, COVER)

    assert (stored.content_type, stored.width, stored.height) == ("image/jpeg", 300, 200)
    image = opened(stored.data)
    assert (image.format, image.size) == ("JPEG", (300, 200))
    red, green, blue = image.getpixel((150, 100))
    assert red > 200 and green < 70 and blue < 70  # still red


def test_what_is_not_an_image_is_refused_by_its_content_not_its_name():
    for data in (b"<svg xmlns='http://www.w3.org/2000/svg'/>", b"%PDF-1.7", b"", b"BM" + b"\x00" * 60):
        assert image_type(data) is None
        with pytest.raises(ImageError, match="The photo must be a PNG, JPEG, WebP or GIF image."):
            prepare(data, PHOTO)


def test_a_damaged_image_with_a_good_signature_is_refused_with_a_message():
    whole = image_file("JPEG", (400, 400))
    for damaged in (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, whole[:200], b"GIF89a" + b"\x00" * 20):
        with pytest.raises(ImageError, match="We couldn't read the cover image: the file may be damaged"):
            prepare(damaged, COVER)


def test_too_many_bytes_are_refused_before_anything_is_decoded():
    rule = ImageRule("logo", 512 * 1024, (512, 512))
    data = image_file("PNG") + b"\x00" * (512 * 1024)
    with pytest.raises(ImageError, match=r"The logo is 512 KB; please use an image up to 512 KB\."):
        prepare(data, rule)
    big = ImageRule("cover image", 8 * 1024 * 1024, (10, 10))
    with pytest.raises(ImageError, match=r"is 9\.0 MB; please use an image up to 8 MB\."):
        prepare(image_file("PNG") + b"\x00" * (9 * 1024 * 1024 - 200), big)


@pytest.mark.parametrize("side", [8000, 30000, 100000])
def test_a_decompression_bomb_is_refused_without_being_decoded(side):
    # 64, 900 and 10,000 megapixels: past our limit, past Pillow's warning, past its error.
    bomb = with_size_in_header(image_file("PNG", (8, 8)), side, side)
    assert len(bomb) < 200
    with pytest.raises(
        ImageError, match="has too many pixels to handle. Please use an image under 50 megapixels"
    ):
        prepare(bomb, COVER)


def test_a_large_image_shrinks_into_its_box_keeping_its_proportions():
    wide = prepare(image_file("JPEG", (4000, 1000)), COVER)
    tall = prepare(image_file("PNG", (1000, 3000)), COVER)
    small = prepare(image_file("PNG", (320, 180)), COVER)
    logo = prepare(image_file("PNG", (3000, 3000)), LOGO)

    assert (wide.width, wide.height) == (1600, 400)
    assert (tall.width, tall.height) == (300, 900)
    assert (small.width, small.height) == (320, 180)  # never enlarged
    assert opened(logo.data).size == (512, 512)


def test_a_photo_is_cut_to_a_centred_square():
    # Blue in the middle, red at the left and right edges: the square keeps the middle.
    image = Image.new("RGB", (1200, 600), RED)
    image.paste(Image.new("RGB", (600, 600), BLUE), (300, 0))
    stored = prepare(encoded(image, "PNG"), PHOTO)

    photo = opened(stored.data)
    assert photo.size == (stored.width, stored.height) == (400, 400)
    for point in ((5, 200), (395, 200), (200, 200)):
        red, _, blue = photo.getpixel(point)
        assert blue > 150 and red < 80


def test_the_exif_orientation_is_applied_and_every_piece_of_metadata_dropped():
    # A phone photo stored sideways (orientation 6: turn 90 degrees clockwise), with where it was taken.
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[GPS_INFO] = {1: "N", 2: (48.0, 51.0, 24.0)}
    image = Image.new("RGB", (400, 200), RED)
    image.paste(Image.new("RGB", (100, 200), BLUE), (0, 0))  # blue on the left, as stored
    data = encoded(image, "JPEG", exif=exif.tobytes(), comment=b"secret")
    assert opened(data).getexif()[ORIENTATION] == 6

    stored = prepare(data, COVER)

    upright = opened(stored.data)
    assert upright.size == (200, 400)  # turned upright
    red, _, blue = upright.getpixel((100, 20))
    assert blue > 150 and red < 80  # what was on the left is now on top
    assert dict(upright.getexif()) == {}
    assert "comment" not in upright.info and "exif" not in upright.info
    assert b"secret" not in stored.data


def test_transparency_stays_where_the_use_keeps_it_and_is_laid_on_white_elsewhere():
    clear = image_file("PNG", (100, 100), (0, 0, 0, 0), mode="RGBA")
    palette_gif = image_file("GIF", (50, 50), 0, mode="P", transparency=0)

    logo = prepare(clear, LOGO)
    cover = prepare(clear, COVER)

    assert logo.content_type == "image/png"
    assert opened(logo.data).getpixel((50, 50))[3] == 0
    assert cover.content_type == "image/jpeg"
    assert opened(cover.data).getpixel((50, 50)) == (255, 255, 255)
    assert prepare(palette_gif, LOGO).content_type == "image/png"
    # An alpha channel that is opaque everywhere is no transparency: a JPEG.
    assert (
        prepare(image_file("PNG", (20, 20), (1, 2, 3, 255), mode="RGBA"), LOGO).content_type == "image/jpeg"
    )


def test_odd_colour_modes_come_out_as_ordinary_rgb():
    grey16 = prepare(image_file("PNG", (10, 10), 40000, mode="I;16"), COVER)
    cmyk = prepare(image_file("JPEG", (10, 10), (0, 255, 255, 0), mode="CMYK"), COVER)
    assert opened(grey16.data).mode == "RGB"
    assert 140 < opened(grey16.data).getpixel((5, 5))[0] < 170  # 40000 / 65535, not clipped to white
    red, green, blue = opened(cmyk.data).getpixel((5, 5))
    assert red > 200 and green < 80 and blue < 80


def test_an_animated_gif_keeps_its_first_frame_as_a_still():
    frames = [Image.new("RGB", (40, 40), color) for color in (RED, BLUE)]
    gif = encoded(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)

    stored = prepare(gif, COVER)

    still = opened(stored.data)
    assert getattr(still, "n_frames", 1) == 1
    assert still.getpixel((20, 20))[0] > 200


def test_an_image_is_served_with_an_etag_and_the_cache_it_allows(app):
    data = prepare(image_file("PNG"), LOGO).data
    with app.test_request_context("/"):
        shared = image_response(data, "image/jpeg", shared=True)
        private = image_response(data, "image/jpeg", shared=False)
    assert shared.headers["Cache-Control"] == "public, max-age=86400"
    assert private.headers["Cache-Control"] == "private, max-age=86400"
    assert "Cookie" in private.headers["Vary"]
    assert shared.headers["Content-Type"] == "image/jpeg"
    etag = shared.headers["ETag"]
    with app.test_request_context("/", headers={"If-None-Match": etag}):
        again = image_response(data, "image/jpeg", shared=True)
    assert again.status_code == 304


def test_the_limits_read_as_people_say_them():
    assert (LOGO.size_limit, COVER.size_limit) == ("512 KB", "8 MB")
    assert images.MAX_PIXELS == 50_000_000
