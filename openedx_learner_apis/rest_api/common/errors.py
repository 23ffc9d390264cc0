"""The two error shapes the specs use.

Open edX "developer" errors are ``{"developer_message", "user_message"}`` (plus an
optional ``error_code``); the other families keep DRF's ``{"detail"}``.
"""

from __future__ import annotations

from rest_framework.exceptions import APIException
from rest_framework.response import Response


def developer_error_response(status_code: int, developer_message: str, user_message=None,
                             error_code: str | None = None, **extra) -> Response:
    """A response in the developer-error shape."""
    body = {"developer_message": str(developer_message)}
    if user_message is not None:
        body["user_message"] = str(user_message)
    if error_code is not None:
        body["error_code"] = error_code
    body.update(extra)
    return Response(body, status=status_code)


class DeveloperError(APIException):
    """Raise from a view to answer in the developer-error shape with any status."""

    def __init__(self, status_code: int, developer_message: str, user_message=None, error_code: str | None = None):
        super().__init__(detail=developer_message)
        self.status_code = status_code
        self.developer_message = developer_message
        self.user_message = user_message
        self.error_code = error_code


class DeveloperErrorViewMixin:
    """Turns every API exception of a view into the developer-error shape."""

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        if isinstance(exc, DeveloperError):
            return developer_error_response(exc.status_code, exc.developer_message, exc.user_message,
                                            exc.error_code)
        if isinstance(response.data, dict) and "detail" in response.data and "developer_message" not in response.data:
            new = developer_error_response(response.status_code, response.data["detail"],
                                           error_code=getattr(response.data["detail"], "code", None))
            for header, value in response.items():
                new[header] = value
            return new
        return response
