"""Badge classes and the badges (assertions) awarded to learners."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from opaque_keys.edx.django.models import CourseKeyField

from ...core.timestamps import LastModified
from ...core.versions import LearnerRowsQuerySet, SharedRowsQuerySet


class BadgeClass(models.Model):
    """A kind of badge; ``course_key`` is empty (``CourseKeyField.Empty``) for badges not tied to a course.

    .. no_pii:
    """

    slug = models.SlugField(max_length=255)
    issuing_component = models.SlugField(max_length=50, blank=True, default="")
    display_name = models.CharField(max_length=255)
    course_key = CourseKeyField(max_length=255, blank=True)
    description = models.TextField()
    criteria = models.TextField()
    mode = models.CharField(max_length=100, blank=True, default="")
    image = models.ImageField(upload_to="badge_classes")

    objects = SharedRowsQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["slug", "issuing_component", "course_key"],
                                               name="olapi_badgeclass_uniq")]

    def __str__(self):
        return f"{self.issuing_component}:{self.slug}:{self.course_key or ''}"


class BadgeAssertion(LastModified):
    """A badge awarded to a learner.

    .. no_pii:
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learner_badges")
    badge_class = models.ForeignKey(BadgeClass, on_delete=models.CASCADE, related_name="assertions")
    data = models.JSONField(default=dict, blank=True)
    backend = models.CharField(max_length=50, blank=True)
    image_url = models.URLField(max_length=1024)
    assertion_url = models.URLField(max_length=1024)
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = LearnerRowsQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["user", "-created"], name="olapi_assertion_user_created")]

    def __str__(self):
        return f"{self.user_id}:{self.badge_class_id}"
