"""The rows the course info reads about its learner, each at most once per request, and its two writes.

Every row is read under the course key spelled exactly as stored. The writes (the day's goal
activity and the browser's time zone) are idempotent; ``docs/courseware.rst`` ("Writes on
GET") says when they happen.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cached_property

from ...applets.certificates.models import Certificate
from ...applets.engagement.activity import record_user_activity
from ...applets.engagement.models import CourseGoal, LastSeenCoursewareTimezone
from ...applets.engagement.timezones import (
    first_zone,
    local_date,
    remember_courseware_timezone,
    seconds_until_local_midnight,
)
from ...applets.learners.models import UserPreference
from ...applets.learners.preferences import TIME_ZONE as TIME_ZONE_PREFERENCE
from ...applets.progress.models import PersistentCourseGrade
from ...core.keys import spelled_exactly
from ...toggles import ENABLE_COURSE_GOALS
from .course_facts import VERIFIED
from .viewer import Masquerade

NOTES_VISIBILITY_PREFERENCE = "edxnotes_visibility.{course_key}"


def flag_for_everyone(flag) -> bool:
    """Evaluates a waffle flag with no request (its ``everyone`` setting, or the current request if any)."""
    return flag.is_enabled()


class CourseInfoRows:
    """The inputs of the course info and the learner rows read from them.

    ``user`` is the effective user (the learner shown, after masquerade), ``real_user`` the
    requester. ``enrollment`` is the effective user's row whatever its ``is_active`` (with
    ``celebration`` selected), ``is_staff`` the effective user's course staff access.
    ``flag_enabled`` answers whether a waffle flag is on for this requester (the REST layer
    evaluates flags for the request; functions called directly may leave the default).
    """

    def __init__(self, course, *, user, real_user, enrollment, is_staff: bool, roles: set,
                 masquerade: Masquerade, hooks, now: datetime, browser_timezone: str | None = None,
                 flag_enabled: Callable[[object], bool] = flag_for_everyone):
        self.course = course
        self.course_key = course.course_key
        self.user = user
        self.real_user = real_user
        self.enrollment = enrollment
        self.is_staff = is_staff
        self.roles = roles
        self.masquerade = masquerade
        self.hooks = hooks
        self.now = now
        self.browser_timezone = browser_timezone
        self.flag_enabled = flag_enabled
        self.authenticated = bool(user and user.is_authenticated)

    def record_visit(self) -> None:
        """Record the day's goal activity (not while masquerading) and the real user's browser time zone."""
        if self.authenticated and not self.masquerade.active and self.flag_enabled(ENABLE_COURSE_GOALS):
            zone = self.activity_zone
            record_user_activity(self.user, self.course_key, local_date(self.now, zone),
                                 cache_seconds=seconds_until_local_midnight(self.now, zone))
        remember_courseware_timezone(self.real_user, self.browser_timezone)

    @cached_property
    def modes(self) -> list:
        return list(self.course.modes.all())

    @cached_property
    def preferences(self) -> dict:
        if not self.authenticated:
            return {}
        keys = [TIME_ZONE_PREFERENCE, NOTES_VISIBILITY_PREFERENCE.format(course_key=self.course_key)]
        return dict(UserPreference.objects.filter(user=self.user, key__in=keys).values_list("key", "value"))

    @cached_property
    def activity_zone(self):
        """The learner's preference, else this browser's zone, else the last browser zone seen, else UTC."""
        last_seen = None
        if not self.preferences.get(TIME_ZONE_PREFERENCE) and not self.browser_timezone:
            last_seen = (LastSeenCoursewareTimezone.objects.filter(user=self.user)
                         .values_list("last_seen_courseware_timezone", flat=True).first())
        return first_zone(self.preferences.get(TIME_ZONE_PREFERENCE), self.browser_timezone, last_seen)

    def _learner_rows(self, model):
        """The learner's rows of ``model`` in this course, under the course key spelled exactly as stored."""
        return model.objects.filter(spelled_exactly("course_key", self.course_key), user=self.user)

    @cached_property
    def goal(self) -> CourseGoal | None:
        return self._learner_rows(CourseGoal).first() if self.authenticated else None

    @cached_property
    def grade_percent(self) -> float:
        if not self.authenticated:
            return 0.0
        return self._learner_rows(PersistentCourseGrade).values_list("percent_grade", flat=True).first() or 0.0

    @cached_property
    def certificate(self) -> Certificate | None:
        return self._learner_rows(Certificate).first() if self.authenticated else None

    @cached_property
    def verified_mode(self):
        return next((mode for mode in self.modes if mode.mode_slug == VERIFIED), None)

    @property
    def enrollment_mode(self) -> str | None:
        return self.enrollment.mode if self.enrollment is not None else None

    @property
    def enrollment_active(self) -> bool:
        return bool(self.enrollment is not None and self.enrollment.is_active)
