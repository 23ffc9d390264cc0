"""
Validation and resizing of uploaded profile images.

Pure functions: nothing here reads settings or touches models or storage, so every
limit is passed in by the caller. Only the decoders of the accepted formats are ever used
(JPEG, PNG, GIF, and WebP, HEIC/HEIF and AVIF where installed: see ``formats``), the pixel
count and the decoded size are capped before any pixel is decoded, the orientation (EXIF,
or HEIF's ``irot``/``imir``) is applied to the pixels and the generated JPEGs carry no
metadata at all.

A multi-picture JPEG (MPO: what phone cameras and Ultra HDR write, a JPEG followed by
more pictures such as a gain map) is a JPEG: its first picture is used. Likewise an
animated GIF, WebP or AVIF gives its first frame and a HEIF collection or sequence its
primary image.
"""

from __future__ import annotations

import io
import struct
from typing import IO, Any, NamedTuple

from PIL import Image

from .errors import (
    ImageValidationError,
    UnsupportedImageTypeError,
    _bad_type_error,
    _content_type_mismatch_error,
    _extension_mismatch_error,
    _too_large_error,
    _too_many_pixels_error,
    _too_much_memory_error,
    _too_small_error,
    _unreadable_error,
    unsupported_type_error,
)
from .formats import IMAGE_TYPES, SNIFF_LENGTH, ImageType, available_types, webp_canvas_size
from .isobmff import Coding, read_coding
from .pixels import decoded_bytes, reduced_rgb_square, rgb_converter, webp_decoded_bytes

__all__ = [
    "DEFAULT_MAX_DECODED_BYTES",
    "IMAGE_TYPES",
    "ImageType",
    "ImageValidationError",
    "UnsupportedImageTypeError",
    "create_profile_images",
    "validate_uploaded_image",
]


# Formats Pillow's JPEG decoder reports, all of them JPEG data: the multi-picture files of
# phone cameras come out as "MPO" and are decoded as their first picture.
_JPEG_FORMATS = ("JPEG", "MPO")

# What the decoder may allocate for one image: the bitmap (at the draft-reduced size for
# JPEG) plus a progressive JPEG's coefficient buffer. 36 million pixels of RGB(A), the
# default pixel cap, fit; with the band-wise conversion the rest of the pipeline adds the
# reduced square and one band, so an upload raises a worker's peak memory by well under
# 200 MB whatever the file claims.
DEFAULT_MAX_DECODED_BYTES = 144_000_000

_JPEG_QUALITY = 90

# JPEG sources are decoded with DCT scaling (draft mode) to the smallest power-of-two
# reduction that still leaves this many times the largest output side, so the final
# Lanczos pass has enough detail to match a full-resolution resize.
_DRAFT_OVERSAMPLE = 1.5

# Large sources are first box-reduced by an integer factor while staying at least this
# many times the largest output side (as Pillow's reducing_gap does), then Lanczos-resized;
# visually indistinguishable, much faster, and the reduction is done band by band.
_REDUCING_GAP = 3

# EXIF Orientation value -> transpose that turns the stored pixels upright.
_ORIENTATION_TRANSPOSE: dict[int, Image.Transpose] = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_EXIF_ORIENTATION_TAG = 0x0112

# Everything Pillow's JPEG/PNG/GIF plugins are known to raise on hostile or broken input.
_DECODE_ERRORS: tuple[type[BaseException], ...] = (
    OSError,  # includes UnidentifiedImageError and "image file is truncated"
    SyntaxError,
    ValueError,
    TypeError,
    EOFError,
    IndexError,
    KeyError,
    ZeroDivisionError,
    struct.error,
    RuntimeError,  # what libheif's binding raises for data it cannot decode
)


def _allowed_formats() -> list[str]:
    """The only decoders Pillow may use; anything else is never parsed."""
    return [t.pillow_format for t in available_types().values()]


def _file_size(uploaded_file: Any) -> int:
    """The declared size, or the stream length when an object has no usable `.size`."""
    size = getattr(uploaded_file, "size", None)
    if isinstance(size, int):
        return size
    uploaded_file.seek(0, io.SEEK_END)
    size = uploaded_file.tell()
    uploaded_file.seek(0)
    return size


