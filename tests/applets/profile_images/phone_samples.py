"""Real WebP, AVIF and HEIC files for the tests, made here with Pillow and pillow-heif (never downloaded)."""

from __future__ import annotations

import io

import pillow_heif
from PIL import Image

from openedx_learner_apis.applets.profile_images import formats

RED, BLUE, GREEN = (255, 0, 0), (0, 0, 255), (0, 160, 0)

formats.available_types()  # registers pillow-heif's HEIF opener (and saver) as the app does

# extension, content type and Pillow format of each phone format
PHONE_FORMATS = {
    "webp": (".webp", "image/webp", "WEBP"),
    "heic": (".heic", "image/heic", "HEIF"),
    "heif": (".heif", "image/heif", "HEIF"),
    "avif": (".avif", "image/avif", "AVIF"),
}


def encode(img: Image.Image, fmt: str, **params) -> bytes:
    buffer = io.BytesIO()
    img.save(buffer, format=fmt, **params)
    return buffer.getvalue()


def halves(size: tuple[int, int] = (300, 200)) -> Image.Image:
    """Left half red, right half blue: turned a quarter, the square shows red above blue."""
    img = Image.new("RGB", size, RED)
    img.paste(BLUE, (size[0] // 2, 0, size[0], size[1]))
    return img


def exif(orientation: int = 1, **tags) -> bytes:
    data = Image.Exif()
    data[0x0112] = orientation
    for tag, value in tags.items():
        data[{"make": 0x010F, "model": 0x0110}[tag]] = value
    return data.tobytes()


def sample(kind: str, img: Image.Image | None = None, **params) -> bytes:
    """A real file of ``kind`` (a key of PHONE_FORMATS) holding ``img``."""
    img = img if img is not None else Image.new("RGB", (320, 240), GREEN)
    params.setdefault("quality", 90)
    return encode(img, PHONE_FORMATS[kind][2], **params)


def animation(kind: str, *colours: tuple[int, int, int], size=(64, 48), **params) -> bytes:
    """An animated WebP or AVIF, or a HEIF collection, one frame per colour, the first primary."""
    frames = [Image.new("RGB", size, colour) for colour in colours]
    return sample(kind, frames[0], save_all=True, append_images=frames[1:], **params)


def heic_high_bit_depth(size: tuple[int, int], colour=GREEN, twelve: bool = False) -> bytes:
    """A 10-bit (or 12-bit) HEIC, as HDR phone photos are: 16-bit samples coded at 10/12 bits."""
    samples = bytes(value for _ in range(size[0] * size[1]) for c in colour for value in (c, c))
    heif = pillow_heif.from_bytes("RGB;16", size, samples)
    previous = pillow_heif.options.SAVE_HDR_TO_12_BIT
    pillow_heif.options.SAVE_HDR_TO_12_BIT = twelve
    try:
        buffer = io.BytesIO()
        heif.save(buffer, quality=90)
    finally:
        pillow_heif.options.SAVE_HDR_TO_12_BIT = previous
    return buffer.getvalue()
