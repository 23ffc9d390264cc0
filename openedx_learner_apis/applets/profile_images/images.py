"""
Validation and resizing of uploaded profile images.

Pure functions: nothing here reads settings or touches models or storage, so every
limit is passed in by the caller. Only the JPEG, PNG and GIF decoders are ever used,
the pixel count is capped before any pixel is decoded, EXIF orientation is applied to
the pixels and the generated JPEGs carry no metadata at all.
"""

from __future__ import annotations

import io
import struct
from typing import IO, Any, NamedTuple

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _, ngettext_lazy
from PIL import Image, ImageCms

__all__ = [
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

_MAGIC_READ_LENGTH = max(len(m) // 2 for t in IMAGE_TYPES.values() for m in t.magic)

_JPEG_QUALITY = 90

# JPEG sources are decoded with DCT scaling (draft mode) to the smallest power-of-two
# reduction that still leaves this many times the largest output side, so the final
# Lanczos pass has enough detail to match a full-resolution resize.
_DRAFT_OVERSAMPLE = 1.5

# Lanczos on large reductions first box-reduces by an integer factor while staying at
# least this many times the target size; visually indistinguishable, much faster.
_REDUCING_GAP = 3.0

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


def _to_srgb(img: Image.Image, icc_profile: bytes | None) -> Image.Image | None:
    """Colour-manage RGB/CMYK/L pixels into sRGB when the source embeds an ICC profile."""
    if not icc_profile or img.mode not in ("RGB", "CMYK", "L"):
        return None
    # A profile whose colour space does not match the pixels makes lcms raise: ignored.
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        converted = ImageCms.profileToProfile(
            img, source, ImageCms.createProfile("sRGB"), outputMode="RGB"
        )
    except (ImageCms.PyCMSError, *_DECODE_ERRORS):
        return None  # a broken profile is ignored, the pixels are converted naively instead
    return converted


def _flatten_alpha(img: Image.Image) -> Image.Image:
    """Composite a transparent image onto white (upstream just dropped alpha, often showing black)."""
    rgba = img.convert("RGBA")
    background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    return Image.alpha_composite(background, rgba).convert("RGB")


def _to_rgb(img: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """Normalise any mode the three decoders can produce to 8-bit sRGB-ish RGB."""
    mode = img.mode
    if icc_profile and mode in ("RGB", "CMYK", "L") and "transparency" not in img.info:
        managed = _to_srgb(img, icc_profile)
        if managed is not None:
            return managed
    rgb = _plain_rgb(img)
    if icc_profile and rgb is not img:
        # e.g. an RGBA PNG with an RGB profile: manage the flattened pixels instead.
        return _to_srgb(rgb, icc_profile) or rgb
    return rgb


def _plain_rgb(img: Image.Image) -> Image.Image:
    """Mode conversion without colour management."""
    mode = img.mode
    has_alpha = mode in ("RGBA", "LA", "PA", "La", "RGBa")
    if has_alpha or (mode in ("P", "L", "RGB", "1") and "transparency" in img.info):
        return _flatten_alpha(img)
    if mode == "RGB":
        return img
    if mode.startswith("I;16") or mode == "I":
        wide = img if mode == "I" else img.convert("I")
        low, high = wide.getextrema()
        if mode.startswith("I;16") or high > 255 or low < 0:
            # Scale the 16-bit range down; a plain convert would clip everything > 255.
            wide = wide.point(lambda v: v * (1 / 256))
        return wide.convert("L").convert("RGB")
    if mode == "F":
        low, high = img.getextrema()
        if 0 <= low and high <= 1.0:
            img = img.point(lambda v: v * 255)
        return img.convert("L").convert("RGB")
    # L, 1, P, CMYK (Pillow already undoes Adobe's inverted CMYK), YCbCr...
    return img.convert("RGB")


def _centre_square(img: Image.Image) -> Image.Image:
    """The largest centred square, exactly min(width, height) on each side."""
    width, height = img.size
    if width == height:
        return img
    side = min(width, height)
    left = (width - side) // 2
    top = (height - side) // 2
    return img.crop((left, top, left + side, top + side))


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
    if img.format not in _ALLOWED_FORMATS or (
        expected_format is not None and img.format != expected_format
    ):
        raise _extension_mismatch_error()
    width, height = img.size
    if width <= 0 or height <= 0:
        raise _unreadable_error()
    if width * height > max_pixels:
        raise _too_many_pixels_error(max_pixels)
    return img


def _decode_square(img: Image.Image, largest: int) -> Image.Image:
    """Decode (reduced when JPEG allows), make upright RGB, and crop the centred square."""
    if img.format == "JPEG":
        target = max(1, round(largest * _DRAFT_OVERSAMPLE))
        if min(img.size) >= 2 * target:
            img.draft("RGB", (target, target))
    img.load()
    icc_profile = img.info.get("icc_profile")
    orientation = _orientation(img)
    square = _centre_square(img)
    square = _to_rgb(square, icc_profile)
    # The centred square of a transposed image is the transposed centred square, so
    # rotating after cropping is equivalent and touches fewer pixels.
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
) -> dict[str, bytes]:
    """
    Make one square JPEG per entry of `sizes` ({name: side in px}) from an uploaded image.

    The centred square is scaled to each side (up-scaling tiny sources, as upstream does),
    each smaller size being derived from the next larger result. `expected_format` is the
    value `validate_uploaded_image` returned; a file whose data is another of the allowed
    formats is refused. Any decoding problem becomes `ImageValidationError`.
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
        current = _decode_square(img, ordered[0])
        for side in ordered:
            if current.size != (side, side):
                current = current.resize(
                    (side, side), Image.Resampling.LANCZOS, reducing_gap=_REDUCING_GAP
                )
            rendered[side] = _encode_jpeg(current)
    except Image.DecompressionBombError as exc:
        raise _too_many_pixels_error(max_pixels) from exc
    except _DECODE_ERRORS as exc:
        raise _unreadable_error() from exc
    return {name: rendered[side] for name, side in sizes.items()}
