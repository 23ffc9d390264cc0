"""``v0/certificates/...`` routes, nested so that their names are ``certificates_api:v0:certificates:*``.

The family prefix (``api/certificates/v0/`` by default) already holds the version;
the ``v0`` namespace is kept for Open edX ``reverse()`` calls. The trailing slash is
optional: the documented routes have none, and clients send one.
"""

from __future__ import annotations

from django.urls import include, re_path

from ...conf import learner_apis_settings
from ...core.keys import InvalidKey, parse_course_key
from ..common.unmatched import unmatched_route
from .errors import COURSE_ID_NOT_VALID, NO_CERTIFICATE_FOR_USER, error_code_404
from .views import CertificateDetailView, CertificateListView


def unmatched_detail(course_key_string: str, **url_kwargs):
    """The detail route's 404 codes: the course id when it does not parse, else the user."""
    try:
        parse_course_key(course_key_string)
    except InvalidKey:
        return error_code_404(COURSE_ID_NOT_VALID)
    return error_code_404(NO_CERTIFICATE_FOR_USER)


certificate_patterns = [
    re_path(rf"^{learner_apis_settings.USERNAME_PATTERN}/courses/{learner_apis_settings.COURSE_KEY_PATTERN}/?$",
            CertificateDetailView.as_view(), name="detail"),
    re_path(rf"^{learner_apis_settings.USERNAME_PATTERN}/?$", CertificateListView.as_view(), name="list"),
    # A username or course id the patterns reject.
    unmatched_route(r"^[\s\S]+/courses/(?P<course_key_string>[\s\S]*)$", CertificateDetailView, unmatched_detail),
    unmatched_route(r"^[\s\S]*$", CertificateListView),
]

version_patterns = [
    re_path(r"^certificates/", include((certificate_patterns, "certificates"), namespace="certificates")),
]

urlpatterns = [
    re_path(r"^", include((version_patterns, "v0"), namespace="v0")),
]
