"""Enrollments of learners in courses, and the audit-expiry configuration."""

from __future__ import annotations

from config_models.models import ConfigurationModel
from django.conf import settings
from django.db import models
from django.utils import timezone
from opaque_keys.edx.django.models import CourseKeyField

from ...core.config_rows import SafeCacheKeys, forget_current_rows_on_commit
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


class CourseDurationLimitConfig(SafeCacheKeys, ConfigurationModel):
    """Turns on audit access expiry (course duration limits), globally, per org or per course.

    Keyed by ``(org, course_key)``: a row with neither is global, one with ``org`` only covers
    the org, one with ``course_key`` covers the course. The most specific scope holding a row
    (course, then org, then global) decides; within a scope the latest row counts
    (``applets/enrollments/expiry.py``).

    .. no_pii:
    """

    KEY_FIELDS = ("org", "course_key")

    enabled_as_of = models.DateTimeField(null=True, blank=True)
    org = models.CharField(max_length=255, blank=True, db_index=True)
    course_key = CourseKeyField(max_length=255, blank=True, db_index=True)

    class Meta(ConfigurationModel.Meta):
        pass

    def __str__(self):
        return f"duration limits {'on' if self.enabled else 'off'} for {self.course_key or self.org or 'all'}"

    def save(self, *args, **kwargs):
        # An empty course key is stored as "" and read back as None: save it as None too, so the
        # cache key config_models forgets on save is the one a reader stored the row under.
        if not self.course_key:
            self.course_key = None
        super().save(*args, **kwargs)


forget_current_rows_on_commit(CourseDurationLimitConfig)
