"""Deprecated ``{username}/upload`` and ``{username}/remove`` under ``api/profile_images/v1/`` by default."""

from __future__ import annotations

from django.urls import re_path

from ...conf import learner_apis_settings
from ..common.unmatched import unmatched_route
from .views import ProfileImageRemoveView, ProfileImageUploadView

# Each deprecated action: its view, routed for a valid username, and a loose fallback that answers
# any other ``.../{action}`` (or ``.../{action}/``) in the view's own error shape.
DEPRECATED_ACTIONS = {"upload": ProfileImageUploadView, "remove": ProfileImageRemoveView}

urlpatterns = [
    *(re_path(rf"^{learner_apis_settings.USERNAME_PATTERN}/{action}$", view.as_view(), name=f"profile_image_{action}")
      for action, view in DEPRECATED_ACTIONS.items()),
    *(unmatched_route(rf"^[\s\S]+/{action}/?$", view) for action, view in DEPRECATED_ACTIONS.items()),
]
