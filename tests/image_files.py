"""Real image files, made with Pillow, for the tests of uploads (logos, covers, photos)."""

from __future__ import annotations

from io import BytesIO

from PIL import Image

RED, BLUE, GREEN = (220, 40, 40), (30, 60, 200), (30, 160, 70)


def image_file(
    fmt: str = "PNG", size: tuple[int, int] = (64, 64), color=RED, mode: str = "RGB", **save
) -> bytes:
    """An image of one colour in `fmt` (PNG, JPEG, GIF, WEBP); `save` goes to Image.save."""
    return encoded(Image.new(mode, size, color), fmt, **save)


def encoded(image: Image.Image, fmt: str = "PNG", **save) -> bytes:
    buffer = BytesIO()
    image.save(buffer, fmt, **save)
    return buffer.getvalue()


def opened(data: bytes) -> Image.Image:
    """The image Pillow reads from `data` (to check what the site stored)."""
    image = Image.open(BytesIO(data))
    image.load()
    return image


PNG = image_file("PNG")
JPEG = image_file("JPEG")
