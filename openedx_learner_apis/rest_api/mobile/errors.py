"""Mobile error handler: the one place the family turns exceptions into its documented error answers.

Every 4xx of the family carries ``developer_message`` and ``error_code`` (what the apps'
error handling reads), whatever else its body holds; docs/mobile.rst ("Errors") lists the
shapes. The use cases raise typed exceptions; this handler maps each one:

* :class:`CourseNotFound`: 404 ``{"detail": "Course not found."}``, code ``course_not_found``
  (``detail`` in the request's language, ``developer_message`` in English);
* :class:`NotEnrolled`: a plain 404 ``{"detail": "Not found."}`` (the apps tell the two apart);
* :class:`NoMobileAccess`: 404 with the access-error object the apps show;
* :class:`InvalidModule` and :class:`CourseStatusRefused`: 400 ``{"errors": [{"code", "message"}]}``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from ...features.mobile.course_status import CourseNotFound, InvalidModule, NoMobileAccess, NotEnrolled
from ..common.errors import DeveloperErrorKeysMixin

__all__ = ["COURSE_NOT_FOUND", "INVALID_BODY", "INVALID_DATE", "INVALID_MODULE", "CourseStatusRefused",
           "MobileErrorsMixin"]

COURSE_NOT_FOUND = "course_not_found"
INVALID_DATE = ("invalid-modification-date", "Could not parse modification_date")
INVALID_BODY = ("invalid-request-body", "The request body must be a JSON object")
INVALID_MODULE = ("invalid-module-id", "Could not find module for module_id")
COURSE_NOT_FOUND_MESSAGE = _("Course not found.")


class CourseStatusRefused(Exception):
    """A course-status update body the serializer refused: ``code`` and ``message`` name the first error."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def _errors(code: str, message: str) -> Response:
    return Response({"errors": [{"code": code, "message": message}]}, status=status.HTTP_400_BAD_REQUEST)


class MobileErrorsMixin(DeveloperErrorKeysMixin):
    """Maps the mobile use cases' exceptions to the family's answers, then adds the developer keys to any 4xx."""

    def handle_exception(self, exc):
        if isinstance(exc, CourseNotFound):
            return Response({"detail": str(COURSE_NOT_FOUND_MESSAGE), "developer_message": "Course not found.",
                             "error_code": COURSE_NOT_FOUND}, status=status.HTTP_404_NOT_FOUND)
        elif isinstance(exc, NotEnrolled):
            exc = NotFound()
        elif isinstance(exc, NoMobileAccess):
            return Response(exc.result.as_dict(), status=status.HTTP_404_NOT_FOUND)
        elif isinstance(exc, InvalidModule):
            return _errors(*INVALID_MODULE)
        elif isinstance(exc, CourseStatusRefused):
            return _errors(exc.code, exc.message)
        return super().handle_exception(exc)
