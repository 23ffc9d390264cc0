"""
Validation and resizing of uploaded profile images.

Pure functions: nothing here reads settings or touches models or storage, so every
limit is passed in by the caller. Only the JPEG, PNG and GIF decoders are ever used,
the pixel count and the decoded size are capped before any pixel is decoded, EXIF
orientation is applied to the pixels and the generated JPEGs carry no metadata at all.

A multi-picture JPEG (MPO: what phone cameras and Ultra HDR write, a JPEG followed by
more pictures such as a gain map) is a JPEG: its first picture is used.
"""

from __future__ import annotations

import io
import struct
from typing import IO, Any, NamedTuple

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _, ngettext_lazy
from PIL import Image

from .pixels import decoded_bytes, reduced_rgb_square, rgb_converter

__all__ = [
    "DEFAULT_MAX_DECODED_BYTES",
    "IMAGE_TYPES",
    "ImageType",
    "ImageValidationError",
    "create_profile_images",
    "validate_uploaded_image",
]


class ImageValidationError(Exception):
    """
    The uploaded file cannot be used as the source of a profile image.

    `user_message` is a translatable (lazy) string meant for end users;
    `developer_message` is plain text for API clients and logs.
    """

    def __init__(self, user_message: Any, developer_message: str | None = None) -> None:
        if developer_message is None:
            developer_message = str(user_message)
        super().__init__(developer_message)
        self.user_message = user_message
        self.developer_message = developer_message


class ImageType(NamedTuple):
    """One accepted source format: how it is named, declared and recognised."""

    extensions: tuple[str, ...]
    mimetypes: tuple[str, ...]
    magic: tuple[str, ...]  # lower-case hex of the leading bytes
    pillow_format: str


# Order matters: the first entry whose extension matches the file name wins.
IMAGE_TYPES: dict[str, ImageType] = {
    "jpeg": ImageType(
        extensions=(".jpeg", ".jpg"),
        mimetypes=("image/jpeg", "image/pjpeg"),
        # SOI followed by the first marker's 0xFF: three bytes, so "\xff\xd8" alone
        # (which other formats and random data can start with) is not enough.
        magic=("ffd8ff",),
        pillow_format="JPEG",
    ),
    "png": ImageType(
        extensions=(".png",),
        mimetypes=("image/png",),
        magic=("89504e470d0a1a0a",),
        pillow_format="PNG",
    ),
    "gif": ImageType(
        extensions=(".gif",),
        mimetypes=("image/gif",),
        magic=("474946383961", "474946383761"),  # GIF89a, GIF87a
        pillow_format="GIF",
    ),
}

# The only decoders Pillow may use; anything else is never parsed.
_ALLOWED_FORMATS: tuple[str, ...] = tuple(t.pillow_format for t in IMAGE_TYPES.values())

# Formats Pillow's JPEG decoder reports, all of them JPEG data: the multi-picture files of
# phone cameras come out as "MPO" and are decoded as their first picture.
_JPEG_FORMATS = ("JPEG", "MPO")

# What the decoder may allocate for one image: the bitmap (at the draft-reduced size for
# JPEG) plus a progressive JPEG's coefficient buffer. 36 million pixels of RGB(A), the
# default pixel cap, fit; with the band-wise conversion the rest of the pipeline adds the
# reduced square and one band, so an upload raises a worker's peak memory by well under
# 200 MB whatever the file claims.
DEFAULT_MAX_DECODED_BYTES = 144_000_000

_MAGIC_READ_LENGTH = max(len(m) // 2 for t in IMAGE_TYPES.values() for m in t.magic)

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
)


def _get_valid_file_types() -> str:
    """All accepted extensions in table order, as shown to users."""
    return ", ".join(
        ext for image_type in IMAGE_TYPES.values() for ext in image_type.extensions
    )


def _format_number(value: float) -> str:
    """Whole numbers without decimals, others with one decimal (so 1.5 MB is not shown as 1 MB)."""
    if value == int(value):
        return str(int(value))
    text = f"{value:.1f}"
    return text.removesuffix(".0")


def _human_size(num_bytes: int) -> Any:
    """
    Friendly, translatable size: bytes, then KB, MB, GB in steps of 1024.

    Upstream truncated (1.5 MB became "1 MB") and crashed at 1 GiB (no unit left);
    here values keep one decimal and GB is the last unit.
    """
    units = (None, _("{size} KB"), _("{size} MB"), _("{size} GB"))
    value: float = num_bytes
    index = 0
    while value >= 1024 and index < len(units) - 1:
        value /= 1024
        index += 1
    if index == 0:
        template = ngettext_lazy("{size} byte", "{size} bytes", int(num_bytes))
    else:
        template = units[index]
    return format_lazy(template, size=_format_number(value))


