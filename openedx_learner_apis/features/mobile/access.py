"""Mobile access: whether a learner may open a course in the apps (the "load_mobile" checks).

The checks and their order are listed in docs/mobile.rst ("Course access").

:class:`MobileAccess` reads everything the checks need for a list of courses in a fixed
number of queries (roles, the mobile switch, duration limits, milestones) and then
answers per course in memory.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey

from ...applets.courses.dates import DEFAULT_START_DATE
from ...applets.courses.roles import BETA_TESTER, STAFF_ROLES, course_roles
from ...applets.enrollments.expiry import DurationLimitConfigs, get_access_expiration
from ...applets.progress.models import PersistentCourseGrade, PersistentSubsectionGrade
from .configs import ignore_mobile_available_flag

__all__ = ["AccessResult", "GRANTED", "MobileAccess", "is_mobile_available"]

SHORT_DATE_FORMAT = "%b %d, %Y"
ENROLLMENT_REQUIRED = "enrollment_required"


@dataclass(frozen=True)
class AccessResult:
    """The outcome of an access check, serialized as the apps' ``courseware_access`` object.

    ``user_message`` and ``additional_context_user_message`` are lazy translations: they take the
    language of the request that serializes them, so a result built once may be shown in any
    language. ``developer_message`` is English, for the developers of the apps.
    """

    has_access: bool
    error_code: str | None = None
    developer_message: str | None = None
    user_message: str | None = None
    additional_context_user_message: str | None = None
    user_fragment: None = None

    def __bool__(self) -> bool:
        return self.has_access

    def as_dict(self) -> dict:
        return asdict(self)


GRANTED = AccessResult(True)


def _long_date(value: datetime) -> str:
    return f"{value:%B} {value.day}, {value.year}"


def _not_started(start: datetime) -> AccessResult:
    if start == DEFAULT_START_DATE:
        return AccessResult(False, "course_not_started", "Course has not started", _("Course has not started"))
    return AccessResult(False, "course_not_started", f"Course does not start until {start}",
                        format_lazy(_("Course does not start until {start_date}"), start_date=_long_date(start)))


def _audit_expired(user, course, expiration: datetime) -> AccessResult:
    short = expiration.strftime(SHORT_DATE_FORMAT)
    return AccessResult(
        False, "audit_expired", f"User {user.username} had access to {course.course_key} until {expiration}",
        format_lazy(_("Access expired on {expiration_date}"), expiration_date=short),
        format_lazy(_("Access to {course_name} expired on {expiration_date}"),
                    course_name=course.display_name_with_default, expiration_date=short))


NOT_VISIBLE = AccessResult(False, "not_visible_to_user", "Course is not visible to this user",
                           _("You do not have access to this course"))
MOBILE_UNAVAILABLE = AccessResult(False, "mobile_unavailable", "Course is not available on mobile for this user",
                                  _("You do not have access to this course on a mobile device"))
UNFULFILLED_MILESTONES = AccessResult(False, "unfulfilled_milestones", "User has unfulfilled milestones",
                                      _("You have unfulfilled milestones"))
NOT_ENROLLED = AccessResult(False, ENROLLMENT_REQUIRED, "User is not enrolled in this course",
                            _("You must be enrolled in the course"))


def _old_mongo(course) -> AccessResult:
    return AccessResult(False, "old_mongo", "Access to Old Mongo courses is unsupported",
                        format_lazy(_("{course_name} is no longer available."),
                                    course_name=course.display_name_with_default))


def is_mobile_available(course, user, roles: set, *, ignore_flag: bool) -> bool:
    """A course shows in the apps when flagged ``mobile_available``, when the global switch says to ignore
    the flag, or to a beta tester or staff requester (they test courses before they go mobile)."""
    is_staff = getattr(user, "is_authenticated", False) and (user.is_staff or bool(roles & STAFF_ROLES))
    return bool(course.mobile_available or ignore_flag or BETA_TESTER in roles or is_staff)


def _prerequisite_keys(course) -> list[CourseKey]:
    keys = []
    for value in course.pre_requisite_courses or []:
        try:
            keys.append(CourseKey.from_string(str(value)))
        except InvalidKeyError:
            continue  # a stale or mistyped prerequisite cannot be fulfilled, nor block the learner
    return keys


class MobileAccess:
    """Access of one requester to a set of courses, loaded in at most six queries.

    Milestones follow a standalone reading of Open edX's: a prerequisite course is
    fulfilled by a passing course grade; an entrance exam by a subsection grade stored on
    ``course.entrance_exam_id`` reaching ``entrance_exam_minimum_score_pct``.
    """

    def __init__(self, user, courses: Iterable, *, now: datetime | None = None, roles: dict | None = None,
                 ignore_mobile_flag: bool | None = None, duration_config: DurationLimitConfigs | None = None):
        """``roles`` (from ``course_roles``), ``ignore_mobile_flag`` and ``duration_config`` may come already loaded."""
        self.user = user
        self.courses = list(courses)
        self.now = now or timezone.now()
        keys = [course.course_key for course in self.courses]
        self.roles = course_roles(user, keys) if roles is None else roles
        self.ignore_mobile_flag = ignore_mobile_available_flag() if ignore_mobile_flag is None else ignore_mobile_flag
        self.duration_config = DurationLimitConfigs.load() if duration_config is None else duration_config
        prefetch_related_objects(self.courses, "modes")
        # Each course's modes as a list, once: a related manager costs more to make than to read.
        self._modes = {course.course_key: list(course.modes.all()) for course in self.courses}
        self._passed_courses, self._exam_scores = self._load_milestones()
        self._expirations: dict = {}  # courseware_access and audit_access_expires both ask

    def _load_milestones(self) -> tuple[set, dict]:
        if not getattr(self.user, "is_authenticated", False):
            return set(), {}
        prerequisites = {key for course in self.courses for key in _prerequisite_keys(course)}
        exams = [course.entrance_exam_id for course in self.courses
                 if course.entrance_exam_enabled and course.entrance_exam_id]
        passed = set()
        if prerequisites:
            passed = set(PersistentCourseGrade.objects.filter(
                user=self.user, course_key__in=prerequisites, passed_timestamp__isnull=False,
            ).values_list("course_key", flat=True))
        scores = {}
        if exams:
            for usage_key, earned, possible in PersistentSubsectionGrade.objects.filter(
                    user=self.user, usage_key__in=exams).values_list("usage_key", "earned", "possible"):
                scores[str(usage_key)] = earned / possible if possible else 0.0
        return passed, scores

    def modes_of(self, course) -> list:
        """The course's modes (loaded with the courses)."""
        modes = self._modes.get(course.course_key)
        return list(course.modes.all()) if modes is None else modes

    def roles_in(self, course_key) -> set:
        return self.roles.get(course_key, set())

    def is_staff(self, course_key) -> bool:
        """Global staff, or course/org staff or instructor."""
        if not getattr(self.user, "is_authenticated", False):
            return False
        return self.user.is_staff or bool(self.roles_in(course_key) & STAFF_ROLES)

    def is_beta_tester(self, course_key) -> bool:
        return BETA_TESTER in self.roles_in(course_key)

    def is_mobile_available(self, course) -> bool:
        return is_mobile_available(course, self.user, self.roles_in(course.course_key),
                                   ignore_flag=self.ignore_mobile_flag)

    def expiration(self, enrollment, course) -> datetime | None:
        """Audit access expiry of this requester, with the data loaded up front (once per enrollment)."""
        memo_key = (course.course_key, getattr(enrollment, "pk", None), getattr(enrollment, "mode", None))
        if memo_key not in self._expirations:
            self._expirations[memo_key] = get_access_expiration(
                self.user, enrollment, course, modes=self.modes_of(course), now=self.now,
                roles=self.roles_in(course.course_key), config=self.duration_config)
        return self._expirations[memo_key]

    def effective_start(self, course) -> datetime | None:
        """The course start, moved earlier by ``days_early_for_beta`` for beta testers."""
        if course.start is None:
            return None
        if course.days_early_for_beta and self.is_beta_tester(course.course_key):
            return course.start - timedelta(days=course.days_early_for_beta)
        return course.start

    def prerequisites_fulfilled(self, course) -> bool:
        return all(key in self._passed_courses for key in _prerequisite_keys(course))

    def entrance_exam_passed(self, course) -> bool:
        if not (course.entrance_exam_enabled and course.entrance_exam_id):
            return True
        return self._exam_scores.get(course.entrance_exam_id, 0.0) >= course.entrance_exam_minimum_score_pct

    def check(self, course, enrollment) -> AccessResult:
        """The first failing check, in the order docs/mobile.rst lists, or :data:`GRANTED`; staff pass every check."""
        result = self._first_failure(course, enrollment)
        if result is not GRANTED and self.is_staff(course.course_key):
            return GRANTED
        return result

    def _first_failure(self, course, enrollment) -> AccessResult:
        if course.course_key.deprecated:
            return _old_mongo(course)
        if course.visible_to_staff_only:
            return NOT_VISIBLE
        start = self.effective_start(course)
        if start is not None and self.now < start:
            return _not_started(course.start)
        if not self.prerequisites_fulfilled(course):
            return UNFULFILLED_MILESTONES
        expiration = self.expiration(enrollment, course)
        if expiration is not None and expiration < self.now:
            return _audit_expired(self.user, course, expiration)
        if not self.is_mobile_available(course):
            return MOBILE_UNAVAILABLE
        if not self.entrance_exam_passed(course):
            return UNFULFILLED_MILESTONES
        if enrollment is None or not enrollment.is_active:
            return NOT_ENROLLED
        return GRANTED
