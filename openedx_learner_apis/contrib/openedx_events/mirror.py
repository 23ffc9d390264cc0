"""Copy a host's enrollment, certificate and grade changes into the applets, newest event wins.

Each function takes the event's time and applies the change only when it is newer than the
stored row's ``modified`` time; it then stores the event's time there. Replaying an event, or
receiving it after a newer one, therefore changes nothing. Every change locks the learner's
user row first, so concurrent consumers apply the events of one learner one at a time.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from ... import api
from ...applets.certificates.models import Certificate, CertificateStatuses
from ...applets.enrollments.models import Enrollment
from ...applets.progress.models import PersistentCourseGrade
from ...core.keys import as_course_key
from ...core.users import UserNotFound, as_user

log = logging.getLogger(__name__)

# Column sizes of the certificate model, which mirrors Open edX's.
GRADE_LENGTH = 5
DOWNLOAD_URL_LENGTH = 128


def user_for(username: str, *, email: str = "", is_active: bool = True):
    """The local user of that username, created (without a usable password) when this service has none."""
    user_model = get_user_model()
    try:
        return as_user(username)
    except UserNotFound:
        pass
    try:
        with transaction.atomic():
            return user_model.objects.create_user(username=username, email=email, is_active=is_active)
    except IntegrityError:  # another consumer created it meanwhile
        return user_model.objects.get(username=username)


def _lock(user) -> None:
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()


def _is_stale(row, field: str, event_time: datetime) -> bool:
    return row is not None and getattr(row, field) is not None and getattr(row, field) >= event_time


_STALE = object()


def _ignored(event: str, reason: str, value, course_key) -> None:
    """Drop an event the mirror cannot store: warn why (the host keeps sending), and answer ``None``."""
    log.warning(f"Ignoring a {event} event with {reason} for %s.", value, course_key)


def _locked_current(model, user, field: str, event_time: datetime, **lookup):
    """Locks the learner, then reads their stored row (``None`` if none); ``_STALE`` if the event is not newer.

    The lock serializes a learner's events, so two consumers cannot both read the same row as current.
    """
    _lock(user)
    current = model.objects.filter(user=user, **lookup).first()
    return _STALE if _is_stale(current, field, event_time) else current


def mirror_enrollment(user, course_key, *, mode: str, is_active: bool, created: datetime | None,
                      event_time: datetime, course_fields: dict | None = None) -> Enrollment | None:
    """Store the host's enrollment state; creates the course overview from the event when missing.

    Returns the enrollment, or ``None`` when the event was older than the stored row.
    """
    course_key = as_course_key(course_key)
    with transaction.atomic():
        current = _locked_current(Enrollment, user, "modified", event_time, course__course_key=course_key)
        if current is _STALE:
            return None
        try:
            api.get_course(course_key)
        except api.CourseNotFound:
            api.upsert_course(course_key, **{name: value for name, value in (course_fields or {}).items()
                                             if value is not None})
        fields = {"created": created} if created is not None else {}
        enrollment = api.enroll(user, course_key, mode=mode, is_active=is_active, **fields)
        Enrollment.objects.filter(pk=enrollment.pk).update(modified=event_time)
        enrollment.modified = event_time
    return enrollment


def mirror_certificate(user, course_key, *, status: str, mode: str, grade: str, download_url: str,
                       name: str, event_time: datetime, revoked: bool = False) -> Certificate | None:
    """Store the host's certificate state; a revocation never leaves a passing status behind.

    Returns the certificate, or ``None`` when the event was stale or its status unknown.
    """
    course_key = as_course_key(course_key)
    if revoked and status in CertificateStatuses.PASSED:
        status = CertificateStatuses.unavailable
    if status not in CertificateStatuses.ALL:
        return _ignored("certificate", "the unknown status %r", status, course_key)
    with transaction.atomic():
        current = _locked_current(Certificate, user, "modified_date", event_time, course_key=course_key)
        if current is _STALE:
            return None
        certificate = api.issue_certificate(user, course_key, status=status, mode=mode,
                                            grade=str(grade or "")[:GRADE_LENGTH],
                                            download_url=(download_url or "")[:DOWNLOAD_URL_LENGTH],
                                            name=name or "")
        Certificate.objects.filter(pk=certificate.pk).update(modified_date=event_time)
        certificate.modified_date = event_time
    return certificate


def mirror_course_grade(user, course_key, *, percent: float, letter_grade: str, passed_timestamp: datetime | None,
                        event_time: datetime) -> PersistentCourseGrade | None:
    """Store the host's course grade, keeping the host's pass time."""
    course_key = as_course_key(course_key)
    if not 0.0 <= float(percent) <= 1.0:
        return _ignored("grade", "percent %r", percent, course_key)
    with transaction.atomic():
        current = _locked_current(PersistentCourseGrade, user, "modified", event_time, course_key=course_key)
        if current is _STALE:
            return None
        grade = api.set_course_grade(user, course_key, float(percent), passed_timestamp is not None,
                                     letter_grade=letter_grade or "")
        return _stamp(grade, passed_timestamp=passed_timestamp, event_time=event_time)


def mirror_passing_status(user, course_key, *, is_passing: bool, event_time: datetime) -> PersistentCourseGrade | None:
    """Store whether the learner passes, keeping the stored percent (and pass time when still passing)."""
    course_key = as_course_key(course_key)
    with transaction.atomic():
        current = _locked_current(PersistentCourseGrade, user, "modified", event_time, course_key=course_key)
        if current is _STALE:
            return None
        was_passing = current is not None and current.passed
        grade = api.set_course_grade(user, course_key, current.percent_grade if current else 0.0, is_passing,
                                     letter_grade=current.letter_grade if was_passing and is_passing else "")
        passed_timestamp = None
        if is_passing:
            passed_timestamp = current.passed_timestamp if was_passing else event_time
        return _stamp(grade, passed_timestamp=passed_timestamp, event_time=event_time)


def _stamp(grade: PersistentCourseGrade, *, passed_timestamp: datetime | None,
           event_time: datetime) -> PersistentCourseGrade:
    PersistentCourseGrade.objects.filter(pk=grade.pk).update(passed_timestamp=passed_timestamp, modified=event_time)
    grade.passed_timestamp, grade.modified = passed_timestamp, event_time
    return grade
