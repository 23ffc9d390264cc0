"""The host's root URLconf, in ``lms/urls.py``'s order: its own routes, then the plugins' (edx-django-utils).

Its own views sit at the LMS's paths with the LMS's names and namespaces: the user
API (no namespace), ``profile_images``, ``mobile_api`` (with a route the app does not
serve, ``course_info/blocks/``), ``certificates_api:v0:certificates``. Its courseware API
is a plugin discovered before this app's (``discovered_plugins``). The plugins are mounted by
edx-django-utils (``example.plugins``: less edx-completion's API, which imports edx-platform).
"""

import sys
from contextlib import contextmanager
from pathlib import Path

from django.urls import include, path, re_path
from edx_django_utils.plugins.registry import DjangoAppRegistry
from stevedore import ExtensionManager

from example.plugins import plugin_url_patterns

from .views import handler404, host_view  # noqa: F401  (handler404 is the host's error page)

USERNAME = r"(?P<username>[\w .@_+-]+)"
COURSE = r"(?P<course_id>[^/+]+(/|\+)[^/+]+(/|\+)[^/?]+)"
PLUGINS = str(Path(__file__).resolve().parent / "plugins")


@contextmanager
def discovered_plugins():
    """The host's courseware plugin is discoverable (first on ``sys.path``) while the host builds its URLs.

    edx-django-utils and stevedore remember the entry points they found; both forget them on
    the way in and out, so other tests discover only the installed plugins.
    """

    def forget():
        DjangoAppRegistry.get_available_plugins.cache_clear()
        ExtensionManager.ENTRY_POINT_CACHE.pop("lms.djangoapp", None)

    sys.path.insert(0, PLUGINS)
    forget()
    try:
        yield
    finally:
        sys.path.remove(PLUGINS)
        forget()


user_api = [
    re_path(rf"^v1/accounts/{USERNAME}/image$", host_view("accounts_profile_image_api"),
            name="accounts_profile_image_api"),
    re_path(rf"^v1/accounts/{USERNAME}$", host_view("accounts_api"), name="accounts_api"),
    re_path(rf"^v1/preferences/{USERNAME}$", host_view("preferences_api"), name="preferences_api"),
    path("v1/me", host_view("own_username_api"), name="own_username_api"),
]
profile_images = [
    re_path(rf"^v1/{USERNAME}/upload$", host_view("profile_image_upload"), name="profile_image_upload"),
    re_path(rf"^v1/{USERNAME}/remove$", host_view("profile_image_remove"), name="profile_image_remove"),
]
mobile = [
    re_path(rf"^users/{USERNAME}$", host_view("user-detail"), name="user-detail"),
    re_path(rf"^users/{USERNAME}/course_enrollments/$", host_view("courseenrollment-detail"),
            name="courseenrollment-detail"),
    re_path(rf"^users/{USERNAME}/course_status_info/{COURSE}$", host_view("user-course-status"),
            name="user-course-status"),
    re_path(r"^my_user_info$", host_view("user-info"), name="user-info"),
    re_path(rf"^course_info/{COURSE}/handouts$", host_view("course-handouts-list"), name="course-handouts-list"),
    re_path(rf"^course_info/{COURSE}/updates$", host_view("course-updates-list"), name="course-updates-list"),
    path("course_info/blocks/", host_view("blocks_info_in_course"), name="blocks_info_in_course"),
]
certificates = [
    re_path(rf"^{USERNAME}/courses/{COURSE}/$", host_view("detail"), name="detail"),
    re_path(rf"^{USERNAME}/$", host_view("list"), name="list"),
]
certificates_versions = [path("v0/", include(([path("certificates/", include((certificates, "certificates")))],
                                              "v0")))]

urlpatterns = [
    path("", host_view("root"), name="root"),
    path("api/enrollment/v1/enrollment", host_view("courseenrollments"), name="courseenrollments"),
    path("api/user/", include(user_api)),
    path("api/profile_images/", include((profile_images, "profile_images"), namespace="profile_images")),
    re_path(r"^api/mobile/(?P<api_version>v(3|2|1|0.5))/", include((mobile, "mobile_api"), namespace="mobile_api")),
    path("api/certificates/", include((certificates_versions, "lms.djangoapps.certificates"),
                                      namespace="certificates_api")),
]

with discovered_plugins():
    urlpatterns += plugin_url_patterns("lms.djangoapp")
