"""Permission building blocks the families compose.

Each family states its own default list in its views (its documented access matrix); hosts may
replace it with ``OPENEDX_LEARNER_APIS["PERMISSION_CLASSES"][family]``.

The JWT permissions subclass edx-drf-extensions' classes (so that the LMS's
``EnsureJWTAuthSettingsMiddleware`` recognises them) but read the claims that the
authentication validated, never decoding again through ``JWT_DECODE_HANDLER``, and
compare usernames with the app's one rule (``users.is_same_username``): edx-drf-extensions'
user filter lower-cases both sides, which lets a token for ``VICTOR`` read ``victor``'s data
although the app treats them as two accounts.
"""

from __future__ import annotations

from edx_rest_framework_extensions import permissions as edx_permissions
from rest_framework.exceptions import NotFound
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated  # noqa: F401
from rest_framework_jwt.authentication import JSONWebTokenAuthentication

from ...conf import learner_apis_settings
from ...core.users import find_user, is_same_username, same_ignoring_case
from .authentication import decode_jwt


def username_in_url(request, view) -> str | None:
    return view.kwargs.get("username")


def jwt_claims(request) -> dict | None:
    """The validated claims of the JWT that authenticated ``request``, or ``None`` (no JWT)."""
    if not isinstance(getattr(request, "successful_authenticator", None), JSONWebTokenAuthentication):
        return None
    if not request.auth:
        return None
    return decode_jwt(request.auth)


def jwt_filters(request) -> list[tuple[str, str]]:
    """The token's ``filters`` claim as ``(type, value)`` pairs (``"user:me"`` -> ``("user", "me")``)."""
    claims = jwt_claims(request) or {}
    pairs = []
    for item in claims.get("filters") or []:
        if isinstance(item, str) and ":" in item:
            kind, value = item.split(":", 1)
            pairs.append((kind, value))
    return pairs


def is_restricted_application(request) -> bool:
    claims = jwt_claims(request)
    return bool(claims and claims.get("is_restricted"))


def filter_names_url_user(request, view) -> bool:
    """The token's ``user:`` filter, if any, names the user the URL names (``?username=`` else).

    ``user:me`` is the token's user. The names compare as the app resolves users: an exact
    match, or a case variant only when it resolves to the same account.
    """
    user_filter = next((value for kind, value in jwt_filters(request) if kind == "user"), None)
    if user_filter is None:
        return True
    requested = username_in_url(request, view) or request.query_params.get("username") or ""
    if user_filter == "me":
        return is_same_username(request.user, requested)
    if user_filter == requested:
        return True
    if not same_ignoring_case(user_filter, requested):
        return False
    named = find_user(requested)
    return named is not None and named == find_user(user_filter)


class JwtRestrictedApplication(edx_permissions.JwtRestrictedApplication):
    """The request was authenticated by a JWT of a restricted OAuth application."""

    def has_permission(self, request, view):
        return is_restricted_application(request)


class NotJwtRestrictedApplication(edx_permissions.NotJwtRestrictedApplication):
    """Anything but a restricted application's JWT (anonymous, session, bearer, other JWTs)."""

    def has_permission(self, request, view):
        return not is_restricted_application(request)


class JwtHasScope(edx_permissions.JwtHasScope):
    """The token carries every scope of ``view.required_scopes`` (and the view requires some)."""

    def has_permission(self, request, view):
        required = set(getattr(view, "required_scopes", None) or [])
        scopes = (jwt_claims(request) or {}).get("scopes") or []
        return bool(required) and required.issubset(scopes)


class JwtHasUserFilterForRequestedUser(edx_permissions.JwtHasUserFilterForRequestedUser):
    """The token's ``user:`` filter, if it has one, names the URL's user (same account, not same letters)."""

    def has_permission(self, request, view):
        return filter_names_url_user(request, view)


def granted_scopes(family: str, method: str) -> list[str] | None:
    """The scopes a restricted application needs for ``method`` on ``family``; ``None``: not granted.

    ``RESTRICTED_APPLICATION_SCOPES[family]`` is a list (every method) or a dict with
    ``"read"`` (GET, HEAD, OPTIONS) and ``"write"`` (the other methods) lists.
    """
    grant = learner_apis_settings.RESTRICTED_APPLICATION_SCOPES.get(family)
    if isinstance(grant, dict):
        grant = grant.get("read" if method in SAFE_METHODS else "write")
    if not grant:
        return None
    return [grant] if isinstance(grant, str) else list(grant)


class RestrictedApplicationsInScope(NotJwtRestrictedApplication):
    """Restricted applications only where the host granted the family, with the scopes it named.

    Everyone else passes (this class only stops restricted JWTs). A granted restricted
    JWT also needs its ``user:`` filter, if any, to name the URL's user; the family's own
    permissions then apply to the token's user as to anyone. It subclasses
    ``NotJwtRestrictedApplication`` because it enforces that rule (refusal by default),
    so ``EnsureJWTAuthSettingsMiddleware`` adds nothing on top of it.
    """

    message = "This API is not available to restricted applications, or the token lacks the scopes it needs."

    def has_permission(self, request, view):
        if not is_restricted_application(request):
            return True
        required = granted_scopes(getattr(view, "family", ""), request.method)
        if required is None:
            return False
        scopes = (jwt_claims(request) or {}).get("scopes") or []
        return set(required).issubset(scopes) and filter_names_url_user(request, view)


class IsStaff(edx_permissions.IsStaff):
    """Global staff (``User.is_staff``; superuser alone is not staff): edx-drf-extensions' permission."""


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
