"""The profile images family's error handler: every error has ``developer_message`` and ``user_message``.

The applet's refusals (an unusable image, a missing decoder, a storage failure) and Django's
request-size guards become ``DeveloperError``; errors the framework raises with a developer
message only get the user message of their status (see ``docs/profile_images.rst``).
"""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import ParseError
from rest_framework.response import Response

from ...applets.profile_images.images import ImageValidationError, UnsupportedImageTypeError
from ...applets.profile_images.storage import ProfileImageStorageError
from ..common.errors import DeveloperError

UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"

# The user_message of errors that come with a developer message only (framework errors).
USER_MESSAGES = {
    status.HTTP_400_BAD_REQUEST: _("The upload could not be read. Send the image as the file of a form, "
                                   "or as the request body with its file name."),
    status.HTTP_401_UNAUTHORIZED: _("Sign in to change a profile image."),
    status.HTTP_403_FORBIDDEN: _("You may not change this profile image."),
    status.HTTP_404_NOT_FOUND: _("This account was not found."),
    status.HTTP_405_METHOD_NOT_ALLOWED: _("This action is not available here."),
    status.HTTP_429_TOO_MANY_REQUESTS: _("Too many requests. Please try again later."),
}
FALLBACK_USER_MESSAGE = _("The request could not be completed.")


def translate_profile_images_exception(exc: Exception) -> Exception:
    """A decoder this server lacks is a 415; any other unusable upload or storage failure a 400; too big a 413."""
    if isinstance(exc, UnsupportedImageTypeError):
        return DeveloperError(status.HTTP_415_UNSUPPORTED_MEDIA_TYPE, exc.developer_message, exc.user_message,
                              error_code=UNSUPPORTED_MEDIA_TYPE)
    if isinstance(exc, (ImageValidationError, ProfileImageStorageError)):
        return DeveloperError(status.HTTP_400_BAD_REQUEST, exc.developer_message, exc.user_message)
    # Django's request-size guards fire while the body is parsed; they are client errors.
    if isinstance(exc, RequestDataTooBig):
        return DeveloperError(status.HTTP_413_REQUEST_ENTITY_TOO_LARGE, str(exc), _("The file is too large."))
    if isinstance(exc, (TooManyFieldsSent, TooManyFilesSent)):
        return DeveloperError(status.HTTP_400_BAD_REQUEST, str(exc), _("Send only the image file."))
    return exc


def add_user_message(response: Response, exc: Exception) -> Response:
    """Gives a framework error (a malformed multipart body, 401, 403, 404, 405...) its status's user message."""
    body = response.data
    if isinstance(body, dict) and "developer_message" in body and "user_message" not in body:
        default = USER_MESSAGES[status.HTTP_400_BAD_REQUEST] if isinstance(exc, ParseError) else FALLBACK_USER_MESSAGE
        body["user_message"] = str(USER_MESSAGES.get(response.status_code, default))
    return response
