"""
The refusals of uploaded profile images: each has a translatable message for users and a plain one for developers.

The accepted types a message lists are those this server can decode, so a host without
pillow-heif never suggests ``.heic``.
"""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _, ngettext_lazy

from .formats import ImageType, available_types

__all__ = ["ImageValidationError", "UnsupportedImageTypeError", "unsupported_type_error"]


class ImageValidationError(Exception):
    """
    The uploaded file cannot be used as the source of a profile image.

    `user_message` is a translatable (lazy) string meant for end users;
    `developer_message` is plain English text for API clients and logs. Without one, it is the
    user message rendered in English, whatever language the request asked for.
    """

    def __init__(self, user_message: Any, developer_message: str | None = None) -> None:
        if developer_message is None:
            with translation.override("en"):
                developer_message = str(user_message)
        super().__init__(developer_message)
        self.user_message = user_message
        self.developer_message = developer_message


class UnsupportedImageTypeError(ImageValidationError):
    """A known image format that this server has no decoder for (the API answers 415)."""


def _get_valid_file_types() -> str:
    """All accepted extensions in table order, as shown to users."""
    return ", ".join(
        ext for image_type in available_types().values() for ext in image_type.extensions
    )


def unsupported_type_error(image_type: ImageType) -> UnsupportedImageTypeError:
    """The refusal of a known format whose decoder is missing: says what the server lacks."""
    return UnsupportedImageTypeError(
        format_lazy(
            _("This server cannot read {image_format} images. Upload one of these types instead: "
              "{valid_file_types}."),
            image_format=image_type.label,
            valid_file_types=_get_valid_file_types(),
        ),
        f"{image_type.label} images are not accepted here: decoding them needs {image_type.requirement}, "
        f"which this server does not have. Accepted: {_get_valid_file_types()}.",
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

    Values keep one decimal (1.5 MB is "1.5 MB", not "1 MB") and GB is the last unit, so any
    size has one.
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
