"""Enrollment selection: which enrollments the mobile apps list, and the v4 primary one.

The pipeline's steps are listed in docs/mobile.rst ("course_enrollments").

Every filter of the pipeline (active, site orgs, ``org``, v4 ``status``, mobile availability)
is a SQL condition (``listing``), so a page of a learner's enrollments and its total are
one ``LIMIT`` query: neither the number of queries nor the time of a page grows with the
number of enrollments. Modes, certificates and access data are then loaded for the
enrollments a response shows only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from ...applets.certificates.api import certificates_in
from ...applets.courses.cache import generations_and_shared, shared_course_overviews
from ...applets.courses.roles import ALL_GRANTS, BETA_TESTER, STAFF_ROLES, roles_by_course
from ...applets.enrollments.expiry import DurationLimitConfigs, is_access_expired
from ...applets.enrollments.models import Enrollment
from ...applets.progress.course_status import merged_progress, progress_reads, recent_progress
from ...core.plain_sql import select_many
from .access import MobileAccess
from .configs import ignore_mobile_available_flag
from .listing import EnrollmentStatuses, ListedEnrollments, ListingFilters
from .timezone import timezone_reads, zone_from_rows

__all__ = [
    "EnrollmentStatuses", "EnrollmentSelection", "LoadedEnrollments", "parse_status", "mobile_revealed",
    "select_enrollments",
]

# Roles that see a course in the apps whatever its mobile_available flag.
MOBILE_ROLES = STAFF_ROLES | {BETA_TESTER}
# Progress rows read at a time when looking for the primary's course.
PROGRESS_BATCH = 20


def parse_status(value) -> EnrollmentStatuses | None:
    """The status named by ``value``; anything else (absent, unknown) is ``None``."""
    try:
        return EnrollmentStatuses(value)
    except ValueError:
        return None


def mobile_revealed(grants) -> tuple[tuple, tuple]:
    """``(course keys, orgs)`` whose courses a staff or beta-tester role shows whatever their mobile_available flag.

    ``grants`` are the requester's ``role_grants``; global staff and the global switch need no filter.
    """
    courses = {course_key for course_key, _, role in grants if course_key and role in MOBILE_ROLES}
    orgs = {org for course_key, org, role in grants if not course_key and role in MOBILE_ROLES}
    return tuple(sorted(courses, key=str)), tuple(sorted(orgs))


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

    ``enrollments`` is a :class:`.listing.ListedEnrollments` (or, for v4, a
    :class:`ListedWithoutPrimary`) that a paginator may slice, or a list once v0.5's expiry
    filter ran in memory; its rows carry ``listed_course_key`` and get their ``course`` in
    :meth:`load`. ``zone`` is the learner's time zone when the selection read it
    (``select_enrollments(with_timezone=True)``).
    """

    user: object
    enrollments: ListedEnrollments | ListedWithoutPrimary | list
    now: datetime
    ignore_mobile_flag: bool
    grants: list
    zone: object = None

    @property
    def primary(self) -> Enrollment | None:
        """The v4 primary, ``None`` without one: chosen when first needed (:class:`ListedWithoutPrimary`)."""
        return getattr(self.enrollments, "primary", None)

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


def _distinct(keys) -> list:
    """``keys`` without repeats, in order. A key parsed once (``core.plain_sql``) is one object wherever it
    comes back, and hashing a key is not cheap: repeats go by identity first."""
    return list(dict.fromkeys({id(key): key for key in keys}.values()))


def _primary(user, listed: ListedEnrollments, batch: list, found: list | None = None) -> Enrollment | None:
    """The newest enrollment, unless the learner progressed at or after it in another listed course.

    ``batch`` holds the learner's newest progress rows (``recent_progress``, read with their
    roles); ``found``, when given, the candidates (``ListedEnrollments.candidates``: the listed
    enrollments in their courses and the newest listed one), else one more query reads them.
    More rows are read, a batch at a time, only while the progress seen is both newer than that
    enrollment and outside the listed courses.
    """
    offset = 0
    while True:
        if found is None:
            found = listed.candidates(_distinct(course_key for course_key, _ in batch))
        if not found:
            return None
        newest = max(found, key=lambda candidate: (candidate.created, candidate.id))
        by_course = {candidate.listed_course_key: candidate for candidate in found}
        for course_key, modified in batch:
            if modified < newest.created:
                return newest.enrollment()
            if course_key in by_course:
                return by_course[course_key].enrollment()
        if len(batch) < PROGRESS_BATCH:
            return newest.enrollment()
        offset += PROGRESS_BATCH
        batch, found = recent_progress(user, offset=offset, limit=PROGRESS_BATCH), None


