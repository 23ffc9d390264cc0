"""``accounts``, ``accounts/{username}`` and ``preferences/{username}`` under the ``accounts`` prefix.

The prefix defaults to ``api/user/v1/``, shared with the profile image routes
(``accounts/{username}/image``). The loose 404 patterns here never span a ``/``, so they
cannot catch the image routes or a host's other ``accounts/{username}/...`` routes.
"""

from __future__ import annotations

from django.urls import re_path

from ...conf import learner_apis_settings
from ..common.unmatched import unmatched_route
from .views import AccountDetailView, AccountListView, PreferencesView

urlpatterns = [
    re_path(r"^accounts$", AccountListView.as_view(), name="accounts_detail_api"),
    re_path(rf"^accounts/{learner_apis_settings.USERNAME_PATTERN}$", AccountDetailView.as_view(),
            name="accounts_api"),
    re_path(rf"^preferences/{learner_apis_settings.USERNAME_PATTERN}$", PreferencesView.as_view(),
            name="preferences_api"),
    unmatched_route(r"^accounts/[^/]*$", AccountDetailView),
    unmatched_route(r"^preferences/[^/]*$", PreferencesView),
]
