"""
Phone photos (multi-picture JPEG) and the memory bound of the image pipeline, called directly.

The memory bound is checked deterministically: the decoded-size estimate read from the
header (exact arithmetic on the header's numbers) and, for the pipeline around the decoder,
the sizes of the images Pillow allocates, recorded by wrapping ``Image.new``-level storage
(``Image.core`` allocation is not visible to tracemalloc).
"""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image, ImageFile

from openedx_learner_apis.applets.profile_images import images, pixels
from openedx_learner_apis.applets.profile_images.images import (
    DEFAULT_MAX_DECODED_BYTES,
    ImageValidationError,
    create_profile_images,
    validate_uploaded_image,
)

SIZES = {"full": 500, "large": 120, "medium": 50, "small": 30}
MAX_PIXELS = 36_000_000
TOO_MUCH_MEMORY = (
    "The image is too large to be processed. Upload an image with fewer pixels, "
    "or save it as a standard (baseline) JPEG or an 8-bit PNG."
)


@pytest.fixture(autouse=True, scope="module")
def _django_settings() -> None:
    from django.conf import settings

    if not settings.configured:
        settings.configure(USE_I18N=False)


def encode(img: Image.Image, fmt: str, **params) -> bytes:
    buffer = io.BytesIO()
    img.save(buffer, format=fmt, **params)
    return buffer.getvalue()


def mpo(first: Image.Image, *others: Image.Image) -> bytes:
    """A real multi-picture JPEG (MP extension in APP2), as phone cameras and Ultra HDR write."""
    return encode(first, "MPO", save_all=True, append_images=list(others), quality=90)


def hand_png(width: int, height: int, colour_type: int, bit_depth: int, row: bytes) -> bytes:
    """A PNG written chunk by chunk: large headers without encoding the pixels in memory first."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


# --- phone photos ----------------------------------------------------------------------


def test_mpo_is_what_pillow_reports_for_the_fixture() -> None:
    data = mpo(Image.new("RGB", (800, 600), (200, 30, 30)), Image.new("L", (200, 150), 128))
    img = Image.open(io.BytesIO(data))
    assert (img.format, getattr(img, "n_frames", 1)) == ("MPO", 2)


def test_mpo_named_jpg_validates_as_jpeg() -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = mpo(Image.new("RGB", (800, 600), (200, 30, 30)), Image.new("RGB", (400, 300), (0, 0, 255)))
    upload = SimpleUploadedFile("IMG_0001.jpg", data, content_type="image/jpeg")
    assert validate_uploaded_image(upload, min_bytes=100, max_bytes=1 << 20) == "JPEG"


def test_mpo_uses_the_first_picture() -> None:
    # First picture red, second (gain-map-like) blue: the output must be red.
    data = mpo(Image.new("RGB", (1600, 1200), (200, 30, 30)), Image.new("RGB", (1600, 1200), (0, 0, 255)))
    out = create_profile_images(io.BytesIO(data), sizes=SIZES, max_pixels=MAX_PIXELS, expected_format="JPEG")
    assert set(out) == set(SIZES)
    full = Image.open(io.BytesIO(out["full"]))
    assert full.size == (500, 500)
    red, green, blue = full.convert("RGB").getpixel((250, 250))
    assert red > 170 and green < 70 and blue < 70


def test_large_mpo_is_draft_decoded_like_a_jpeg() -> None:
    data = mpo(Image.new("RGB", (4000, 3000), (10, 120, 10)), Image.new("L", (1000, 750), 0))
    img = Image.open(io.BytesIO(data))
    img.draft("RGB", (750, 750))
    assert img.size == (1000, 750)  # the DCT scale of 1/4 applies to MPO as to JPEG
    out = create_profile_images(io.BytesIO(data), sizes={"full": 500}, max_pixels=MAX_PIXELS)
    assert Image.open(io.BytesIO(out["full"])).size == (500, 500)


def test_mpo_is_not_taken_for_a_png() -> None:
    data = mpo(Image.new("RGB", (64, 64)), Image.new("RGB", (64, 64)))
    with pytest.raises(ImageValidationError):
        create_profile_images(io.BytesIO(data), sizes=SIZES, max_pixels=MAX_PIXELS, expected_format="PNG")


# --- decoded-size estimate -------------------------------------------------------------


def rgba16_6000() -> bytes:
    return hand_png(6000, 6000, 6, 16, bytes(6000 * 8 + 1))


def test_the_16_bit_rgba_png_is_small_but_decodes_large() -> None:
    data = rgba16_6000()
    assert len(data) < 300_000
    img = Image.open(io.BytesIO(data))
    # Pillow decodes 16-bit RGBA to 8-bit RGBA: four bytes a pixel, 144 MB.
    assert (img.mode, img.size, pixels.decoded_bytes(img)) == ("RGBA", (6000, 6000), 144_000_000)


@pytest.mark.parametrize(
    "colour_type, bit_depth, row_bytes, expected",
    [
        (0, 16, 2, 2 * 36_000_000),  # 16-bit grey: I;16, two bytes a pixel
        (0, 8, 1, 36_000_000),  # 8-bit grey
        (2, 8, 3, 4 * 36_000_000),  # RGB is stored as RGBX
    ],
)
def test_decoded_bytes_per_png_kind(colour_type: int, bit_depth: int, row_bytes: int, expected: int) -> None:
    data = hand_png(6000, 6000, colour_type, bit_depth, bytes(6000 * row_bytes + 1))
    assert pixels.decoded_bytes(Image.open(io.BytesIO(data))) == expected


def test_progressive_jpeg_counts_its_coefficient_buffer_at_header_size() -> None:
    data = encode(Image.new("RGB", (1600, 1600)), "JPEG", progressive=True, subsampling=0)
    img = Image.open(io.BytesIO(data))
    img.draft("RGB", (200, 200))
    # 200x200 RGB output, plus 3 full-resolution components of 64 2-byte coefficients per 8x8 block.
    assert pixels.decoded_bytes(img, (1600, 1600)) == 200 * 200 * 4 + 3 * 1600 * 1600 * 2
    baseline = Image.open(io.BytesIO(encode(Image.new("RGB", (1600, 1600)), "JPEG")))
    baseline.draft("RGB", (200, 200))
    assert pixels.decoded_bytes(baseline, (1600, 1600)) == 200 * 200 * 4


def test_the_default_budget_takes_36_megapixels_of_rgba() -> None:
    assert 4 * MAX_PIXELS <= DEFAULT_MAX_DECODED_BYTES < 200_000_000


def test_over_budget_is_refused_before_decoding(monkeypatch) -> None:
    data = encode(Image.new("RGB", (1000, 1000)), "PNG")
    loads = []
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: loads.append(self))
    with pytest.raises(ImageValidationError) as raised:
        create_profile_images(io.BytesIO(data), sizes=SIZES, max_pixels=MAX_PIXELS, max_decoded_bytes=3_999_999)
    assert str(raised.value.user_message) == TOO_MUCH_MEMORY
    assert "4 MB" in raised.value.developer_message
    assert loads == []


def test_progressive_jpeg_6000_is_refused_by_the_default_budget() -> None:
    img = Image.new("RGB", (6000, 6000), (200, 100, 50))
    data = encode(img, "JPEG", quality=50, progressive=True, subsampling=0)
    with pytest.raises(ImageValidationError) as raised:
        create_profile_images(io.BytesIO(data), sizes=SIZES, max_pixels=MAX_PIXELS)
    assert str(raised.value.user_message) == TOO_MUCH_MEMORY


# --- what the pipeline allocates around the decoder --------------------------------------


def _allocation_ledger(monkeypatch) -> list[int]:
    """Byte sizes of every image Pillow's core creates (new, crop, convert, reduce, ...)."""
    sizes: list[int] = []
    original = Image.Image._new

    def recording_new(self, core_image):
        width, height = core_image.size
        sizes.append(width * height * pixels._BYTES_PER_PIXEL.get(core_image.mode, 4))
        return original(self, core_image)

    monkeypatch.setattr(Image.Image, "_new", recording_new)
    return sizes


