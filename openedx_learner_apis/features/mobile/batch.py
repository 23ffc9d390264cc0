"""Enrollment batch: what describing a page of mobile enrollments needs, loaded in a fixed number of queries.

The page's enrollments come loaded from :meth:`.selection.EnrollmentSelection.load`
(courses, modes, certificates, access data); the batch adds the outlines and completions of
the courses whose ``course_progress`` or v4 primary is shown (one query each, however many
courses), and answers the per-item rules from memory: access, audit expiry, displayed modes,
upgrade deadline, assignments, the primary's course status, the certificate link. Building
the HTTP payload (absolute links, date formats) is the REST layer's business.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from ...applets.certificates.rules import certificate_download_url, certificates_viewable_for_course
from ...applets.courses.outline import get_outlines
from ...applets.enrollments.modes import displayed_modes, upgrade_deadline
from ...applets.progress.assignments import course_assignments, course_completions, course_progress, split_assignments
from ...applets.progress.course_status import completion_course_status
from .access import AccessResult
from .selection import EnrollmentSelection, LoadedEnrollments

__all__ = ["EnrollmentBatch", "EnrollmentPage", "load_page"]


class EnrollmentBatch:
    """Data for describing a page of enrollments (and the v4 primary) without a query per item.

    ``loaded`` is a :class:`LoadedEnrollments`; ``progress_for`` lists the enrollments whose
    ``course_progress`` is shown; ``tz`` is the learner's zone (the day assignments fall due).
    """

    def __init__(self, loaded: LoadedEnrollments, *, progress_for: Iterable = (), primary=None, tz=None,
                 now: datetime):
        self.progress_for = list(progress_for)
        self.primary = primary
        self.certificates = loaded.certificates
        self.access = loaded.access
        self.user = loaded.access.user
        self.now = now
        self.tz = tz
        keys = [enrollment.course.course_key for enrollment in self.progress_for]
        if primary is not None:
            keys.append(primary.course.course_key)
        self.outlines = get_outlines(keys, tokens=loaded.tokens) if keys else {}
        self.completed, self.last_changed = course_completions(self.user, keys)
        self._assignments: dict = {}

    def assignments(self, enrollment) -> list:
        """The course's assignments, computed once: the primary shows them twice (progress and dates)."""
        key = enrollment.course.course_key
        if key not in self._assignments:
            self._assignments[key] = course_assignments(self.outlines[key], self.completed.get(key, set()),
                                                        now=self.now)
        return self._assignments[key]

    def course_progress(self, enrollment) -> dict:
        return course_progress(self.assignments(enrollment))

    def past_and_future_assignments(self, enrollment) -> tuple[list, list]:
        return split_assignments(self.assignments(enrollment), now=self.now, tz=self.tz)

    def certificate_url(self, enrollment) -> str | None:
        """The learner's certificate link when the course lets learners see it (site-relative or absolute)."""
        certificate = self.certificates.get(enrollment.course.course_key)
        course = enrollment.course
        if certificate is None or not certificates_viewable_for_course(course, now=self.now):
            return None
        return certificate_download_url(certificate, course) or None

    def course_status(self, enrollment) -> dict | None:
        key = enrollment.course.course_key
        return completion_course_status(self.outlines[key], self.last_changed.get(key))

    def courseware_access(self, enrollment) -> AccessResult:
        return self.access.check(enrollment.course, enrollment)

    def audit_access_expires(self, enrollment) -> datetime | None:
        return self.access.expiration(enrollment, enrollment.course)

    def modes(self, enrollment) -> list:
        return displayed_modes(self.access.modes_of(enrollment.course), now=self.now)

    def upgrade_deadline(self, enrollment) -> datetime | None:
        return upgrade_deadline(enrollment.mode, self.access.modes_of(enrollment.course), now=self.now)


class EnrollmentPage:
    """The enrollments a response shows: ``items`` (the page, primary left out) and the v4 ``primary``."""

    def __init__(self, items: list, primary, loaded: LoadedEnrollments):
        self.items = items
        self.primary = primary
        self.loaded = loaded


def load_page(selection: EnrollmentSelection, shown: Iterable) -> EnrollmentPage:
    """Load ``shown`` (a page of ``selection.enrollments``) and the selection's primary together.

    An enrollment whose course vanished meanwhile is dropped, the primary included.
    """
    primary_id = selection.primary.id if selection.primary else None
    loaded = selection.load([*shown, selection.primary] if selection.primary else shown)
    items = [enrollment for enrollment in loaded.enrollments if enrollment.id != primary_id]
    primary = next((enrollment for enrollment in loaded.enrollments if enrollment.id == primary_id), None)
    return EnrollmentPage(items, primary, loaded)
