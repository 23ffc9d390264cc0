"""Who may change whose profile image: the owner, and staff for removals only."""

from __future__ import annotations

from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission

from ...core.users import find_user, is_same_username


class CanChangeProfileImage(BasePermission):
    """The owner may upload and remove; staff may remove anyone's image but upload only their own.

    Anyone else gets 404 whether or not the account exists, and staff get 404 for a
    missing account, so the answer never tells a learner which accounts exist. The
    view says which requests remove (``is_removal(request)``).
    """

    message = "Staff may remove another user's profile image but may not upload one."

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False  # 401 from the authenticators
        username = view.kwargs.get("username")
        if is_same_username(user, username):
            return True
        if not user.is_staff or find_user(username) is None:
            raise NotFound()
        return view.is_removal(request)
