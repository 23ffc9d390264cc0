"""Raw (non-multipart) image uploads: the request body is the file."""

from __future__ import annotations

import os

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.parsers import FileUploadParser

from ...applets.profile_images.errors import unsupported_type_error
from ...applets.profile_images.formats import available_types, type_for_media_type
from ..common.errors import DeveloperError
from .errors import UNSUPPORTED_MEDIA_TYPE


def bare_media_type(content_type: str | None) -> str:
    """``image/png; charset=binary`` -> ``image/png`` (media types compare case-insensitively)."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def _accepted_extensions(accepted: dict[str, tuple[str, ...]]) -> str:
    return ", ".join(dict.fromkeys(ext for extensions in accepted.values() for ext in extensions))


def _unavailable(media_type: str):
    """The known image format of ``media_type`` when this server has no decoder for it."""
    image_type = type_for_media_type(media_type)
    if image_type is None or image_type in available_types().values():
        return None
    return image_type


class TypedFileUploadParser(FileUploadParser):
    """A raw upload restricted to the view's ``upload_media_types`` (``{media type: extensions}``).

    Unlike Open edX's parser it ignores Content-Type parameters, answers a missing
    ``Content-Disposition`` filename with 400 instead of crashing, and takes the
    accepted types from the view class, so every view using it gets the same rules.
    Its refusals carry a ``user_message`` like every other error of the family. A type the
    view lists but whose decoder is not installed here (HEIC without pillow-heif, AVIF on an
    older Pillow) is a 415 that names what the server lacks.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        accepted = getattr(parser_context.get("view"), "upload_media_types", {})
        bare = bare_media_type(media_type)
        missing = _unavailable(bare) if bare in accepted else None
        if missing is not None:
            raise unsupported_type_error(missing)  # a 415 by the family's error handler
        if bare not in accepted:
            raise DeveloperError(
                status.HTTP_415_UNSUPPORTED_MEDIA_TYPE, f'Unsupported media type "{media_type}" in request.',
                format_lazy(_("The file must be one of the following types: {valid_file_types}."),
                            valid_file_types=_accepted_extensions(
                                {t: e for t, e in accepted.items() if _unavailable(t) is None})),
                error_code=UNSUPPORTED_MEDIA_TYPE)
        filename = self.get_filename(stream, media_type, parser_context)
        if not filename:
            raise DeveloperError(status.HTTP_400_BAD_REQUEST, self.errors["no_filename"],
                                 _("The upload has no file name."), error_code="parse_error")
        extension = os.path.splitext(filename)[1].lower()
        if extension not in accepted[bare]:
            raise DeveloperError(
                status.HTTP_400_BAD_REQUEST,
                f"The file name extension of {filename!r} does not match the Content-Type {bare!r}.",
                _("The Content-Type header for this file does not match the file data. The file may be corrupted."),
                error_code="parse_error")
        return super().parse(stream, media_type, parser_context)
