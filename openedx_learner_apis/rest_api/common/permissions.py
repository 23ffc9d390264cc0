"""Permission building blocks the families compose.

Each family states its own default list in its views (its spec's matrix); hosts may
replace it with ``OPENEDX_LEARNER_APIS["PERMISSION_CLASSES"][family]``.
"""

from __future__ import annotations

from edx_rest_framework_extensions.permissions import (  # noqa: F401  (re-exported building blocks)
    JwtHasContentOrgFilterForRequestedCourse,
    JwtHasScope,
    JwtHasUserFilterForRequestedUser,
    JwtRestrictedApplication,
    NotJwtRestrictedApplication,
)
from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission, IsAuthenticated  # noqa: F401

from .users import is_same_username


def username_in_url(request, view) -> str | None:
    return view.kwargs.get("username")


class IsStaff(BasePermission):
    """Global staff (``User.is_staff``); superuser alone is not staff."""

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.is_staff)


class IsOwner(BasePermission):
    """The username in the URL is the requester's (case-insensitively)."""

    def has_permission(self, request, view):
        return is_same_username(request.user, username_in_url(request, view))


class IsOwnerOrStaff(BasePermission):
    """The owner or global staff; anyone else gets 403."""

    def has_permission(self, request, view):
        return IsOwner().has_permission(request, view) or IsStaff().has_permission(request, view)


class IsOwnerOrStaffElse404(IsOwnerOrStaff):
    """The owner or staff; anyone else gets 404 so that the existence of accounts does not leak."""

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False  # 401 from authentication, not 404
        if super().has_permission(request, view):
            return True
        raise NotFound()
