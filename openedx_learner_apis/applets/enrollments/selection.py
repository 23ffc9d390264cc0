"""Which enrollments the mobile apps list, and the v4 primary one (spec mobile_users §5.2, §5.5, §5.6).

The pipeline reads a learner's active enrollments once (courses and modes joined or
prefetched) and filters them in memory, so the number of queries does not grow with the
number of enrollments.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum

from django.utils import timezone

from ..certificates.models import Certificate
from ..progress.course_status import latest_progress
from .access import MobileAccess
from .expiry import is_access_expired
from .models import Enrollment

__all__ = [
    "EnrollmentStatuses", "EnrollmentSelection", "parse_status", "status_matches", "choose_primary",
    "select_enrollments",
]


class EnrollmentStatuses(Enum):
    """The v4 ``status`` filter values."""

    ALL = "all"
    COMPLETED = "completed"
    EXPIRED = "expired"
    IN_PROGRESS = "in_progress"

    @classmethod
    def values(cls) -> list[str]:
        return [member.value for member in cls]


def parse_status(value) -> EnrollmentStatuses | None:
    """The status named by ``value``; anything else (absent, unknown) is ``None``."""
    try:
        return EnrollmentStatuses(value)
    except ValueError:
        return None


def status_matches(status: EnrollmentStatuses, course, *, has_certificate: bool, now: datetime) -> bool:
    """Spec §5.5: a certificate of any status means completed; otherwise the course dates decide."""
    if status is EnrollmentStatuses.ALL:
        return True
    if status is EnrollmentStatuses.COMPLETED:
        return has_certificate
    if has_certificate:
        return False
    start, end = course.start, course.end
    if status is EnrollmentStatuses.EXPIRED:
        return end is not None and end < now
    return (start is None or start <= now) and (end is None or now <= end)


def choose_primary(enrollments: list, progress: dict) -> Enrollment | None:
    """The newest enrollment, unless the learner progressed later in another listed course.

    ``enrollments`` are the candidates; ``progress`` maps course keys to the time of the
    learner's latest progress there (keys outside the candidates are ignored). An
    enrollment newer than every progress wins (strictly newer; a tie goes to progress).
    """
    if not enrollments:
        return None
    latest_enrollment = max(enrollments, key=lambda enrollment: enrollment.created)
    by_course = {enrollment.course.course_key: enrollment for enrollment in enrollments}
    progressed = [(when, key) for key, when in progress.items() if key in by_course and when is not None]
    if not progressed:
        return latest_enrollment
    when, course_key = max(progressed, key=lambda item: item[0])
    if latest_enrollment.created > when:
        return latest_enrollment
    return by_course[course_key]


@dataclass
class EnrollmentSelection:
    """The enrollments to list (newest first, primary removed) and the data loaded to describe them."""

    enrollments: list
    primary: Enrollment | None
    access: MobileAccess
    certificates: dict = field(default_factory=dict)


def _org_allowed(course, site_orgs: Iterable[str], org: str | None) -> bool:
    if site_orgs and course.org not in site_orgs:
        return False
    return not org or course.org.casefold() == org.casefold()


def select_enrollments(user, *, org: str | None = None, site_orgs: Iterable[str] = (),
                       status: EnrollmentStatuses | None = None, exclude_expired: bool = False,
                       with_primary: bool = False, now: datetime | None = None) -> EnrollmentSelection:
    """Run the §5.2 pipeline for ``user`` (the URL user, who is also the requester).

    ``org`` compares case-insensitively and an empty value means no filter (DESIGN §6.14);
    ``site_orgs`` (the site's ``SITE_COURSE_ORG_FILTER``) is an exact membership test.
    ``exclude_expired`` drops audit-expired enrollments (v0.5). ``with_primary`` picks the
    v4 primary and removes it from the list; it is ignored when ``status`` is given.
    """
    now = now or timezone.now()
    site_orgs = [site_orgs] if isinstance(site_orgs, str) else list(site_orgs or ())
    enrollments = list(Enrollment.objects.filter(user=user, is_active=True).select_related("course")
                       .prefetch_related("course__modes").order_by("-created", "-id"))
    certificates = {certificate.course_key: certificate
                    for certificate in Certificate.objects.filter(user=user)} if enrollments else {}
    if status is not None:
        enrollments = [enrollment for enrollment in enrollments if status_matches(
            status, enrollment.course, has_certificate=enrollment.course.course_key in certificates, now=now)]
    enrollments = [enrollment for enrollment in enrollments if _org_allowed(enrollment.course, site_orgs, org)]
    access = MobileAccess(user, [enrollment.course for enrollment in enrollments], now=now)
    enrollments = [enrollment for enrollment in enrollments if access.is_mobile_available(enrollment.course)]
    primary = None
    if with_primary and status is None and enrollments:
        primary = choose_primary(enrollments, latest_progress(user))
        enrollments = [enrollment for enrollment in enrollments if enrollment is not primary]
    if exclude_expired:
        enrollments = [enrollment for enrollment in enrollments
                       if not is_access_expired(access.expiration(enrollment, enrollment.course), now)]
    return EnrollmentSelection(enrollments, primary, access, certificates)