class ListedWithoutPrimary:
    """The listed enrollments less the v4 primary, which is chosen when first needed.

    A page read before anything else (``page_with_total``, what the paginator calls) reads the
    primary's candidates in the same statement, and one row past the page's end: wherever the
    primary falls, the page without it is among those rows, and the total is one less. Anything
    else chooses the primary first (one query), then reads the listing without it.
    """

    ordered = True

    def __init__(self, user, listed: ListedEnrollments, batch: list):
        self.user, self.listed, self.batch = user, listed, batch
        self._chosen, self._primary, self._rest = False, None, listed

    def _choose(self, found: list | None = None) -> None:
        self._primary = _primary(self.user, self.listed, self.batch, found)
        self._chosen = True
        if self._primary is not None:
            self._rest = self.listed.excluding(self._primary.id)

    @property
    def primary(self) -> Enrollment | None:
        if not self._chosen:
            self._choose()
        return self._primary

    def page_with_total(self, bottom: int, top: int) -> tuple[list, int | None]:
        if self._chosen:
            return self._rest.page_with_total(bottom, top)
        keys = _distinct(course_key for course_key, _ in self.batch)
        rows, total, found = self.listed.page_with_candidates(bottom, top + 1, keys)
        self._choose(found)
        primary = self._primary
        if primary is None:
            return rows[:top - bottom], total
        kept = [row for row in rows if row.id != primary.id]
        if len(kept) == len(rows) and rows and (primary.created, primary.id) > (rows[0].created, rows[0].id):
            kept = kept[1:]  # the primary comes before the page: the page starts one row later
        return kept[:top - bottom], (None if total is None else total - 1)

    def rest(self) -> ListedEnrollments:
        """The listing without the primary (chosen first)."""
        if not self._chosen:
            self._choose()
        return self._rest

    def count(self) -> int:
        return self.rest().count()

    def __len__(self) -> int:
        return self.count()

    def __iter__(self):
        return iter(self.rest())

    def __getitem__(self, index):
        return self.rest()[index]


def select_enrollments(user, *, org: str | None = None, site_orgs: Iterable[str] = (),
                       status: EnrollmentStatuses | None = None, exclude_expired: bool = False,
                       with_primary: bool = False, with_timezone: bool = False,
                       now: datetime | None = None) -> EnrollmentSelection:
    """Run the listing pipeline for ``user`` (the URL user, who is also the requester).

    ``org`` compares case-insensitively and an empty value means no filter;
    ``site_orgs`` (the site's ``SITE_COURSE_ORG_FILTER``) is an exact membership test.
    ``exclude_expired`` drops audit-expired enrollments (v0.5). ``with_primary`` picks the
    v4 primary and removes it from the list; it is ignored when ``status`` is given.
    The requester's roles and, for a primary, their newest progress rows are one query;
    ``with_timezone`` reads the learner's zone (``timezone.user_timezone``) in that query too,
    into ``selection.zone``.
    """
    now = now or timezone.now()
    site_orgs = [site_orgs] if isinstance(site_orgs, str) else list(site_orgs or ())
    with_primary = with_primary and status is None
    ignore_flag = ignore_mobile_available_flag()
    reads = [ALL_GRANTS, *(progress_reads(PROGRESS_BATCH) if with_primary else ())]
    zone_reads = timezone_reads(user) if with_timezone else []
    grants, *rows = select_many(*[(select, (user.pk,)) for select in reads], *zone_reads)
    progress, zone_rows = (rows[:-2], rows[-2:]) if zone_reads else (rows, None)
    listed = ListedEnrollments(ListingFilters(
        user.pk, site_orgs=tuple(site_orgs), org=org or None, status=status, now=now,
        mobile=None if ignore_flag or user.is_staff else mobile_revealed(grants)))
    if with_primary:
        listed = ListedWithoutPrimary(user, listed, merged_progress(progress, offset=0, limit=PROGRESS_BATCH))
    selection = EnrollmentSelection(user, listed, now, ignore_flag, grants)
    if zone_rows is not None:
        selection.zone = zone_from_rows(*zone_rows)
    if exclude_expired:
        loaded = selection.load(selection.enrollments)
        selection.enrollments = [enrollment for enrollment in loaded.enrollments if not is_access_expired(
            loaded.access.expiration(enrollment, enrollment.course), now)]
    return selection
