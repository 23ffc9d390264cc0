"""Who may read a learner's badges: the owner and staff always, others when the profile shares them."""

from __future__ import annotations

from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission

from ...applets.learners.visibility import is_field_shared
from ...core.users import is_same_username

ACCOMPLISHMENTS_FIELD = "accomplishments_shared"


class AccomplishmentsShared(BasePermission):
    """The owner and global staff always; anyone else, anonymous included, when the profile shares badges.

    Everyone else gets 404, as for a missing user, so the answer never tells whether
    an account exists. The view resolves the user (``view.owner``, ``None`` if missing).
    """

    def has_permission(self, request, view):
        user = request.user
        if is_same_username(user, view.kwargs.get("username")) or (user and user.is_staff):
            return True
        owner = view.owner
        if owner is None or not is_field_shared(owner, ACCOMPLISHMENTS_FIELD):
            raise NotFound()
        return True
