"""Raw (non-multipart) image uploads: the request body is the file."""

from __future__ import annotations

import os

from rest_framework.exceptions import ParseError, UnsupportedMediaType
from rest_framework.parsers import FileUploadParser


def bare_media_type(content_type: str | None) -> str:
    """``image/png; charset=binary`` -> ``image/png`` (media types compare case-insensitively)."""
    return (content_type or "").split(";", 1)[0].strip().lower()


class TypedFileUploadParser(FileUploadParser):
    """A raw upload restricted to the view's ``upload_media_types`` (``{media type: extensions}``).

    Unlike Open edX's parser it ignores Content-Type parameters, answers a missing
    ``Content-Disposition`` filename with 400 instead of crashing, and takes the
    accepted types from the view class, so every view using it gets the same rules.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        accepted = getattr(parser_context.get("view"), "upload_media_types", {})
        bare = bare_media_type(media_type)
        if bare not in accepted:
            raise UnsupportedMediaType(media_type)
        filename = self.get_filename(stream, media_type, parser_context)
        if not filename:
            raise ParseError(self.errors["no_filename"])
        extension = os.path.splitext(filename)[1].lower()
        if extension not in accepted[bare]:
            raise ParseError(f"The file name extension of {filename!r} does not match the Content-Type {bare!r}.")
        return super().parse(stream, media_type, parser_context)
