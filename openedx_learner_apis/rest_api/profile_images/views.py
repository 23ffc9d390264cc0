"""Upload and removal of profile images: one current route and two deprecated aliases.

The three views share one behaviour, raw uploads and error shape included; the aliases
differ only in which method does what.
"""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, ParseError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from ...applets.profile_images.api import remove_profile_image, set_profile_image
from ...applets.profile_images.images import IMAGE_TYPES, ImageValidationError, UnsupportedImageTypeError
from ...applets.profile_images.storage import ProfileImageStorageError
from ..common.errors import DeveloperError, DeveloperErrorViewMixin
from ..common.schema import RequiredBodyAutoSchema
from ..common.users import find_user, is_same_username
from ..common.views import FamilyAPIView, family_authentication, family_permissions
from .parsers import TypedFileUploadParser
from .permissions import CanChangeProfileImage
from .serializers import ProfileImageErrorSerializer, ProfileImageUploadSerializer

# media type -> file name extensions a raw upload of that type may have: every known format,
# so the schema is the same on every host; one without the decoder answers 415 (the parser).
UPLOAD_MEDIA_TYPES = {mimetype: image_type.extensions
                      for image_type in IMAGE_TYPES.values() for mimetype in image_type.mimetypes}

USERNAME_PARAMETER = OpenApiParameter("username", OpenApiTypes.STR, OpenApiParameter.PATH,
                                      description="The account whose image changes (case-insensitive).")


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ProfileImageErrorSerializer, description=description)


UPLOAD_REQUEST = {
    "multipart/form-data": ProfileImageUploadSerializer,
    **{media_type: OpenApiTypes.BINARY for media_type in UPLOAD_MEDIA_TYPES},
}
UPLOAD_RESPONSES = {
    204: OpenApiResponse(description="The image is stored and the profile shows it."),
    400: _error("No file, a file that is not a usable image (size, type, corrupt data), a raw upload "
                "without a Content-Disposition filename, or a storage failure; nothing changed."),
    401: _error("Not authenticated."),
    403: _error("Staff uploading for another user."),
    404: _error("Another user's account (existing or not)."),
    413: _error("The request body exceeds the server's upload limits."),
    415: _error("A raw body whose Content-Type is not an accepted image type, or an image type (raw or "
                "multipart) this server has no decoder for, such as HEIC without pillow-heif."),
}
REMOVE_RESPONSES = {
    204: OpenApiResponse(description="The profile shows the default images; the files are deleted on commit."),
    401: _error("Not authenticated."),
    404: _error("Another user's account for non-staff, or a missing account."),
}
COMMON_SCHEMA = {"tags": ["profile_images"], "parameters": [USERNAME_PARAMETER]}

# The user_message of errors that come with a developer message only (framework errors):
# every error body of the family carries both.
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
UPLOAD_DESCRIPTION = ("Upload a profile image as the multipart field `file`, or as the raw body with its "
                      "image Content-Type and `Content-Disposition: attachment; filename=<name>`.")


class ProfileImageBaseView(DeveloperErrorViewMixin, FamilyAPIView):
    """What the three routes share; subclasses map HTTP methods to ``upload`` and ``remove``."""

    family = "profile_images"
    parser_classes = [MultiPartParser, FormParser, TypedFileUploadParser]
    authentication_classes = family_authentication()
    permission_classes = family_permissions(IsAuthenticated, CanChangeProfileImage)
    upload_media_types = UPLOAD_MEDIA_TYPES
    removal_methods: frozenset[str] = frozenset()
    schema = RequiredBodyAutoSchema()  # an upload without a body is never valid

    def is_removal(self, request) -> bool:
        return request.method in self.removal_methods

    def handle_exception(self, exc):
        # Django's request-size guards fire while the body is parsed; they are client errors.
        if isinstance(exc, RequestDataTooBig):
            exc = DeveloperError(status.HTTP_413_REQUEST_ENTITY_TOO_LARGE, str(exc), _("The file is too large."))
        elif isinstance(exc, (TooManyFieldsSent, TooManyFilesSent)):
            exc = DeveloperError(status.HTTP_400_BAD_REQUEST, str(exc), _("Send only the image file."))
        response = super().handle_exception(exc)
        body = response.data
        if isinstance(body, dict) and "developer_message" in body and "user_message" not in body:
            # e.g. a malformed multipart body (ParseError), 401, 403, 404, 405.
            default = USER_MESSAGES[400] if isinstance(exc, ParseError) else FALLBACK_USER_MESSAGE
            body["user_message"] = str(USER_MESSAGES.get(response.status_code, default))
        return response

    def target_user(self):
        """The account named in the URL, by its canonical username (the requester when it is theirs)."""
        username = self.kwargs["username"]
        if is_same_username(self.request.user, username):
            return self.request.user
        user = find_user(username)
        if user is None:
            raise NotFound()
        return user

    def upload(self, request) -> Response:
        image = request.FILES.get("file")
        if image is None:
            raise DeveloperError(status.HTTP_400_BAD_REQUEST, "No file provided for profile image",
                                 _("No file provided for profile image"))
        try:
            set_profile_image(self.target_user(), image)
        except UnsupportedImageTypeError as exc:
            raise DeveloperError(status.HTTP_415_UNSUPPORTED_MEDIA_TYPE, exc.developer_message, exc.user_message,
                                 error_code="unsupported_media_type") from exc
        except (ImageValidationError, ProfileImageStorageError) as exc:
            raise DeveloperError(status.HTTP_400_BAD_REQUEST, exc.developer_message, exc.user_message) from exc
        return Response(status=status.HTTP_204_NO_CONTENT)

    def remove(self, request) -> Response:
        remove_profile_image(self.target_user())
        return Response(status=status.HTTP_204_NO_CONTENT)


class ProfileImageView(ProfileImageBaseView):
    """``POST`` uploads, ``DELETE`` removes: ``/api/user/v1/accounts/{username}/image``."""

    removal_methods = frozenset({"DELETE"})

    @extend_schema(**COMMON_SCHEMA, operation_id="accounts_profile_image_upload",
                   request=UPLOAD_REQUEST, responses=UPLOAD_RESPONSES, description=UPLOAD_DESCRIPTION)
    def post(self, request, username):
        return self.upload(request)

    @extend_schema(**COMMON_SCHEMA, operation_id="accounts_profile_image_remove",
                   request=None, responses=REMOVE_RESPONSES,
                   description="Remove a profile image; staff may remove another user's image.")
    def delete(self, request, username):
        return self.remove(request)


class ProfileImageUploadView(ProfileImageBaseView):
    """Deprecated: ``POST /api/profile_images/v1/{username}/upload``, same as ``POST`` on the current route."""

    @extend_schema(**COMMON_SCHEMA, operation_id="profile_images_legacy_upload",
                   request=UPLOAD_REQUEST, responses=UPLOAD_RESPONSES, deprecated=True,
                   description=UPLOAD_DESCRIPTION + " Deprecated: use POST /api/user/v1/accounts/{username}/image.")
    def post(self, request, username):
        return self.upload(request)


class ProfileImageRemoveView(ProfileImageBaseView):
    """Deprecated: ``POST /api/profile_images/v1/{username}/remove``, same as ``DELETE`` on the current route."""

    removal_methods = frozenset({"POST"})

    @extend_schema(**COMMON_SCHEMA, operation_id="profile_images_legacy_remove",
                   request=None, responses=REMOVE_RESPONSES, deprecated=True,
                   description="Remove a profile image. Deprecated: use DELETE /api/user/v1/accounts/{username}/image.")
    def post(self, request, username):
        return self.remove(request)
