"""``v0/certificates/...`` routes, nested so that their names are ``certificates_api:v0:certificates:*``.

The family prefix (``api/certificates/v0/`` by default) already holds the version;
the ``v0`` namespace is kept for Open edX ``reverse()`` calls. The trailing slash is
optional (seed 003 documents none, clients send one; audit C1).
"""

from __future__ import annotations

from django.urls import include, re_path

from ...conf import learner_apis_settings
from .views import CertificateDetailView, CertificateListView

certificate_patterns = [
    re_path(rf"^{learner_apis_settings.USERNAME_PATTERN}/courses/{learner_apis_settings.COURSE_KEY_PATTERN}/?$",
            CertificateDetailView.as_view(), name="detail"),
    re_path(rf"^{learner_apis_settings.USERNAME_PATTERN}/?$", CertificateListView.as_view(), name="list"),
]

version_patterns = [
    re_path(r"^certificates/", include((certificate_patterns, "certificates"), namespace="certificates")),
]

urlpatterns = [
    re_path(r"^", include((version_patterns, "v0"), namespace="v0")),
]
