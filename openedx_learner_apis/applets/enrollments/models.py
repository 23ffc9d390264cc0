"""Enrollments of learners in courses, and the audit-expiry configuration."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from opaque_keys.edx.django.models import CourseKeyField

from ...core.config_snapshots import AnnouncedWritesQuerySet, register_config_snapshot
from ...core.timestamps import LastModified
from ...core.versions import EnrollmentRowsQuerySet
from ..courses.models import Course


class Enrollment(LastModified):
    """A learner's enrollment in a course; ``created`` orders a learner's courses, newest first.

    .. no_pii:
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learner_enrollments")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="enrollments")
    mode = models.CharField(max_length=100, default="audit")
    is_active = models.BooleanField(default=True)
    created = models.DateTimeField(default=timezone.now, db_index=True)

    objects = EnrollmentRowsQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "course"], name="olapi_enrollment_user_course_uniq")]
        indexes = [models.Index(fields=["user", "-created"], name="olapi_enrollment_user_created")]

    def __str__(self):
        return f"{self.user_id} in {self.course_id} ({self.mode})"

    @property
    def course_key(self):
        return self.course.course_key


class CourseDurationLimitConfig(models.Model):
    """Turns on audit access expiry (course duration limits), globally, per org or per course.

    The most specific row wins (course, then org, then global); the latest row of a scope counts.

    .. no_pii:
    """

    enabled = models.BooleanField(default=False)
    enabled_as_of = models.DateTimeField(null=True, blank=True)
    org = models.CharField(max_length=255, blank=True, db_index=True)
    course_key = CourseKeyField(max_length=255, blank=True, db_index=True)
    change_date = models.DateTimeField(auto_now_add=True)

    objects = AnnouncedWritesQuerySet.as_manager()

    def __str__(self):
        return f"duration limits {'on' if self.enabled else 'off'} for {self.course_key or self.org or 'all'}"


def _duration_limits() -> tuple:
    """``(enabled, enabled_as_of, org, course_key)`` rows, oldest first; ``org`` and ``course_key`` may be ``""``."""
    rows = CourseDurationLimitConfig.objects.order_by("change_date", "id").values_list(
        "enabled", "enabled_as_of", "org", "course_key")
    return tuple((enabled, as_of, org or "", str(key) if key else "") for enabled, as_of, org, key in rows)


# Every mobile enrollment list reads the table: it is served from a cached snapshot, not queried.
DURATION_LIMITS = register_config_snapshot("course_duration_limits", CourseDurationLimitConfig, _duration_limits)
