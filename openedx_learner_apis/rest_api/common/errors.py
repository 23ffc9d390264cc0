"""The two error shapes of the families.

Open edX "developer" errors are ``{"developer_message", "user_message"}`` (plus an
optional ``error_code``); the other families keep DRF's ``{"detail"}``.
"""

from __future__ import annotations

from http import HTTPStatus

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
        # The family's own handler first, so that the typed exceptions it maps arrive here as DeveloperError.
        translate = getattr(self, "translate_exception", None)
        if translate is not None:
            exc = translate(exc)
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


def error_code_for(status_code: int) -> str:
    """A code naming the status (``not_found``, ``method_not_allowed``...) for errors that carry none."""
    try:
        return HTTPStatus(status_code).phrase.lower().replace(" ", "_").replace("-", "_")
    except ValueError:
        return "error"


def with_developer_error_keys(data, status_code: int) -> dict:
    """``data`` with ``developer_message`` and ``error_code`` added where missing; its other keys are kept.

    The message and code come from what the body already says: DRF's ``detail`` (and its
    code), or the first of an ``errors`` list; else the status names both.
    """
    body = dict(data) if isinstance(data, dict) else {}
    message, code = body.get("developer_message"), body.get("error_code")
    detail = body.get("detail")
    if detail is not None:
        message = message or str(detail)
        code = code or getattr(detail, "code", None)
    errors = body.get("errors")
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        message = message or errors[0].get("message")
        code = code or errors[0].get("code")
    if not message and data and not isinstance(data, dict):
        message = str(data)
    body["developer_message"] = str(message or error_code_for(status_code).replace("_", " ").capitalize())
    body["error_code"] = str(code or error_code_for(status_code))
    return body


class DeveloperErrorKeysMixin:
    """Every 4xx of the view carries ``developer_message`` and ``error_code``, whatever else its body holds.

    For clients whose error handling reads those two keys from any error (the Open edX mobile
    apps do), while clients that read ``detail`` or ``errors`` keep finding them.
    """

    def finalize_response(self, request, response, *args, **kwargs):
        if 400 <= response.status_code < 500 and hasattr(response, "data"):
            response.data = with_developer_error_keys(response.data, response.status_code)
        return super().finalize_response(request, response, *args, **kwargs)
