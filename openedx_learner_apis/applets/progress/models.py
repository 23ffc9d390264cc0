"""A learner's progress: completions, last positions, grades and bookmarks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from opaque_keys.edx.django.models import CourseKeyField, UsageKeyField

from ...core.timestamps import LastModified, Timestamped
from ...core.versions import LearnerRowsQuerySet


class BlockCompletion(Timestamped):
    """How complete a learner is on one block (0.0 to 1.0).

    .. no_pii:
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learner_completions")
    course_key = CourseKeyField(max_length=255)
    block_key = UsageKeyField(max_length=255)
    block_type = models.CharField(max_length=64)
    completion = models.FloatField()

    objects = LearnerRowsQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["course_key", "block_key", "user"],
                                               name="olapi_completion_uniq")]
        # The second index finds a learner's newest progress across courses (the v4 primary).
        indexes = [models.Index(fields=["user", "course_key", "modified"], name="olapi_completion_user_mod"),
                   models.Index(fields=["user", "modified"], name="olapi_completion_user_recent")]

    def __str__(self):
        return f"{self.user_id}:{self.block_key}={self.completion}"


class CoursewarePosition(Timestamped):
    """The child a learner last visited inside a course, chapter or sequence (1-based ``position``).

    ``modification_date`` is the date the client gave with the update that last wrote the row
    (``None`` when it gave none: ``modified`` then dates the row).

    .. no_pii:
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learner_positions")
    course_key = CourseKeyField(max_length=255)
    block_key = UsageKeyField(max_length=255)
    position = models.PositiveIntegerField(default=1)
    modification_date = models.DateTimeField(
        null=True, blank=True, help_text="The client's date of the update that last wrote this row, if it gave one.")

    objects = LearnerRowsQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "block_key"], name="olapi_position_uniq")]
        indexes = [models.Index(fields=["user", "course_key", "modified"], name="olapi_position_user_mod"),
                   models.Index(fields=["user", "modified"], name="olapi_position_user_recent")]

    def __str__(self):
        return f"{self.user_id}:{self.block_key}@{self.position}"


class PersistentCourseGrade(LastModified):
    """A learner's grade in a course.

    .. no_pii:
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learner_course_grades")
    course_key = CourseKeyField(max_length=255)
    percent_grade = models.FloatField(default=0.0)
    letter_grade = models.CharField(max_length=255, blank=True)
    passed_timestamp = models.DateTimeField(null=True, blank=True)

    objects = LearnerRowsQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "course_key"], name="olapi_course_grade_uniq")]

    def __str__(self):
        return f"{self.user_id}:{self.course_key}={self.percent_grade}"

    @property
    def passed(self) -> bool:
        return self.passed_timestamp is not None


class PersistentSubsectionGrade(LastModified):
    """A learner's score on one graded subsection (used by prerequisite gating).

    .. no_pii:
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="learner_subsection_grades")
    course_key = CourseKeyField(max_length=255)
    usage_key = UsageKeyField(max_length=255)
    earned = models.FloatField(default=0.0)
    possible = models.FloatField(default=0.0)

    objects = LearnerRowsQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "usage_key"], name="olapi_subsection_grade_uniq")]

    def __str__(self):
        return f"{self.user_id}:{self.usage_key}={self.earned}/{self.possible}"


class Bookmark(models.Model):
    """A block a learner bookmarked.

    .. no_pii:
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learner_bookmarks")
    course_key = CourseKeyField(max_length=255, db_index=True)
    usage_key = UsageKeyField(max_length=255)
    created = models.DateTimeField(auto_now_add=True)

    objects = LearnerRowsQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "usage_key"], name="olapi_bookmark_uniq")]

    def __str__(self):
        return f"{self.user_id}:{self.usage_key}"