def _too_large_error(max_bytes: int) -> ImageValidationError:
    return ImageValidationError(
        format_lazy(
            _("The file must be smaller than {image_max_size} in size."),
            image_max_size=_human_size(max_bytes),
        )
    )


def _too_small_error(min_bytes: int) -> ImageValidationError:
    return ImageValidationError(
        format_lazy(
            _("The file must be at least {image_min_size} in size."),
            image_min_size=_human_size(min_bytes),
        )
    )


def _bad_type_error() -> ImageValidationError:
    return ImageValidationError(
        format_lazy(
            _("The file must be one of the following types: {valid_file_types}."),
            valid_file_types=_get_valid_file_types(),
        )
    )


def _content_type_mismatch_error() -> ImageValidationError:
    return ImageValidationError(
        _(
            "The Content-Type header for this file does not match the file data. The file may be corrupted."
        )
    )


def _extension_mismatch_error() -> ImageValidationError:
    return ImageValidationError(
        _(
            "The file name extension for this file does not match the file data. The file may be corrupted."
        )
    )


def _too_many_pixels_error(max_pixels: int) -> ImageValidationError:
    return ImageValidationError(
        format_lazy(
            _(
                "The image is too large: it must have at most {max_megapixels} million pixels."
            ),
            max_megapixels=f"{max_pixels / 1_000_000:g}",
        )
    )


def _too_much_memory_error(needed: int, max_decoded_bytes: int) -> ImageValidationError:
    return ImageValidationError(
        _(
            "The image is too large to be processed. Upload an image with fewer pixels, "
            "or save it as a standard (baseline) JPEG or an 8-bit PNG."
        ),
        f"Decoding this image needs about {needed / 1_000_000:.0f} MB of memory; the limit is "
        f"{max_decoded_bytes / 1_000_000:.0f} MB. Send fewer pixels, 8 bits per channel, or a baseline JPEG.",
    )


def _unreadable_error() -> ImageValidationError:
    return ImageValidationError(
        _("The file could not be read as an image. It may be corrupted.")
    )


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
    bounds inclusive-OK), extension, declared content type, leading magic bytes. On
    success the file is rewound to position 0.
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

    if (
        _media_type(getattr(uploaded_file, "content_type", None))
        not in image_type.mimetypes
    ):
        raise _content_type_mismatch_error()

    uploaded_file.seek(0)
    header = uploaded_file.read(_MAGIC_READ_LENGTH) or b""
    uploaded_file.seek(0)
    if isinstance(header, str):  # a text-mode stream cannot be image data
        raise _extension_mismatch_error()
    if not any(header.startswith(bytes.fromhex(magic)) for magic in image_type.magic):
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


def _open(
    image_file: IO[bytes], expected_format: str | None, max_pixels: int
) -> Image.Image:
    """Parse the header only, with the allowed decoders, and enforce format and pixel cap."""
    try:
        image_file.seek(0)
        img = Image.open(image_file, formats=list(_ALLOWED_FORMATS))
    except Image.DecompressionBombError as exc:
        # The header is already beyond Pillow's own hard limit.
        raise _too_many_pixels_error(max_pixels) from exc
    except _DECODE_ERRORS as exc:
        raise _unreadable_error() from exc
    actual = "JPEG" if img.format in _JPEG_FORMATS else img.format
    if actual not in _ALLOWED_FORMATS or (
        expected_format is not None and actual != expected_format
    ):
        raise _extension_mismatch_error()
    width, height = img.size
    if width <= 0 or height <= 0:
        raise _unreadable_error()
    if width * height > max_pixels:
        raise _too_many_pixels_error(max_pixels)
    return img


def _decode_square(img: Image.Image, largest: int, max_decoded_bytes: int) -> Image.Image:
    """
    Decode within the memory budget, make upright RGB, and reduce the centred square.

    JPEG is decoded at the smallest DCT scale that keeps enough detail (draft mode). The
    decoded size is checked before any pixel is decoded; the square is then converted and
    box-reduced band by band, so no second full-resolution copy is ever made.
    """
    header_size = img.size
    if img.format in _JPEG_FORMATS:
        target = max(1, round(largest * _DRAFT_OVERSAMPLE))
        if min(img.size) >= 2 * target:
            img.draft("RGB", (target, target))
    needed = decoded_bytes(img, header_size)
    if needed > max_decoded_bytes:
        raise _too_much_memory_error(needed, max_decoded_bytes)
    img.load()
    icc_profile = img.info.get("icc_profile")
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

    The centred square is scaled to each side (up-scaling tiny sources, as upstream does),
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
    img = _open(image_file, expected_format, max_pixels)
    ordered = sorted(set(sizes.values()), reverse=True)
    rendered: dict[int, bytes] = {}
    try:
        current = _decode_square(img, ordered[0], max_decoded_bytes)
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
