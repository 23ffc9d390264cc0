"""The accounts family's error handler: Open edX's developer-error shape, and ``field_errors`` for updates.

A refused update answers ``{"field_errors": {field: {"developer_message", "user_message"}}}``
and writes nothing; every other error is ``{"developer_message", "user_message"?, "error_code"?}``
(see ``docs/accounts.rst``).
"""

from __future__ import annotations

from rest_framework import status
from rest_framework.exceptions import APIException

from ...applets.learners.api import AccountValidationError


class FieldErrors(APIException):
    """A 400 naming every refused field of an update with its two messages."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "field_errors"

    def __init__(self, field_errors: dict):
        super().__init__(detail={"field_errors": field_errors})


def translate_accounts_exception(exc: Exception) -> Exception:
    """An update the learners applet refused becomes ``FieldErrors``; other exceptions pass unchanged."""
    if isinstance(exc, AccountValidationError):
        return FieldErrors(exc.field_errors)
    return exc
