"""The certificate part of the course info: status shown, links, LinkedIn sharing, passing grade.

The order of the rules is in ``docs/courseware.rst`` ("certificate_data"): audit and honor
shortcuts first, then the certificate's own status, then when it may be shown.
"""

from __future__ import annotations

from datetime import datetime
from functools import cached_property
from urllib.parse import urlencode

from ...applets.certificates.models import CertificateStatuses
from ...conf import learner_apis_settings
from ...core.urls import on_root
from .course_facts import (
    AUDIT,
    DEFAULT_GRADE_CUTOFFS,
    HONOR,
    certificate_available_date,
    certificate_eligible_mode,
)

LINKEDIN_ADD_URL = "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&"
LINKEDIN_CERTIFICATE_NAMES = {
    "honor": "{platform_name} Honor Code Certificate for {course_name}",
    "verified": "{platform_name} Verified Certificate for {course_name}",
    "professional": "{platform_name} Professional Certificate for {course_name}",
    "no-id-professional": "{platform_name} Professional Certificate for {course_name}",
}
NO_CERTIFICATE = {"cert_status": None, "cert_web_view_url": None, "download_url": None,
                  "certificate_available_date": None}


class CertificateFields:
    """Certificate fields of :class:`~.course_info.CourseInfo` (mixed into it; reads its learner rows)."""

    @cached_property
    def user_has_passing_grade(self) -> bool:
        if not self.authenticated:
            return False
        cutoffs = self.course.grade_cutoffs or DEFAULT_GRADE_CUTOFFS
        return self.grade_percent >= min(cutoffs.values())

    @cached_property
    def certificate_data(self) -> dict | None:
        """Audit and honor shortcuts, then the certificate's own status; ``None`` when there is nothing to say."""
        if self.enrollment is None:
            return None
        mode = self.enrollment_mode
        if mode == AUDIT:
            return {**NO_CERTIFICATE, "cert_status": CertificateStatuses.audit_passing}
        if mode == HONOR and not certificate_eligible_mode(mode):
            return {**NO_CERTIFICATE, "cert_status": CertificateStatuses.honor_passing}
        certificate = self.certificate
        status = certificate.status if certificate is not None else None
        if status == CertificateStatuses.invalidated:
            return {**NO_CERTIFICATE, "cert_status": status}
        if status not in CertificateStatuses.PASSED and status != CertificateStatuses.requesting:
            if not self.user_has_passing_grade:
                return None
            return {**NO_CERTIFICATE, "cert_status": CertificateStatuses.requesting}
        available = self.certificate_available_date
        if status in CertificateStatuses.PASSED and available is not None and available > self.now:
            return {**NO_CERTIFICATE, "cert_status": "earned_but_not_available",
                    "certificate_available_date": available}
        if status != CertificateStatuses.downloadable:
            return {**NO_CERTIFICATE, "cert_status": status}
        web_url = self.certificate_web_view_url
        download_url = certificate.download_url or None
        if web_url is None and download_url is None:
            return None
        return {**NO_CERTIFICATE, "cert_status": status, "cert_web_view_url": web_url,
                "download_url": None if web_url else download_url}

    @property
    def certificate_available_date(self) -> datetime | None:
        return certificate_available_date(self.course)

    @cached_property
    def certificate_web_view_url(self) -> str | None:
        certificate = self.certificate
        if certificate is None or not self.course.cert_html_view_enabled:
            return None
        return self.hooks.certificate_web_view_url(certificate)

    @cached_property
    def linkedin_add_to_profile_url(self) -> str | None:
        """LinkedIn's add-certification URL for a downloadable certificate, when LinkedIn sharing is on."""
        if not self.authenticated:
            return None
        config = self.hooks.linkedin_add_to_profile_config()
        certificate = self.certificate
        if (not config or certificate is None or certificate.status != CertificateStatuses.downloadable
                or certificate.mode not in LINKEDIN_CERTIFICATE_NAMES):
            return None
        name = LINKEDIN_CERTIFICATE_NAMES[certificate.mode].format(
            platform_name=learner_apis_settings.PLATFORM_NAME, course_name=self.course.display_name_with_default)
        certificate_url = on_root(self.hooks.certificate_web_view_url(certificate), self.lms_root_url)
        params = [("name", name), ("certUrl", certificate_url)]
        if config.get("company_identifier"):
            params.append(("organizationId", config["company_identifier"]))
        params += [("certId", certificate.verify_uuid), ("issueYear", certificate.created_date.year),
                   ("issueMonth", certificate.created_date.month)]
        return LINKEDIN_ADD_URL + urlencode(params)
