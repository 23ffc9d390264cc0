"""Upload and removal of profile images: one current route and two deprecated aliases.

The three views share one behaviour, raw uploads and error shape included; the aliases
differ only in which method does what.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from ...applets.profile_images.api import remove_profile_image, set_profile_image
from ...applets.profile_images.images import IMAGE_TYPES
from ...core.users import find_user, is_same_username
from ..common.errors import DeveloperError, DeveloperErrorViewMixin
from ..common.schema import RequiredBodyAutoSchema
from ..common.views import FamilyAPIView, family_authentication, family_permissions
from .errors import add_user_message, translate_profile_images_exception
from .parsers import TypedFileUploadParser
from .permissions import CanChangeProfileImage
from .serializers import ProfileImageErrorSerializer, ProfileImageUploadSerializer

# media type -> file name extensions a raw upload of that type may have: every known format,
# so the schema is the same on every host; one without the decoder answers 415 (the parser).
UPLOAD_MEDIA_TYPES = {mimetype: image_type.extensions
                      for image_type in IMAGE_TYPES.values() for mimetype in image_type.mimetypes}

USERNAME_PARAMETER = OpenApiParameter("username", OpenApiTypes.STR, OpenApiParameter.PATH,
                                      description="The account whose image changes (case-insensitive).")


THROTTLED = ("More uploads and removals by this user than THROTTLE_RATES['profile_images'] allows (10 a minute "
             "by default); the Retry-After header says in how many seconds to try again.")


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
    429: _error(THROTTLED),
}
REMOVE_RESPONSES = {
    204: OpenApiResponse(description="The profile shows the default images; the files are deleted on commit."),
    401: _error("Not authenticated."),
    404: _error("Another user's account for non-staff, or a missing account."),
    429: _error(THROTTLED),
}
COMMON_SCHEMA = {"tags": ["profile_images"], "parameters": [USERNAME_PARAMETER]}

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
    translate_exception = staticmethod(translate_profile_images_exception)

    def is_removal(self, request) -> bool:
        return request.method in self.removal_methods

    def handle_exception(self, exc):
        return add_user_message(super().handle_exception(exc), exc)

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
        set_profile_image(self.target_user(), image)
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
