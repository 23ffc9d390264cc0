"""Courses: the overview, modes, access roles and the outline (block tree)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from opaque_keys.edx.django.models import CourseKeyField, UsageKeyField

from ...core.timestamps import LastModified, Timestamped
from ...core.versions import LearnerRowsQuerySet, SharedRowsQuerySet


class CourseCachedQuerySet(models.QuerySet):
    """Rows cached per course (overviews, modes, outlines): writes that send no model signal invalidate too.

    ``update()`` (which ``bulk_update()`` runs) and ``bulk_create()`` forget what is cached about
    every course they touch, as a save or delete does through the signal receivers of
    ``cache.py``. Raw SQL cannot be seen: call ``invalidate_course_cache`` after it.
    """

    course_key_lookup = "course__course_key"
    course_fields = frozenset({"course", "course_id"})

    def _course_keys(self, pks=None) -> set:
        rows = self if pks is None else self.model._base_manager.using(self.db).filter(pk__in=pks)
        return set(rows.order_by().values_list(self.course_key_lookup, flat=True).distinct())

    def update(self, **kwargs):
        moves = bool(self.course_fields & set(kwargs))
        pks = list(self.values_list("pk", flat=True)) if moves else None
        keys = self._course_keys(pks)
        count = super().update(**kwargs)
        if moves:
            keys |= self._course_keys(pks)  # the courses the rows moved to
        _invalidate(keys)
        return count

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        _invalidate(self._keys_of_objects(created))
        return created

    def _keys_of_objects(self, objs) -> set:
        course_ids = {obj.course_id for obj in objs}
        return set(Course.objects.using(self.db).filter(pk__in=course_ids).values_list("course_key", flat=True))


class CourseQuerySet(CourseCachedQuerySet):
    course_key_lookup = "course_key"
    course_fields = frozenset({"course_key"})

    def _keys_of_objects(self, objs) -> set:
        return {obj.course_key for obj in objs}


def _invalidate(course_keys) -> None:
    from .cache import invalidate_course_caches  # the cache module reads these models

    invalidate_course_caches(course_keys)


class Course(Timestamped):
    """A course overview: what the APIs show about a course without reading its content.

    .. no_pii:
    """

    course_key = CourseKeyField(max_length=255, unique=True)
    org = models.CharField(max_length=255, db_index=True)
    number = models.CharField(max_length=255)
    run = models.CharField(max_length=255)
    display_name = models.CharField(max_length=255, blank=True)
    display_org = models.CharField(max_length=255, blank=True)
    display_number = models.CharField(max_length=255, blank=True)
    start = models.DateTimeField(null=True, blank=True)
    end = models.DateTimeField(null=True, blank=True)
    enrollment_start = models.DateTimeField(null=True, blank=True)
    enrollment_end = models.DateTimeField(null=True, blank=True)
    advertised_start = models.CharField(max_length=255, blank=True)
    self_paced = models.BooleanField(default=False)
    short_description = models.TextField(blank=True)
    effort = models.CharField(max_length=255, blank=True)
    overview = models.TextField(blank=True)
    language = models.CharField(max_length=16, blank=True)
    license = models.CharField(max_length=255, blank=True)
    course_image_url = models.CharField(max_length=1024, blank=True)
    banner_image_url = models.CharField(max_length=1024, blank=True)
    video_url = models.CharField(max_length=1024, blank=True)
    marketing_url = models.CharField(max_length=1024, blank=True)
    social_sharing_url = models.CharField(max_length=1024, blank=True)
    org_logo_url = models.CharField(max_length=1024, blank=True)
    mobile_available = models.BooleanField(default=False)
    visible_to_staff_only = models.BooleanField(default=False)
    invitation_only = models.BooleanField(default=False)
    days_early_for_beta = models.FloatField(null=True, blank=True)
    catalog_visibility = models.CharField(max_length=32, default="both")
    course_visibility = models.CharField(max_length=32, default="private")
    show_calculator = models.BooleanField(default=False)
    discussion_enabled = models.BooleanField(default=False)
    grade_cutoffs = models.JSONField(default=dict, blank=True)
    grading_policy = models.JSONField(default=list, blank=True)
    entrance_exam_enabled = models.BooleanField(default=False)
    entrance_exam_id = models.CharField(max_length=255, blank=True)
    entrance_exam_minimum_score_pct = models.FloatField(default=0.65)
    pre_requisite_courses = models.JSONField(default=list, blank=True)
    enable_subsection_gating = models.BooleanField(default=False)
    expected_duration_weeks = models.PositiveSmallIntegerField(null=True, blank=True)
    certificate_available_date = models.DateTimeField(null=True, blank=True)
    certificates_display_behavior = models.CharField(max_length=32, default="end")
    certificates_show_before_end = models.BooleanField(default=False)
    cert_html_view_enabled = models.BooleanField(default=True)
    has_any_active_web_certificate = models.BooleanField(default=False)
    # Read by the courseware course info (docs/courseware.rst).
    about_sidebar_html = models.TextField(blank=True)
    notes_enabled = models.BooleanField(default=False)
    max_student_enrollments_allowed = models.PositiveIntegerField(null=True, blank=True)
    enrollment_domain = models.CharField(max_length=255, blank=True)

    objects = CourseQuerySet.as_manager()

    def __str__(self):
        return str(self.course_key)

    @property
    def display_name_with_default(self) -> str:
        return self.display_name or self.course_key.course.replace("_", " ")

    @property
    def display_org_with_default(self) -> str:
        return self.display_org or self.org

    @property
    def display_number_with_default(self) -> str:
        return self.display_number or self.number


class CourseMode(models.Model):
    """A way to take a course (audit, verified...), with its price and store SKUs.

    .. no_pii:
    """

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="modes")
    mode_slug = models.CharField(max_length=100)
    mode_display_name = models.CharField(max_length=255, blank=True)
    min_price = models.IntegerField(default=0)
    currency = models.CharField(max_length=8, default="usd")
    expiration_datetime = models.DateTimeField(null=True, blank=True)
    description = models.TextField(blank=True)
    sku = models.CharField(max_length=255, null=True, blank=True)
    android_sku = models.CharField(max_length=255, null=True, blank=True)
    ios_sku = models.CharField(max_length=255, null=True, blank=True)
    bulk_sku = models.CharField(max_length=255, null=True, blank=True)

    objects = CourseCachedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["course", "mode_slug", "currency"],
                                               name="olapi_mode_course_slug_currency_uniq")]

    def __str__(self):
        return f"{self.course_id}:{self.mode_slug}"


class CourseAccessRole(models.Model):
    """A course or org role (staff, instructor, beta_testers...) held by a user.

    .. no_pii:
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learner_course_roles")
    org = models.CharField(max_length=255, blank=True, db_index=True)
    course_key = CourseKeyField(max_length=255, blank=True, db_index=True)
    role = models.CharField(max_length=64)

    objects = LearnerRowsQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "org", "course_key", "role"],
                                               name="olapi_role_uniq")]

    def __str__(self):
        return f"{self.user_id}:{self.role}:{self.course_key or self.org}"


