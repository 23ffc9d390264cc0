"""The courseware family's one error mapping: what each use-case refusal answers over HTTP.

The course endpoint answers in DRF's ``{"detail"}`` shape; the sequence, resume and
celebration endpoints in the developer-error shape (``DeveloperErrorViewMixin``). Both shapes
and the statuses are listed in ``docs/courseware.rst`` ("Errors").
"""

from __future__ import annotations

from rest_framework.exceptions import NotFound, ParseError, PermissionDenied

from ...core.keys import InvalidKey
from ...features.courseware.errors import (
    BlockUnavailable,
    CourseUnavailable,
    NoSuchLearner,
    NotAllowedToViewOther,
    NotASequence,
    NotEnrolled,
)
from ..common.errors import DeveloperError


class MalformedSequenceKey(InvalidKey):
    """The sequence endpoint's usage key does not parse; its message names the key as sent."""


def as_api_exception(exc: Exception) -> Exception:
    """The DRF exception a courseware refusal answers with; other exceptions are returned unchanged.

    A course or block that is missing or may not be seen is one plain not found, so the answer
    does not tell which.
    """
    if isinstance(exc, (CourseUnavailable, BlockUnavailable)):
        return NotFound()
    if isinstance(exc, NoSuchLearner):
        return NotFound(str(exc))
    if isinstance(exc, NotAllowedToViewOther):
        return PermissionDenied(str(exc))
    if isinstance(exc, NotASequence):
        return DeveloperError(422, str(exc))
    if isinstance(exc, NotEnrolled):
        return DeveloperError(404, str(exc))
    if isinstance(exc, MalformedSequenceKey):
        return DeveloperError(400, str(exc))
    if isinstance(exc, InvalidKey):
        return ParseError(str(exc))
    return exc


class CoursewareErrorsMixin:
    """Maps the courseware refusals before the view's error shape is applied (put it first in the bases)."""

    def handle_exception(self, exc):
        return super().handle_exception(as_api_exception(exc))
