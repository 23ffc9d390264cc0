"""Routes of the mobile users API, mounted under ``api/mobile/`` (namespace ``mobile_api``).

Exactly the five version tokens are accepted. Every route answers with and without a
trailing slash; the named pattern is the form Open edX reverses to. Any other URL under the
prefix is a JSON 404 the apps can read (``developer_message``, ``error_code``), never the
host's HTML page.
"""

from __future__ import annotations

from django.urls import re_path

from ...conf import learner_apis_settings
from ..common.unmatched import unmatched_route
from .course_info import CourseHandoutsView, CourseUpdatesView
from .course_status import CourseStatusView
from .views import (
    CourseEnrollmentsView,
    EnrollmentsStatusView,
    MobileView,
    MyUserInfoView,
    UserDetailView,
)

VERSION = r"(?P<api_version>v0\.5|v1|v2|v3|v4)/"
USERS = VERSION + "users/" + learner_apis_settings.USERNAME_PATTERN
COURSE_INFO = VERSION + "course_info/" + learner_apis_settings.COURSE_KEY_PATTERN


def _both_slashes(route: str, view_class, name: str, *, slash: bool) -> list:
    """``route`` with and without a trailing slash; the ``slash`` form carries the URL name.

    The other form serves a schema-less subclass so that the API schema lists each route once.
    """
    named, other = (route + "/", route) if slash else (route, route + "/")
    alias = type(f"{view_class.__name__}SlashAlias", (view_class,), {"schema": None})
    return [re_path(f"^{named}$", view_class.as_view(), name=name), re_path(f"^{other}$", alias.as_view())]


urlpatterns = [
    *_both_slashes(VERSION + "my_user_info", MyUserInfoView, "user-info", slash=False),
    *_both_slashes(USERS, UserDetailView, "user-detail", slash=False),
    *_both_slashes(USERS + "/course_enrollments", CourseEnrollmentsView, "courseenrollment-detail",
                   slash=True),
    *_both_slashes(USERS + "/course_status_info/" + learner_apis_settings.COURSE_KEY_PATTERN,
                   CourseStatusView, "user-course-status", slash=False),
    *_both_slashes(USERS + "/enrollments_status", EnrollmentsStatusView, "user-enrollments-status",
                   slash=True),
    *_both_slashes(COURSE_INFO + "/handouts", CourseHandoutsView, "course-handouts-list", slash=False),
    *_both_slashes(COURSE_INFO + "/updates", CourseUpdatesView, "course-updates-list", slash=False),
    # An unknown version, or a username or course key the patterns reject.
    unmatched_route(r"^[^/]+/my_user_info/?$", MyUserInfoView),
    unmatched_route(r"^[^/]+/users/[\s\S]*$", UserDetailView),
    # Anything else under the prefix (course_info/blocks, download_courses... of other mobile APIs).
    unmatched_route(r"^[\s\S]*$", MobileView),
]
