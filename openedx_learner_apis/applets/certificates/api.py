"""Public functions of the certificates applet."""

from __future__ import annotations

import uuid

from django.db import transaction

from ...signals import certificate_changed, send_on_commit
from ..validation import as_course_key, as_user
from .models import Certificate, CertificateStatuses

__all__ = ["issue_certificate", "CertificateStatuses"]


def issue_certificate(user, course_key, *, status: str, mode: str, grade: str = "",
                      download_url: str | None = None, **fields) -> Certificate:
    """Create or update a learner's certificate; sends ``certificate_changed`` on commit."""
    user = as_user(user)
    course_key = as_course_key(course_key)
    if status not in CertificateStatuses.ALL:
        raise ValueError(f"Unknown certificate status {status!r}.")
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().filter(user=user, course_key=course_key).first()
        if certificate is None:
            certificate = Certificate(user=user, course_key=course_key, verify_uuid=uuid.uuid4().hex,
                                      download_uuid=uuid.uuid4().hex)
        certificate.status, certificate.mode, certificate.grade = status, mode, str(grade)
        if download_url is not None:
            certificate.download_url = download_url
        for name, value in fields.items():
            setattr(certificate, name, value)
        certificate.name = certificate.name or user.get_full_name()
        certificate.save()
        send_on_commit(certificate_changed, Certificate, user=user, course_key=course_key, certificate=certificate)
    return certificate
