"""``certificates/{username}/courses/{course_id}/`` and ``certificates/{username}/`` (``docs/certificates.rst``)."""

from __future__ import annotations

from functools import cached_property

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from ...applets.certificates.api import CertificateNotFound, certificates_shown_to, get_user_certificate
from ...applets.learners.visibility import visibility_preferences
from ...core.keys import InvalidKey, parse_course_key
from ...core.users import find_user
from ..common import endpoint_versions
from ..common.conditional import ConditionalGetMixin, versioned_get
from ..common.schema import path_parameter
from ..common.views import FamilyAPIView, family_authentication, family_permissions
from .errors import COURSE_ID_NOT_VALID, error_code_404, translate_certificates_exception
from .permissions import DETAIL_PERMISSION, LIST_PERMISSIONS
from .serializers import (
    CertificateErrorCodeSerializer,
    CertificatesAuthErrorSerializer,
    UserCertificateListItemSerializer,
    UserCertificateSerializer,
)

USERNAME_PARAMETER = path_parameter("username", "The learner (case-insensitive).")
COURSE_PARAMETER = path_parameter("course_key_string", "The course key, e.g. course-v1:edX+DemoX+Demo_Course.")


def _detail_error(description: str) -> OpenApiResponse:
    return OpenApiResponse(CertificatesAuthErrorSerializer, description=description)


class CertificatesBaseView(FamilyAPIView):
    """What both routes share: the family, the scope restricted JWTs need, the owner lookup."""

    family = "certificates"
    required_scopes = ["certificates:read"]
    authentication_classes = family_authentication()
    translate_exception = staticmethod(translate_certificates_exception)

    @cached_property
    def owner(self):
        """The user the URL names (any case), or ``None``."""
        return find_user(self.kwargs.get("username"))


@extend_schema(
    tags=["certificates"],
    summary="A learner's certificate in one course",
    parameters=[USERNAME_PARAMETER, COURSE_PARAMETER],
    responses={
        200: UserCertificateSerializer,
        401: _detail_error("Not authenticated, or a bad or expired token."),
        403: _detail_error(
            "Neither the owner nor staff; or a restricted JWT without the certificates:read scope, the "
            "course's content_org filter or a matching user filter."),
        404: OpenApiResponse(CertificateErrorCodeSerializer, description=(
            "`course_id_not_valid`: the course id does not parse. `no_certificate_for_user`: no such user or "
            "certificate. `no_certificate_configuration_for_course`: a web certificate whose course has no "
            "active web certificate.")),
    },
)
class CertificateDetailView(ConditionalGetMixin, CertificatesBaseView):
    """Any status but the audit ones; only the owner, staff, or a restricted JWT for the course's org."""

    permission_classes = family_permissions(DETAIL_PERMISSION, restricted_gate=False)

    @cached_property
    def course_key(self):
        """The URL's course key, or ``None`` when it does not parse."""
        try:
            return parse_course_key(self.kwargs.get("course_key_string"))
        except InvalidKey:
            return None

    def check_permissions(self, request):
        # A course id the URL pattern let through but that does not parse is a 404
        # (``course_id_not_valid``) for any authenticated requester, never a 500;
        # anonymous requests still get their 401.
        if request.user.is_authenticated and self.course_key is None:
            raise error_code_404(COURSE_ID_NOT_VALID)
        super().check_permissions(request)

    @versioned_get(endpoint_versions.certificates)
    def get(self, request, username: str, course_key_string: str):
        if self.owner is None:
            raise CertificateNotFound(f"No user {username!r}.")
        return Response(UserCertificateSerializer(get_user_certificate(self.owner, self.course_key)).data)


@extend_schema(
    tags=["certificates"],
    summary="A learner's passing certificates",
    parameters=[USERNAME_PARAMETER],
    responses={
        200: UserCertificateListItemSerializer(many=True),
        401: _detail_error("Not authenticated, or a bad or expired token."),
        403: _detail_error(
            "Another learner whose visibility.course_certificates is not all_users, or who does not exist; or "
            "a restricted JWT without the certificates:read scope or with another user's filter."),
        404: _detail_error("Staff asking for a user who does not exist."),
    },
)
class CertificateListView(ConditionalGetMixin, CertificatesBaseView):
    """A plain array, oldest first; empty when the profile itself does not share certificates."""

    permission_classes = family_permissions(*LIST_PERMISSIONS, restricted_gate=False)

    @cached_property
    def owner_preferences(self) -> dict:
        return visibility_preferences(self.owner) if self.owner is not None else {}

    @versioned_get(endpoint_versions.certificates)
    def get(self, request, username: str):
        if self.owner is None:
            raise NotFound()
        # Reuse the preferences the permission read for a non-owner; owners and staff need none.
        shown = certificates_shown_to(request.user, self.owner, preferences=self.__dict__.get("owner_preferences"))
        return Response(UserCertificateListItemSerializer(shown, many=True).data)
