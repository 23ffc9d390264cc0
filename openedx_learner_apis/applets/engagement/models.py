"""Goals, activity, streaks and celebrations."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from opaque_keys.edx.django.models import CourseKeyField

from ...core.timestamps import Timestamped
from ...core.versions import LearnerRowsQuerySet
from ..enrollments.models import Enrollment


class CourseGoal(models.Model):
    """How many days a week a learner means to study a course.

    .. no_pii:
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learner_goals")
    course_key = CourseKeyField(max_length=255)
    days_per_week = models.PositiveIntegerField(default=0)
    subscribed_to_reminders = models.BooleanField(default=False)
    unsubscribe_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    objects = LearnerRowsQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "course_key"], name="olapi_goal_uniq")]

    def __str__(self):
        return f"{self.user_id}:{self.course_key}:{self.days_per_week}/week"


class UserActivity(models.Model):
    """A day (in the learner's time zone) on which a learner visited a course.

    .. no_pii:
    """

    id = models.BigAutoField(primary_key=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learner_activity")
    course_key = CourseKeyField(max_length=255)
    date = models.DateField()

    objects = LearnerRowsQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "course_key", "date"], name="olapi_activity_uniq")]

    def __str__(self):
        return f"{self.user_id}:{self.course_key}:{self.date}"


class CelebrationRowsQuerySet(LearnerRowsQuerySet):
    """Celebrations belong to their enrollment's learner."""

    user_lookup = "enrollment__user_id"
    user_fields = frozenset({"enrollment", "enrollment_id"})


class CourseEnrollmentCelebration(Timestamped):
    """Which one-off celebrations an enrollment still has to show.

    .. no_pii:
    """

    enrollment = models.OneToOneField(Enrollment, on_delete=models.CASCADE, related_name="celebration")
    celebrate_first_section = models.BooleanField(default=False)
    celebrate_weekly_goal = models.BooleanField(default=False)

    objects = CelebrationRowsQuerySet.as_manager()

    def __str__(self):
        return f"celebrations of enrollment {self.enrollment_id}"


class UserCelebration(Timestamped):
    """A learner's streak of consecutive active days, across courses.

    .. no_pii:
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learner_celebration")
    last_day_of_streak = models.DateField(null=True, blank=True)
    streak_length = models.PositiveIntegerField(default=0)
    longest_ever_streak = models.PositiveIntegerField(default=0)

    objects = LearnerRowsQuerySet.as_manager()

    def __str__(self):
        return f"streak of {self.user_id}: {self.streak_length}"


class LastSeenCoursewareTimezone(models.Model):
    """The browser time zone a learner last used the courseware from.

    .. pii: A time zone name can hint at where the learner lives.
    .. pii_types: location
    .. pii_retirement: local_api
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="learner_last_seen_timezone")
    last_seen_courseware_timezone = models.CharField(max_length=255)

    objects = LearnerRowsQuerySet.as_manager()

    def __str__(self):
        return f"{self.user_id}:{self.last_seen_courseware_timezone}"