class Block(models.Model):
    """One node of a course outline; ``preorder`` orders the whole tree so one query reads it.

    .. no_pii:
    """

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="blocks")
    usage_key = UsageKeyField(max_length=255, unique=True)
    block_type = models.CharField(max_length=64)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    position = models.PositiveIntegerField(default=0, help_text="Index among siblings, from 0.")
    preorder = models.PositiveIntegerField(default=0, help_text="Index in a depth-first walk of the course.")
    display_name = models.CharField(max_length=255, blank=True)
    graded = models.BooleanField(default=False)
    format = models.CharField(max_length=255, blank=True)
    start = models.DateTimeField(null=True, blank=True)
    due = models.DateTimeField(null=True, blank=True)
    hide_after_due = models.BooleanField(default=False)
    hide_from_toc = models.BooleanField(default=False)
    visible_to_staff_only = models.BooleanField(default=False)
    is_time_limited = models.BooleanField(default=False)
    is_proctored_enabled = models.BooleanField(default=False)
    is_practice_exam = models.BooleanField(default=False)
    is_onboarding_exam = models.BooleanField(default=False)
    default_time_limit_minutes = models.PositiveIntegerField(null=True, blank=True)
    has_score = models.BooleanField(default=False)
    weight = models.FloatField(null=True, blank=True)
    fields = models.JSONField(default=dict, blank=True)

    objects = CourseCachedQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["course", "preorder"], name="olapi_block_course_order")]

    def __str__(self):
        return str(self.usage_key)


class SubsectionPrerequisite(models.Model):
    """A gated subsection and the subsection that must be passed first (read per request, never cached).

    .. no_pii:
    """

    course_key = CourseKeyField(max_length=255, db_index=True)
    gated_usage_key = UsageKeyField(max_length=255, unique=True)
    prereq_usage_key = UsageKeyField(max_length=255)
    min_score = models.PositiveSmallIntegerField(default=100)
    min_completion = models.PositiveSmallIntegerField(default=100)

    objects = SharedRowsQuerySet.as_manager()

    def __str__(self):
        return f"{self.gated_usage_key} after {self.prereq_usage_key}"


class CourseInfoPage(LastModified):
    """A course-info page imported with the course: the handouts, or the updates with their items.

    ``data`` is the page's HTML as authored; ``items`` the updates, oldest first, each
    ``{"id", "date", "content", "status"}``. Links stay as authored; they are made absolute
    when served.

    .. no_pii:
    """

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="info_pages")
    name = models.CharField(max_length=64, help_text="handouts or updates")
    data = models.TextField(blank=True)
    items = models.JSONField(default=list, blank=True)

    objects = SharedRowsQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["course", "name"], name="olapi_info_page_course_name_uniq")]

    def __str__(self):
        return f"{self.course_id}:{self.name}"
