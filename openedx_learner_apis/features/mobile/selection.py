"""Enrollment selection: which enrollments the mobile apps list, and the v4 primary one.

The pipeline's steps are listed in docs/mobile.rst ("course_enrollments").

Every filter of the pipeline (active, site orgs, ``org``, v4 ``status``, mobile availability)
is a SQL condition, so a page of a learner's enrollments is read with a count and a
``LIMIT`` query: neither the number of queries nor the time of a page grows with the
number of enrollments. Modes, certificates and access data are then loaded for the
enrollments a response shows only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from ...applets.certificates.api import certificates_in
from ...applets.certificates.models import Certificate
from ...applets.courses.cache import generations_and_shared, shared_course_overviews
from ...applets.courses.roles import BETA_TESTER, STAFF_ROLES, role_grants, roles_by_course
from ...applets.enrollments.expiry import DurationLimitConfigs, is_access_expired
from ...applets.enrollments.models import Enrollment
from ...applets.progress.course_status import recent_progress
from ...core.keys import compared_exactly, spelled_exactly, spelled_exactly_in
from .access import MobileAccess
from .configs import ignore_mobile_available_flag

__all__ = [
    "EnrollmentStatuses", "EnrollmentSelection", "LoadedEnrollments", "parse_status", "status_condition",
    "mobile_available_condition", "select_enrollments",
]

# Roles that see a course in the apps whatever its mobile_available flag.
MOBILE_ROLES = STAFF_ROLES | {BETA_TESTER}
# Progress rows read at a time when looking for the primary's course.
PROGRESS_BATCH = 20


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


def status_condition(status: EnrollmentStatuses, user, *, now: datetime) -> Q:
    """The v4 ``status`` filter: a certificate of any status means completed; otherwise dates decide."""
    if status is EnrollmentStatuses.ALL:
        return Q()
    # A certificate counts for the course spelled exactly as its key, as on PostgreSQL.
    certified = Exists(Certificate.objects.filter(spelled_exactly("course_key", OuterRef("course__course_key")),
                                                  user=user))
    if status is EnrollmentStatuses.COMPLETED:
        return Q(certified)
    if status is EnrollmentStatuses.EXPIRED:
        return ~Q(certified) & Q(course__end__lt=now)
    return (~Q(certified) & (Q(course__start__isnull=True) | Q(course__start__lte=now))
            & (Q(course__end__isnull=True) | Q(course__end__gte=now)))


def mobile_available_condition(grants) -> Q:
    """Mobile availability as a filter: the course's flag, or a staff or beta-tester role in it or its org.

    ``grants`` are the requester's ``role_grants``; global staff and the global switch need no filter.
    """
    condition = Q(course__mobile_available=True)
    courses = {course_key for course_key, _, role in grants if course_key and role in MOBILE_ROLES}
    orgs = {org for course_key, org, role in grants if not course_key and role in MOBILE_ROLES}
    if courses:
        condition |= Q(spelled_exactly_in("course__course_key", courses))
    if orgs:
        condition |= Q(course__org__in=orgs)
    return condition


@dataclass
class LoadedEnrollments:
    """Full enrollments (course and modes loaded) for some rows, with what describing them needs."""

    enrollments: list
    access: MobileAccess
    certificates: dict = field(default_factory=dict)
    # The generation tokens read before loading them: ``{course_key: token}`` and the shared one.
    tokens: dict = field(default_factory=dict)
    shared_token: str | None = None


@dataclass
class EnrollmentSelection:
    """The enrollments to list (newest first, without the primary), the v4 primary, and how to load them.

    ``enrollments`` is a queryset that a paginator may slice, or a list once v0.5's expiry
    filter ran in memory; its rows carry ``listed_course_key`` and get their ``course`` in
    :meth:`load`.
    """

    user: object
    enrollments: QuerySet | list
    primary: Enrollment | None
    now: datetime
    ignore_mobile_flag: bool
    grants: list

    def load(self, enrollments: Iterable[Enrollment]) -> LoadedEnrollments:
        """Courses (cached overviews, modes included), certificates and access data for ``enrollments``.

        At most four queries whatever their number, none for courses and modes once cached.
        An enrollment whose course disappeared meanwhile is dropped.

        One cache round trip reads the courses' tokens and the shared token; under them the
        overviews and the duration limits come from this process's memo once it holds them
        (shared objects, read-only), and the outlines of the batch and the view's ``configs`` later.
        """
        enrollments = list(enrollments)
        tokens, shared_token = generations_and_shared(enrollment.listed_course_key for enrollment in enrollments)
        overviews = shared_course_overviews(list(tokens), tokens)
        enrollments = [enrollment for enrollment in enrollments if enrollment.listed_course_key in overviews]
        for enrollment in enrollments:
            enrollment.course = overviews[enrollment.listed_course_key]
        keys = [enrollment.course.course_key for enrollment in enrollments]
        certificates = certificates_in(self.user, keys)
        access = MobileAccess(self.user, [enrollment.course for enrollment in enrollments], now=self.now,
                              roles=roles_by_course(self.grants, keys), ignore_mobile_flag=self.ignore_mobile_flag,
                              duration_config=DurationLimitConfigs.load(shared_token=shared_token))
        return LoadedEnrollments(enrollments, access, certificates, tokens, shared_token)


def _primary(user, listed: QuerySet) -> Enrollment | None:
    """The newest enrollment, unless the learner progressed at or after it in another listed course.

    Three queries whatever the data: the learner's newest progress rows (two, see
    ``recent_progress``), then the listed enrollments in those courses together with the
    newest listed enrollment. More rows are read, a batch at a time, only while the
    progress seen is both newer than that enrollment and outside the listed courses.
    """
    newest_id = Subquery(listed.values("id")[:1])
    offset = 0
    while True:
        batch = recent_progress(user, offset=offset, limit=PROGRESS_BATCH)
        keys = list(dict.fromkeys(course_key for course_key, _ in batch))
        found = list(listed.filter(Q(id=newest_id) | Q(course__course_key__in=keys)))
        if not found:
            return None
        newest = max(found, key=lambda enrollment: (enrollment.created, enrollment.id))
        by_course = {enrollment.listed_course_key: enrollment for enrollment in found}
        for course_key, modified in batch:
            if modified < newest.created:
                return newest
            if course_key in by_course:
                return by_course[course_key]
        if len(batch) < PROGRESS_BATCH:
            return newest
        offset += PROGRESS_BATCH


def select_enrollments(user, *, org: str | None = None, site_orgs: Iterable[str] = (),
                       status: EnrollmentStatuses | None = None, exclude_expired: bool = False,
                       with_primary: bool = False, now: datetime | None = None) -> EnrollmentSelection:
    """Run the listing pipeline for ``user`` (the URL user, who is also the requester).

    ``org`` compares case-insensitively and an empty value means no filter;
    ``site_orgs`` (the site's ``SITE_COURSE_ORG_FILTER``) is an exact membership test.
    ``exclude_expired`` drops audit-expired enrollments (v0.5). ``with_primary`` picks the
    v4 primary and removes it from the list; it is ignored when ``status`` is given.
    """
    now = now or timezone.now()
    site_orgs = [site_orgs] if isinstance(site_orgs, str) else list(site_orgs or ())
    # Enrollment columns and the course key only: courses come from the overview cache in ``load``.
    listed = Enrollment.objects.filter(user=user, is_active=True).annotate(listed_course_key=F("course__course_key"))
    if site_orgs:
        listed = listed.alias(org_exact=compared_exactly("course__org")).filter(org_exact__in=site_orgs)
    if org:
        # No org holds a NUL, and PostgreSQL refuses to compare one (DataError).
        listed = listed.none() if "\x00" in org else listed.filter(course__org__iexact=org)
    if status is not None:
        listed = listed.filter(status_condition(status, user, now=now))
    ignore_flag = ignore_mobile_available_flag()
    grants = role_grants(user)
    if not (ignore_flag or user.is_staff):
        listed = listed.filter(mobile_available_condition(grants))
    listed = listed.order_by("-created", "-id")
    selection = EnrollmentSelection(user, listed, None, now, ignore_flag, grants)
    if with_primary and status is None:
        selection.primary = _primary(user, listed)
        if selection.primary is not None:
            selection.enrollments = listed.exclude(id=selection.primary.id)
    if exclude_expired:
        loaded = selection.load(selection.enrollments)
        selection.enrollments = [enrollment for enrollment in loaded.enrollments if not is_access_expired(
            loaded.access.expiration(enrollment, enrollment.course), now)]
    return selection
