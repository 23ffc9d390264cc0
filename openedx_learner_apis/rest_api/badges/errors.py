"""The badges family's error handler: typed exceptions of the applets as ``{"detail"}`` answers.

``detail`` is the family's only message and clients show it, so this app's own details are
translated, like the ones Django REST framework writes ("Not found.").
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException, NotFound

from ...core.keys import InvalidKey
from ...core.users import UserNotFound


class InvalidCourseKey(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = _("The course key provided was invalid.")
    default_code = "invalid_course_key"


def translate_badges_exception(exc: Exception) -> Exception:
    """A malformed ``course_id`` filter is a 400; a missing learner a 404 (as a learner who shares nothing)."""
    if isinstance(exc, InvalidKey):
        return InvalidCourseKey()
    if isinstance(exc, UserNotFound):
        return NotFound()
    return exc
