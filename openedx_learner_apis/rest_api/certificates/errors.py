"""The certificates family's error handler: 404s carry an ``error_code`` naming what is missing.

Authentication and permission refusals keep DRF's ``{"detail"}``; see ``docs/certificates.rst``.
"""

from __future__ import annotations

from rest_framework.exceptions import NotFound

from ...applets.certificates.api import CertificateNotConfigured, CertificateNotFound

COURSE_ID_NOT_VALID = "course_id_not_valid"
NO_CERTIFICATE_FOR_USER = "no_certificate_for_user"
NO_CERTIFICATE_CONFIGURATION = "no_certificate_configuration_for_course"


def error_code_404(code: str) -> NotFound:
    return NotFound({"error_code": code})


def translate_certificates_exception(exc: Exception) -> Exception:
    """No certificate (or no user) and a web certificate of a course without one: two 404 codes."""
    if isinstance(exc, CertificateNotFound):
        return error_code_404(NO_CERTIFICATE_FOR_USER)
    if isinstance(exc, CertificateNotConfigured):
        return error_code_404(NO_CERTIFICATE_CONFIGURATION)
    return exc
