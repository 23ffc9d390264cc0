"""Which enrollments the mobile apps list, and the v4 primary one (spec mobile_users §5.2, §5.5, §5.6).

The pipeline filters light rows (the few columns it needs, read in one query) in memory;
full enrollments, modes, certificates and access data are then loaded only for the rows a
response shows, so neither the number of queries nor the cost of a page grows with the
number of enrollments.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum

from django.db.models import CharField
from django.db.models.functions import Cast
from django.utils import timezone
from opaque_keys.edx.keys import CourseKey

from ..certificates.models import Certificate
from ..courses.roles import course_roles
from ..mobile.configs import ignore_mobile_available_flag
from ..progress.course_status import latest_progress
from .access import MobileAccess, is_mobile_available
from .expiry import is_access_expired
from .models import Enrollment

__all__ = [
    "EnrollmentStatuses", "EnrollmentRow", "EnrollmentSelection", "LoadedEnrollments", "parse_status",
    "status_matches", "choose_primary", "select_enrollments",
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


def choose_primary(enrollments: list, progress: dict):
    """The newest enrollment, unless the learner progressed later in another listed course.

    ``enrollments`` are the candidates (anything with ``created`` and ``course_key``);
    ``progress`` maps course keys to the time of the learner's latest progress there (keys
    outside the candidates are ignored). An enrollment newer than every progress wins
    (strictly newer; a tie goes to progress).
    """
    if not enrollments:
        return None
    latest_enrollment = max(enrollments, key=lambda enrollment: enrollment.created)
    by_course = {enrollment.course_key: enrollment for enrollment in enrollments}
    progressed = [(when, key) for key, when in progress.items() if key in by_course and when is not None]
    if not progressed:
        return latest_enrollment
    when, course_key = max(progressed, key=lambda item: item[0])
    if latest_enrollment.created > when:
        return latest_enrollment
    return by_course[course_key]


@dataclass(frozen=True)
class EnrollmentRow:
    """The columns of an enrollment and its course that the pipeline filters on.

    ``course_key`` stays a string: parsing a thousand keys would cost more than the rest
    of the pipeline.
    """

    id: int
    created: datetime
    course_key: str
    org: str
    mobile_available: bool
    start: datetime | None
    end: datetime | None


ROW_FIELDS = ("id", "created", "key_string", "course__org", "course__mobile_available", "course__start",
              "course__end")


@dataclass
class LoadedEnrollments:
    """Full enrollments (course and modes loaded) for some rows, with what describing them needs."""

    enrollments: list
    access: MobileAccess
    certificates: dict = field(default_factory=dict)


@dataclass
class EnrollmentSelection:
    """The rows to list (newest first, primary removed), the primary row, and how to load them."""

    user: object
    rows: list
    primary: EnrollmentRow | None
    now: datetime
    ignore_mobile_flag: bool

    def load(self, rows: Iterable[EnrollmentRow]) -> LoadedEnrollments:
        """Full enrollments for ``rows``, in their order, in at most six queries whatever their number."""
        rows = list(rows)
        by_id = {enrollment.id: enrollment for enrollment in Enrollment.objects.filter(
            id__in=[row.id for row in rows]).select_related("course").prefetch_related("course__modes")}
        enrollments = [by_id[row.id] for row in rows if row.id in by_id]
        keys = [enrollment.course.course_key for enrollment in enrollments]
        certificates = ({certificate.course_key: certificate
                         for certificate in Certificate.objects.filter(user=self.user, course_key__in=keys)}
                        if keys else {})
        access = MobileAccess(self.user, [enrollment.course for enrollment in enrollments], now=self.now,
                              ignore_mobile_flag=self.ignore_mobile_flag)
        return LoadedEnrollments(enrollments, access, certificates)


def _org_allowed(row: EnrollmentRow, site_orgs: list[str], org: str | None) -> bool:
    if site_orgs and row.org not in site_orgs:
        return False
    return not org or row.org.casefold() == org.casefold()


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
    rows = [EnrollmentRow(*values) for values in Enrollment.objects.filter(user=user, is_active=True)
            .annotate(key_string=Cast("course__course_key", CharField()))
            .order_by("-created", "-id").values_list(*ROW_FIELDS)]
    if status is not None and rows:
        certified = {str(key) for key in Certificate.objects.filter(user=user).values_list("course_key", flat=True)}
        rows = [row for row in rows if status_matches(status, row, has_certificate=row.course_key in certified,
                                                      now=now)]
    rows = [row for row in rows if _org_allowed(row, site_orgs, org)]
    ignore_flag = ignore_mobile_available_flag()
    # roles matter only for courses not flagged mobile-available; parse only those keys
    unflagged = {row.course_key: CourseKey.from_string(row.course_key) for row in rows if not row.mobile_available}
    roles = course_roles(user, unflagged.values()) if unflagged and not ignore_flag else {}
    rows = [row for row in rows if row.mobile_available or is_mobile_available(
        row, user, roles.get(unflagged[row.course_key], set()), ignore_flag=ignore_flag)]
    selection = EnrollmentSelection(user, rows, None, now, ignore_flag)
    if with_primary and status is None and rows:
        selection.primary = choose_primary(rows, latest_progress(user))
        selection.rows = [row for row in rows if row is not selection.primary]
    if exclude_expired:
        loaded = selection.load(selection.rows)
        kept = {enrollment.id for enrollment in loaded.enrollments if not is_access_expired(
            loaded.access.expiration(enrollment, enrollment.course), now)}
        selection.rows = [row for row in selection.rows if row.id in kept]
    return selection