def test_the_16_bit_rgba_png_makes_no_second_full_size_copy(monkeypatch) -> None:
    """
    The 6000x6000 16-bit RGBA PNG is accepted within the bound: its decoded bitmap (144 MB,
    within the budget) is the only full-size buffer; nothing else the pipeline creates is
    larger than the reduced square (1500x1500 RGB, 9 MB). Before, alpha flattening made four
    full-size copies (about 630 MB more).
    """
    data = rgba16_6000()
    ledger = _allocation_ledger(monkeypatch)
    out = create_profile_images(io.BytesIO(data), sizes=SIZES, max_pixels=MAX_PIXELS, expected_format="PNG")
    assert Image.open(io.BytesIO(out["full"])).size == (500, 500)
    assert ledger, "the ledger saw no allocation"
    assert max(ledger) <= 1500 * 1500 * 4
    decoded = pixels.decoded_bytes(Image.open(io.BytesIO(data)))
    assert decoded + max(ledger) * 3 < 200_000_000


@pytest.mark.parametrize("mode", ["I;16", "P", "L", "LA", "CMYK"])
def test_every_mode_stays_within_a_band_or_the_reduced_square(monkeypatch, mode: str) -> None:
    img = Image.new(mode, (3200, 3200))
    data = encode(img, "JPEG" if mode == "CMYK" else "PNG")
    ledger = _allocation_ledger(monkeypatch)
    create_profile_images(io.BytesIO(data), sizes=SIZES, max_pixels=MAX_PIXELS)
    # The reduced square is 1600x1600 RGB (factor 2); bands are a quarter of a million pixels.
    assert max(ledger) <= 1600 * 1600 * 4


def test_reduced_square_matches_a_whole_image_reduce() -> None:
    img = Image.new("RGB", (900, 700))
    for x in range(0, 900, 37):
        img.paste((x % 256, (3 * x) % 256, 90), (x, 0, x + 17, 700))
    box = images._centre_box(img.size)
    banded = pixels.reduced_rgb_square(img, box, 3, lambda band: band)
    whole = img.crop(box).reduce(3)
    assert banded.size == whole.size == (234, 234)
    assert banded.tobytes() == whole.tobytes()
