"""Deprecated ``{username}/upload`` and ``{username}/remove`` under ``api/profile_images/v1/`` by default."""

from __future__ import annotations

from django.urls import re_path

from ...conf import learner_apis_settings
from ..common.unmatched import unmatched_route
from .views import ProfileImageRemoveView, ProfileImageUploadView

urlpatterns = [
    re_path(rf"^{learner_apis_settings.USERNAME_PATTERN}/upload$", ProfileImageUploadView.as_view(),
            name="profile_image_upload"),
    re_path(rf"^{learner_apis_settings.USERNAME_PATTERN}/remove$", ProfileImageRemoveView.as_view(),
            name="profile_image_remove"),
    unmatched_route(r"^[\s\S]+/upload/?$", ProfileImageUploadView),
    unmatched_route(r"^[\s\S]+/remove/?$", ProfileImageRemoveView),
]