def _media_type(content_type: str | None) -> str:
    """`image/png; charset=binary` -> `image/png` (media types are case-insensitive)."""
    if not content_type:
        return ""
    return content_type.split(";", 1)[0].strip().lower()


def validate_uploaded_image(
    uploaded_file: Any, *, min_bytes: int, max_bytes: int
) -> str:
    """
    Reject files that must not reach an image decoder; return the Pillow format name.

    Checks, first failure wins: size above `max_bytes`, size below `min_bytes` (both
    bounds inclusive-OK), extension, a decoder for that format being installed
    (`UnsupportedImageTypeError` otherwise), declared content type, leading magic bytes
    (for HEIF and AVIF the brands of the ``ftyp`` box). On success the file is rewound
    to position 0.
    """
    size = _file_size(uploaded_file)
    if size > max_bytes:
        raise _too_large_error(max_bytes)
    if size < min_bytes:
        raise _too_small_error(min_bytes)

    filename = (getattr(uploaded_file, "name", None) or "").lower()
    image_type = next(
        (
            t
            for t in IMAGE_TYPES.values()
            if any(filename.endswith(ext) for ext in t.extensions)
        ),
        None,
    )
    if image_type is None:
        raise _bad_type_error()
    if image_type not in available_types().values():
        raise unsupported_type_error(image_type)

    if (
        _media_type(getattr(uploaded_file, "content_type", None))
        not in image_type.mimetypes
    ):
        raise _content_type_mismatch_error()

    uploaded_file.seek(0)
    header = uploaded_file.read(SNIFF_LENGTH) or b""
    uploaded_file.seek(0)
    if isinstance(header, str):  # a text-mode stream cannot be image data
        raise _extension_mismatch_error()
    if not image_type.matches(header):
        raise _extension_mismatch_error()
    return image_type.pillow_format


def _orientation(img: Image.Image) -> int:
    """EXIF (or XMP) orientation, 1 when absent or unparsable: bad metadata is not fatal."""
    try:
        value = img.getexif().get(_EXIF_ORIENTATION_TAG, 1)
    except _DECODE_ERRORS:
        return 1
    return value if isinstance(value, int) and value in _ORIENTATION_TRANSPOSE else 1


def _centre_box(size: tuple[int, int]) -> tuple[int, int, int, int]:
    """The largest centred square, exactly min(width, height) on each side."""
    width, height = size
    side = min(width, height)
    left = (width - side) // 2
    top = (height - side) // 2
    return (left, top, left + side, top + side)


def _encode_jpeg(img: Image.Image) -> bytes:
    """Baseline JPEG with no EXIF, ICC, XMP or comment: nothing from the source survives."""
    img.info = {}
    buffer = io.BytesIO()
    img.save(buffer, format="JPEG", quality=_JPEG_QUALITY, optimize=True)
    return buffer.getvalue()


class _Source(NamedTuple):
    """An opened (not decoded) image and what its decoder's memory depends on besides the header."""

    img: Image.Image
    coding: Coding | None
    file_size: int


def _check_pixels(size: tuple[int, int], max_pixels: int) -> None:
    width, height = size
    if width <= 0 or height <= 0:
        raise _unreadable_error()
    if width * height > max_pixels:
        raise _too_many_pixels_error(max_pixels)


def _check_webp_canvas(image_file: IO[bytes], max_pixels: int, max_decoded_bytes: int) -> None:
    """Pillow's WebP decoder allocates its canvases on opening: check their size before that."""
    image_file.seek(0)
    size = webp_canvas_size(image_file.read(SNIFF_LENGTH) or b"")
    image_file.seek(0)
    if size is None:
        return
    _check_pixels(size, max_pixels)
    needed = webp_decoded_bytes(size, _file_size(image_file))
    if needed > max_decoded_bytes:
        raise _too_much_memory_error(needed, max_decoded_bytes)


