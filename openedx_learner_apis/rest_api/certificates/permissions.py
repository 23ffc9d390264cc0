"""The certificates permissions: Open edX's compositions, with our key parsing and username rule."""

from __future__ import annotations

from edx_rest_framework_extensions import permissions as edx_permissions
from rest_framework.permissions import BasePermission

from ...applets.certificates.rules import certificates_marked_public
from ...core.users import is_same_username
from ..common.permissions import (
    IsAuthenticated,
    IsOwner,
    IsStaff,
    JwtHasScope,
    JwtHasUserFilterForRequestedUser,
    JwtRestrictedApplication,
    NotJwtRestrictedApplication,
    jwt_filters,
)


class JwtHasContentOrgFilterForRequestedCourse(edx_permissions.JwtHasContentOrgFilterForRequestedCourse):
    """The restricted JWT carries ``content_org:<org>`` for the org of the course in the URL.

    Reads the key the view parsed (``view.course_key``); a key that does not parse
    denies instead of raising. The filters are the claims the authentication validated.
    """

    message = "JWT missing required content_org filter."

    def has_permission(self, request, view):
        course_key = getattr(view, "course_key", None)
        if course_key is None:
            return False
        return any(kind == "content_org" and value == course_key.org for kind, value in jwt_filters(request))


class IsOwnerOrPublicCertificates(BasePermission):
    """The owner, or anyone when the owner set ``visibility.course_certificates`` to ``all_users``.

    Only that preference counts here; the list then checks the whole profile
    (``certificates_visible_to``). A missing user is denied like a private one.
    """

    def has_permission(self, request, view):
        if is_same_username(request.user, view.kwargs.get("username")):
            return True
        return view.owner is not None and certificates_marked_public(view.owner_preferences)


# Open edX's JWT_RESTRICTED_APPLICATION_OR_USER_ACCESS, with the org filter read from our parsed key.
DETAIL_PERMISSION = IsAuthenticated & (
    (NotJwtRestrictedApplication & (IsStaff | IsOwner))
    | (JwtRestrictedApplication & JwtHasScope & JwtHasContentOrgFilterForRequestedCourse
       & JwtHasUserFilterForRequestedUser)
)

LIST_PERMISSIONS = [
    IsAuthenticated & (NotJwtRestrictedApplication
                       | (JwtRestrictedApplication & JwtHasScope & JwtHasUserFilterForRequestedUser)),
    IsStaff | IsOwnerOrPublicCertificates,
]
