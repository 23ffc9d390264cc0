"""``accounts/{username}/image`` under the ``profile_images`` prefix (``api/user/v1/`` by default)."""

from __future__ import annotations

from django.urls import re_path

from ...conf import learner_apis_settings
from ..common.unmatched import unmatched_route
from .views import ProfileImageView

urlpatterns = [
    re_path(rf"^accounts/{learner_apis_settings.USERNAME_PATTERN}/image$", ProfileImageView.as_view(),
            name="accounts_profile_image_api"),
    unmatched_route(r"^accounts/[\s\S]+/image/?$", ProfileImageView),
]