def _open(
    image_file: IO[bytes], expected_format: str | None, max_pixels: int, max_decoded_bytes: int
) -> _Source:
    """Parse the header only, with the allowed decoders, and enforce format and pixel cap."""
    allowed = _allowed_formats()
    if expected_format is not None and expected_format not in allowed:
        known = next((t for t in IMAGE_TYPES.values() if t.pillow_format == expected_format), None)
        raise unsupported_type_error(known) if known else _bad_type_error()
    if "WEBP" in allowed:
        _check_webp_canvas(image_file, max_pixels, max_decoded_bytes)
    try:
        image_file.seek(0)
        img = Image.open(image_file, formats=allowed)
    except Image.DecompressionBombError as exc:
        # The header is already beyond Pillow's own hard limit.
        raise _too_many_pixels_error(max_pixels) from exc
    except _DECODE_ERRORS as exc:
        raise _unreadable_error() from exc
    actual = "JPEG" if img.format in _JPEG_FORMATS else img.format
    if actual not in allowed or (expected_format is not None and actual != expected_format):
        raise _extension_mismatch_error()
    _check_pixels(img.size, max_pixels)
    coding = None
    if img.format in ("AVIF", "HEIF"):
        image_file.seek(0)
        coding = read_coding(image_file.read())
    return _Source(img, coding, _file_size(image_file))


def _decode_square(source: _Source, largest: int, max_decoded_bytes: int) -> Image.Image:
    """
    Decode within the memory budget, make upright RGB, and reduce the centred square.

    JPEG is decoded at the smallest DCT scale that keeps enough detail (draft mode). The
    decoded size is checked before any pixel is decoded; the square is then converted and
    box-reduced band by band, so no second full-resolution copy is ever made. Only the
    current frame is decoded: the first of an animation, the primary image of a HEIF file.
    """
    img = source.img
    header_size = img.size
    if img.format in _JPEG_FORMATS:
        target = max(1, round(largest * _DRAFT_OVERSAMPLE))
        if min(img.size) >= 2 * target:
            img.draft("RGB", (target, target))
    needed = decoded_bytes(img, header_size, coding=source.coding, file_size=source.file_size)
    if needed > max_decoded_bytes:
        raise _too_much_memory_error(needed, max_decoded_bytes)
    img.load()
    icc_profile = img.info.get("icc_profile")
    # AVIF's irot/imir arrive as the EXIF orientation; pillow-heif applies HEIF's itself
    # and resets the EXIF value to 1, so no image is turned twice.
    orientation = _orientation(img)
    box = _centre_box(img.size)
    factor = max(1, (box[2] - box[0]) // (largest * _REDUCING_GAP))
    square = reduced_rgb_square(img, box, factor, rgb_converter(img, icc_profile))
    # The centred square of a transposed image is the transposed centred square, so
    # rotating after reducing is equivalent and touches fewer pixels.
    if orientation in _ORIENTATION_TRANSPOSE:
        square = square.transpose(_ORIENTATION_TRANSPOSE[orientation])
    square.info = {}
    return square


def create_profile_images(
    image_file: IO[bytes],
    *,
    sizes: dict[str, int],
    max_pixels: int,
    expected_format: str | None = None,
    max_decoded_bytes: int = DEFAULT_MAX_DECODED_BYTES,
) -> dict[str, bytes]:
    """
    Make one square JPEG per entry of `sizes` ({name: side in px}) from an uploaded image.

    The centred square is scaled to each side (up-scaling tiny sources, as Open edX does),
    each smaller size being derived from the next larger result. `expected_format` is the
    value `validate_uploaded_image` returned; a file whose data is another of the allowed
    formats is refused. An image whose decoding would allocate more than
    `max_decoded_bytes` is refused before it is decoded. Any decoding problem becomes
    `ImageValidationError`.
    """
    if not sizes:
        return {}
    if any(not isinstance(side, int) or side <= 0 for side in sizes.values()):
        raise ValueError("Profile image sizes must be positive integers.")

    # Not closed afterwards: ImageFile.close() would close the caller's file object too.
    source = _open(image_file, expected_format, max_pixels, max_decoded_bytes)
    ordered = sorted(set(sizes.values()), reverse=True)
    rendered: dict[int, bytes] = {}
    try:
        current = _decode_square(source, ordered[0], max_decoded_bytes)
        for side in ordered:
            if current.size != (side, side):
                current = current.resize(
                    (side, side), Image.Resampling.LANCZOS, reducing_gap=float(_REDUCING_GAP)
                )
            rendered[side] = _encode_jpeg(current)
    except Image.DecompressionBombError as exc:
        raise _too_many_pixels_error(max_pixels) from exc
    except _DECODE_ERRORS as exc:
        raise _unreadable_error() from exc
    return {name: rendered[side] for name, side in sizes.items()}
