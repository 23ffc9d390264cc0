"""Public functions of the certificates applet."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import router, transaction

from ...conf import learner_apis_settings
from ...core.keys import as_course_key, spelled_as
from ...core.plain_sql import Select, rows_for_keys
from ...core.users import as_user
from ...signals import certificate_changed, send_on_commit
from ..courses.api import find_course
from ..courses.models import Course
from .models import Certificate, CertificateStatuses
from .rules import (
    certificate_download_url,
    certificates_viewable_for_course,
    certificates_visible_to,
    has_certificate_to_show,
    is_passing,
)

__all__ = [
    "issue_certificate", "CertificateStatuses", "CertificateView", "CertificateNotFound", "CertificateNotConfigured",
    "get_user_certificate", "viewable_certificates", "certificates_in",
]

# Every column of a learner's certificate in one course, in field order (``Model.from_db``'s fast path).
CERTIFICATE_COLUMNS = tuple(field.attname for field in Certificate._meta.concrete_fields)
CERTIFICATE_ROW = Select(Certificate, CERTIFICATE_COLUMNS, ("user", "course_key"))


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


def certificates_in(user, course_keys) -> dict:
    """``{course_key: Certificate}`` of ``user`` in ``course_keys``, in one query for a page of courses.

    The instances are those ``Certificate.objects.filter(user=user, course_key__in=course_keys)``
    gives, read with plain SQL (:func:`openedx_learner_apis.core.plain_sql.rows_for_keys`): the ORM's query cost
    a list of mobile enrollments more CPU than everything it then did with the certificates.
    """
    course_keys = list(course_keys)
    if not course_keys:
        return {}
    alias = router.db_for_read(Certificate)
    certificates = (Certificate.from_db(alias, CERTIFICATE_COLUMNS, row)
                    for row in rows_for_keys(CERTIFICATE_ROW, (user.pk,), course_keys))
    return {certificate.course_key: certificate for certificate in certificates}


class CertificateNotFound(LookupError):
    """The learner has no certificate to show for this course."""


class CertificateNotConfigured(LookupError):
    """The certificate is a web certificate, but the course has no active web certificate."""


@dataclass(frozen=True)
class CertificateView:
    """A certificate as the certificates API shows it (see ``docs/certificates.rst``)."""

    username: str
    course_key: object
    certificate_type: str
    created_date: datetime.datetime
    modified_date: datetime.datetime
    status: str
    is_passing: bool
    download_url: str | None
    grade: str
    course_display_name: str = ""
    course_organization: str = ""

    @classmethod
    def of(cls, user, certificate: Certificate, course: Course | None) -> CertificateView:
        return cls(
            username=user.username, course_key=certificate.course_key, certificate_type=certificate.mode,
            created_date=certificate.created_date, modified_date=certificate.modified_date,
            status=certificate.status, is_passing=is_passing(certificate.status),
            download_url=certificate_download_url(certificate, course), grade=certificate.grade,
            course_display_name=course.display_name_with_default if course is not None else "",
            course_organization=course.display_org_with_default if course is not None else "",
        )


def _eligible_certificates(user):
    return Certificate.objects.filter(user=user).exclude(status__in=CertificateStatuses.INELIGIBLE)


def get_user_certificate(user, course_key) -> CertificateView:
    """The learner's certificate in one course, whatever its status (audit results excepted).

    Raises ``CertificateNotFound`` when there is none, or when it is a web certificate
    of a course that no longer exists; ``CertificateNotConfigured`` when it is a web
    certificate and the course has no active web certificate (docs/certificates.rst).
    """
    course_key = as_course_key(course_key)
    certificate = _eligible_certificates(user).filter(course_key=course_key).first()
    if certificate is None or not spelled_as(certificate.course_key, course_key):
        raise CertificateNotFound(f"No certificate for {user.username} in {course_key}.")
    course = find_course(course_key)
    if not certificate.download_url:
        if course is None:
            raise CertificateNotFound(f"No course {course_key} for the web certificate of {user.username}.")
        if not course.has_any_active_web_certificate:
            raise CertificateNotConfigured(f"Course {course_key} has no active web certificate.")
    return CertificateView.of(user, certificate, course)


def _stand_in_course(course_key, title: str | None) -> Course:
    """An unsaved overview for a course deleted from this site: the catalog's title, shown at once."""
    return Course(course_key=course_key, org=course_key.org, number=course_key.course, run=course_key.run,
                  display_name=title or "", certificates_show_before_end=True)


def viewable_certificates(user, *, now: datetime.datetime | None = None) -> list[CertificateView]:
    """The learner's passing certificates that their courses let anyone see, oldest first.

    Two queries whatever the number of certificates (certificates, then their courses),
    plus one call of the ``course_run_titles`` hook for courses missing here.
    """
    certificates = list(_eligible_certificates(user).filter(status__in=CertificateStatuses.PASSED)
                        .order_by("course_key"))
    if not certificates:
        return []
    keys = [certificate.course_key for certificate in certificates]
    courses = {course.course_key: course for course in Course.objects.filter(course_key__in=keys)}
    missing = [key for key in keys if key not in courses]
    if missing:
        titles = learner_apis_settings.hooks().course_run_titles(missing) or {}
        courses.update({key: _stand_in_course(key, titles.get(key)) for key in missing})
    shown = [
        CertificateView.of(user, certificate, courses[certificate.course_key])
        for certificate in certificates
        if certificates_viewable_for_course(courses[certificate.course_key], now=now)
        and has_certificate_to_show(certificate, courses[certificate.course_key])
    ]
    # A stable sort keeps the course order of the query for certificates created together.
    return sorted(shown, key=lambda view: view.created_date)


def certificates_shown_to(requester, owner, *, preferences: Mapping[str, str] | None = None) -> list[CertificateView]:
    """``owner``'s viewable certificates when ``requester`` may see them, else an empty list.

    ``preferences`` are the owner's visibility preferences when the caller already read
    them (``None``: read them here if the rule needs them).
    """
    if not certificates_visible_to(requester, owner, preferences=preferences):
        return []
    return viewable_certificates(owner)
