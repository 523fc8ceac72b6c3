"""Pictures for the demo, drawn with Pillow when the demo loads (no image files in the
repository, nothing downloaded): event covers and profile photos made of gradients and
simple shapes, stored through core.images like any upload."""

from __future__ import annotations

import colorsys
import random
from io import BytesIO

from PIL import Image, ImageDraw

from community.core import images

COVER_SIZE = (1600, 900)
PHOTO_SIZE = 400


def _gradient(size: tuple[int, int], top: tuple[int, int, int], bottom: tuple[int, int, int]) -> Image.Image:
    """`top` fading into `bottom`, from the top left to the bottom right."""
    down = Image.linear_gradient("L")
    mask = Image.blend(down, down.rotate(90), 0.5).resize(size)  # diagonal: half down, half across
    return Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask)


def _png(image: Image.Image) -> bytes:
    buffer = BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _quad() -> Image.Image:
    """An old college front with arches, under a sunset."""
    image = _gradient(COVER_SIZE, (255, 170, 90), (120, 60, 150))
    draw = ImageDraw.Draw(image)
    draw.ellipse((1130, 140, 1370, 380), fill=(255, 224, 150))
    stone, shade = (70, 40, 90), (245, 190, 120)
    draw.rectangle((160, 420, 1440, 900), fill=stone)
    draw.polygon([(560, 420), (800, 250), (1040, 420)], fill=stone)
    draw.rectangle((760, 160, 840, 300), fill=stone)
    for left in range(230, 1400, 170):
        draw.rectangle((left, 620, left + 100, 900), fill=shade)
        draw.ellipse((left, 570, left + 100, 670), fill=shade)
    return image


def _round_table() -> Image.Image:
    """A round table seen from above, eight chairs around it."""
    image = _gradient(COVER_SIZE, (40, 160, 170), (25, 40, 100))
    draw = ImageDraw.Draw(image)
    centre_x, centre_y, table, ring = 800, 450, 210, 300
    seats = [(1, 0), (0.71, 0.71), (0, 1), (-0.71, 0.71), (-1, 0), (-0.71, -0.71), (0, -1), (0.71, -0.71)]
    for index, (dx, dy) in enumerate(seats):
        x, y = centre_x + dx * ring, centre_y + dy * ring
        color = (250, 200, 80) if index % 3 else (240, 110, 90)
        draw.ellipse((x - 55, y - 55, x + 55, y + 55), fill=color)
    draw.ellipse(
        (centre_x - table, centre_y - table, centre_x + table, centre_y + table),
        fill=(240, 235, 220),
        outline=(200, 190, 170),
        width=12,
    )
    return image


def _drinks(rng: random.Random) -> Image.Image:
    """Soft lights of a bar at night, and two full glasses."""
    image = _gradient(COVER_SIZE, (200, 60, 140), (40, 30, 110)).convert("RGBA")
    lights = Image.new("RGBA", COVER_SIZE, (0, 0, 0, 0))
    draw = ImageDraw.Draw(lights)
    for _ in range(40):
        x, y, r = rng.randint(0, 1600), rng.randint(0, 900), rng.randint(20, 90)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(255, 230, 180, rng.randint(30, 90)))
    image = Image.alpha_composite(image, lights).convert("RGB")
    draw = ImageDraw.Draw(image)
    for offset, tilt in ((-170, -40), (170, 40)):
        x = 800 + offset
        draw.polygon(
            [(x - 90 + tilt, 300), (x + 90 + tilt, 300), (x + 20, 560), (x - 20, 560)], fill=(250, 245, 235)
        )
        draw.polygon(
            [(x - 70 + tilt, 330), (x + 70 + tilt, 330), (x + 15, 520), (x - 15, 520)], fill=(245, 180, 60)
        )
        draw.rectangle((x - 10, 560, x + 10, 720), fill=(250, 245, 235))
        draw.rectangle((x - 70, 720, x + 70, 745), fill=(250, 245, 235))
    return image


def demo_cover(theme: str, seed: int = 1) -> images.StoredImage:
    """A demo event's cover: "quad" (a reunion), "table" (a roundtable) or "drinks" (a social)."""
    drawn = {"quad": _quad, "table": _round_table}.get(theme)
    picture = drawn() if drawn else _drinks(random.Random(seed))
    return images.prepare(_png(picture), images.COVER)


#: What each demo cover shows, for its alt text.
COVER_ALT = {
    "quad": "Drawing of an old college building with arches, under an orange sunset",
    "table": "Drawing of a round table seen from above, with eight chairs around it",
    "drinks": "Drawing of two full glasses against the soft lights of a bar",
}


def demo_photo(rng: random.Random) -> images.StoredImage:
    """A made-up profile photo: a head and shoulders in one colour on a gradient of another."""
    hue = rng.random()
    background = [int(c * 255) for c in colorsys.hls_to_rgb(hue, 0.55, 0.55)]
    far = [int(c * 255) for c in colorsys.hls_to_rgb((hue + 0.08) % 1, 0.35, 0.5)]
    figure = [int(c * 255) for c in colorsys.hls_to_rgb((hue + 0.5) % 1, 0.85, 0.35)]
    image = _gradient((PHOTO_SIZE, PHOTO_SIZE), tuple(background), tuple(far))
    draw = ImageDraw.Draw(image)
    draw.ellipse((130, 70, 270, 210), fill=tuple(figure))
    draw.ellipse((60, 240, 340, 520), fill=tuple(figure))
    return images.prepare(_png(image), images.PHOTO)
