"""``assertions/user/{username}/`` under the badges prefix (``api/badges/v1/`` by default)."""

from __future__ import annotations

from django.urls import re_path

from ...conf import learner_apis_settings
from ..common.unmatched import unmatched_route
from .views import UserBadgeAssertionsView

urlpatterns = [
    re_path(rf"^assertions/user/{learner_apis_settings.USERNAME_PATTERN}/$", UserBadgeAssertionsView.as_view(),
            name="user_assertions"),
    unmatched_route(r"^assertions/user/[\s\S]*$", UserBadgeAssertionsView),
]
