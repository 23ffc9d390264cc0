"""The tables of an Open edX LMS that ``adopt_openedx_data`` reads, built on any of the suite's databases.

Column names, types, nullability and unique keys follow the LMS's models and migrations
(``auth_user``, ``auth_userprofile``, ``student_*``, ``course_overviews_courseoverview``...),
written here as unmanaged models in a registry of their own, so Django's schema editor emits
the right DDL for SQLite, PostgreSQL and MariaDB. Foreign keys carry no database constraint:
an LMS that deleted a learner's account keeps rows naming the id (grades never had a foreign
key), and the fixture must be able to hold those rows.
"""

# The stand-ins of the LMS tables are never displayed: no model needs a __str__.
# ruff: noqa: DJ008

from __future__ import annotations

from django.apps.registry import Apps
from django.db import connections, models

registry = Apps()


def _fk(to, **options):
    return models.ForeignKey(to, on_delete=models.DO_NOTHING, db_constraint=False, **options)


def _one(to, **options):
    return models.OneToOneField(to, on_delete=models.DO_NOTHING, db_constraint=False, **options)


class _Lms(models.Model):
    class Meta:
        abstract = True
        apps = registry
        app_label = "lms"
        managed = False


class AuthUser(_Lms):
    password = models.CharField(max_length=128)
    last_login = models.DateTimeField(null=True)
    is_superuser = models.BooleanField(default=False)
    username = models.CharField(max_length=150, unique=True)
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    email = models.CharField(max_length=254, blank=True)
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField()

    class Meta(_Lms.Meta):
        db_table = "auth_user"


class UserProfile(_Lms):
    user = _one(AuthUser)
    name = models.CharField(max_length=255, blank=True, db_index=True)
    meta = models.TextField(blank=True, default="")
    courseware = models.CharField(max_length=255, blank=True, default="course.xml")
    language = models.CharField(max_length=255, blank=True, default="", db_index=True)
    location = models.CharField(max_length=255, blank=True, default="", db_index=True)
    year_of_birth = models.IntegerField(null=True, db_index=True)
    gender = models.CharField(max_length=6, null=True, db_index=True)
    level_of_education = models.CharField(max_length=6, null=True, db_index=True)
    mailing_address = models.TextField(null=True)
    city = models.TextField(null=True)
    country = models.CharField(max_length=2, null=True)
    state = models.CharField(max_length=2, null=True)
    goals = models.TextField(null=True)
    bio = models.CharField(max_length=3000, null=True)
    profile_image_uploaded_at = models.DateTimeField(null=True)
    phone_number = models.CharField(max_length=50, null=True)

    class Meta(_Lms.Meta):
        db_table = "auth_userprofile"


class UserPreference(_Lms):
    user = _fk(AuthUser)
    key = models.CharField(max_length=255, db_index=True)
    value = models.TextField()

    class Meta(_Lms.Meta):
        db_table = "user_api_userpreference"
        unique_together = [("user", "key")]


class CourseOverview(_Lms):
    created = models.DateTimeField()
    modified = models.DateTimeField()
    version = models.IntegerField()
    id = models.CharField(max_length=255, primary_key=True)
    _location = models.CharField(max_length=255)
    org = models.TextField(default="outdated_entry")
    display_name = models.TextField(null=True)
    display_number_with_default = models.TextField()
    display_org_with_default = models.TextField()
    start = models.DateTimeField(null=True)
    end = models.DateTimeField(null=True)
    start_date = models.DateTimeField(null=True)
    end_date = models.DateTimeField(null=True)
    advertised_start = models.TextField(null=True)
    announcement = models.DateTimeField(null=True)
    banner_image_url = models.TextField(default="")
    course_image_url = models.TextField(default="")
    social_sharing_url = models.TextField(null=True)
    end_of_course_survey_url = models.TextField(null=True)
    certificates_display_behavior = models.TextField(null=True)
    certificates_show_before_end = models.BooleanField(default=False)
    cert_html_view_enabled = models.BooleanField(default=False)
    has_any_active_web_certificate = models.BooleanField(default=False)
    cert_name_short = models.TextField(default="")
    cert_name_long = models.TextField(default="")
    certificate_available_date = models.DateTimeField(null=True)
    lowest_passing_grade = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    days_early_for_beta = models.FloatField(null=True)
    mobile_available = models.BooleanField(default=False)
    visible_to_staff_only = models.BooleanField(default=False)
    _pre_requisite_courses_json = models.TextField(default="[]")
    enrollment_start = models.DateTimeField(null=True)
    enrollment_end = models.DateTimeField(null=True)
    enrollment_domain = models.TextField(null=True)
    invitation_only = models.BooleanField(default=False)
    max_student_enrollments_allowed = models.IntegerField(null=True)
    catalog_visibility = models.TextField(null=True)
    short_description = models.TextField(null=True)
    course_video_url = models.TextField(null=True)
    effort = models.TextField(null=True)
    self_paced = models.BooleanField(default=False)
    marketing_url = models.TextField(null=True)
    eligible_for_financial_aid = models.BooleanField(default=True)
    has_highlights = models.BooleanField(null=True)
    enable_proctored_exams = models.BooleanField(default=False)
    proctoring_provider = models.TextField(null=True)
    proctoring_escalation_email = models.TextField(null=True)
    allow_proctoring_opt_out = models.BooleanField(default=False)
    entrance_exam_enabled = models.BooleanField(default=False)
    entrance_exam_id = models.CharField(max_length=255, blank=True, default="")
    entrance_exam_minimum_score_pct = models.FloatField(default=0.65)
    force_on_flexible_peer_openassessments = models.BooleanField(default=False)
    external_id = models.CharField(max_length=128, null=True)
    language = models.TextField(null=True)

    class Meta(_Lms.Meta):
        db_table = "course_overviews_courseoverview"


class CourseMode(_Lms):
    course = _fk(CourseOverview)
    mode_slug = models.CharField(max_length=100)
    mode_display_name = models.CharField(max_length=255)
    min_price = models.IntegerField(default=0)
    currency = models.CharField(max_length=8, default="usd")
    expiration_datetime = models.DateTimeField(null=True)
    expiration_datetime_is_explicit = models.BooleanField(default=False)
    description = models.TextField(null=True)
    suggested_prices = models.CharField(max_length=255, blank=True, default="")
    sku = models.CharField(max_length=255, null=True)
    android_sku = models.CharField(max_length=255, null=True)
    ios_sku = models.CharField(max_length=255, null=True)
    bulk_sku = models.CharField(max_length=255, null=True)

    class Meta(_Lms.Meta):
        db_table = "course_modes_coursemode"
        unique_together = [("course", "mode_slug", "currency")]


class CourseEnrollment(_Lms):
    user = _fk(AuthUser)
    course = _fk(CourseOverview)
    created = models.DateTimeField(null=True, db_index=True)
    is_active = models.BooleanField(default=True)
    mode = models.CharField(max_length=100, default="audit")

    class Meta(_Lms.Meta):
        db_table = "student_courseenrollment"
        unique_together = [("user", "course")]


class CourseAccessRole(_Lms):
    user = _fk(AuthUser)
    org = models.CharField(max_length=64, blank=True, db_index=True)
    course_id = models.CharField(max_length=255, blank=True, db_index=True)
    role = models.CharField(max_length=64, db_index=True)

    class Meta(_Lms.Meta):
        db_table = "student_courseaccessrole"
        unique_together = [("user", "org", "course_id", "role")]


class GeneratedCertificate(_Lms):
    user = _fk(AuthUser)
    course_id = models.CharField(max_length=255, blank=True)
    verify_uuid = models.CharField(max_length=32, blank=True, default="", db_index=True)
    grade = models.CharField(max_length=5, blank=True, default="")
    key = models.CharField(max_length=32, blank=True, default="")
    distinction = models.BooleanField(default=False)
    status = models.CharField(max_length=32, default="unavailable")
    mode = models.CharField(max_length=32, default="honor")
    name = models.CharField(max_length=255, blank=True)
    created_date = models.DateTimeField()
    modified_date = models.DateTimeField()
    error_reason = models.CharField(max_length=512, blank=True, default="")
    download_uuid = models.CharField(max_length=32, blank=True, default="")
    download_url = models.CharField(max_length=128, blank=True, default="")

    class Meta(_Lms.Meta):
        db_table = "certificates_generatedcertificate"
        unique_together = [("user", "course_id")]


class PersistentCourseGrade(_Lms):
    id = models.BigAutoField(primary_key=True)
    user_id = models.IntegerField(db_index=True)
    course_id = models.CharField(max_length=255)
    course_edited_timestamp = models.DateTimeField(null=True)
    course_version = models.CharField(max_length=255, blank=True, default="")
    grading_policy_hash = models.CharField(max_length=255, blank=True, default="")
    percent_grade = models.FloatField()
    letter_grade = models.CharField(max_length=255)
    passed_timestamp = models.DateTimeField(null=True)
    created = models.DateTimeField(db_index=True)
    modified = models.DateTimeField(db_index=True)

    class Meta(_Lms.Meta):
        db_table = "grades_persistentcoursegrade"
        unique_together = [("course_id", "user_id")]


class BlockCompletion(_Lms):
    id = models.BigAutoField(primary_key=True)
    created = models.DateTimeField()
    modified = models.DateTimeField()
    user = _fk(AuthUser)
    course_key = models.CharField(max_length=255)
    block_key = models.CharField(max_length=255)
    block_type = models.CharField(max_length=64)
    completion = models.FloatField()

    class Meta(_Lms.Meta):
        db_table = "completion_blockcompletion"
        unique_together = [("course_key", "block_key", "user")]


class BadgeClass(_Lms):
    slug = models.SlugField(max_length=255)
    issuing_component = models.SlugField(max_length=50, blank=True, default="")
    display_name = models.CharField(max_length=255)
    course_id = models.CharField(max_length=255, blank=True, default="")
    description = models.TextField()
    criteria = models.TextField()
    mode = models.CharField(max_length=100, blank=True, default="")
    image = models.CharField(max_length=100)

    class Meta(_Lms.Meta):
        db_table = "badges_badgeclass"
        unique_together = [("slug", "issuing_component", "course_id")]


class BadgeAssertion(_Lms):
    user = _fk(AuthUser)
    badge_class = _fk(BadgeClass)
    data = models.TextField()
    backend = models.CharField(max_length=50)
    image_url = models.CharField(max_length=200)
    assertion_url = models.CharField(max_length=200)
    modified = models.DateTimeField()
    created = models.DateTimeField(db_index=True)

    class Meta(_Lms.Meta):
        db_table = "badges_badgeassertion"


class CourseEnrollmentCelebration(_Lms):
    created = models.DateTimeField()
    modified = models.DateTimeField()
    enrollment = _one(CourseEnrollment)
    celebrate_first_section = models.BooleanField(default=False)
    celebrate_weekly_goal = models.BooleanField(default=False)

    class Meta(_Lms.Meta):
        db_table = "student_courseenrollmentcelebration"


class UserCelebration(_Lms):
    created = models.DateTimeField()
    modified = models.DateTimeField()
    user = _one(AuthUser)
    last_day_of_streak = models.DateField(null=True)
    streak_length = models.IntegerField(default=0)
    longest_ever_streak = models.IntegerField(default=0)

    class Meta(_Lms.Meta):
        db_table = "student_usercelebration"


class CourseGoal(_Lms):
    user = _fk(AuthUser)
    course_key = models.CharField(max_length=255, db_index=True)
    days_per_week = models.PositiveIntegerField(default=0)
    subscribed_to_reminders = models.BooleanField(default=False)
    unsubscribe_token = models.UUIDField(null=True, unique=True)
    goal_key = models.CharField(max_length=100, default="unsure")

    class Meta(_Lms.Meta):
        db_table = "course_goals_coursegoal"
        unique_together = [("user", "course_key")]


class LastSeenCoursewareTimezone(_Lms):
    user = _one(AuthUser)
    last_seen_courseware_timezone = models.CharField(max_length=255)

    class Meta(_Lms.Meta):
        db_table = "courseware_lastseencoursewaretimezone"


USER_TABLE = [AuthUser]
TABLES = [UserProfile, UserPreference, CourseOverview, CourseMode, CourseEnrollment, CourseAccessRole,
          GeneratedCertificate, PersistentCourseGrade, BlockCompletion, BadgeClass, BadgeAssertion,
          CourseEnrollmentCelebration, UserCelebration, CourseGoal, LastSeenCoursewareTimezone]


def _ddl(connection, model) -> list[str]:
    """The statements that create ``model``'s table, collected rather than run (works inside a transaction)."""
    editor = connection.schema_editor(collect_sql=True, atomic=False)
    editor.deferred_sql = []
    editor.create_model(model)
    return [*editor.collected_sql, *(str(statement) for statement in editor.deferred_sql)]


# Per alias, the tables create_tables made, so that drop_tables leaves alone a real one it found
# (edx-completion's completion_blockcompletion, when the suite installs that app).
_CREATED: dict[str, list[str]] = {}


def create_tables(alias: str, *, with_users: bool = True) -> None:
    """Create the LMS tables missing in ``alias`` (``with_users=False``: ``auth_user`` exists, inside the LMS).

    A table that already exists is the LMS app's own (inside a host with edx-completion, its
    ``completion_blockcompletion``) and is used as it is, as the adoption would use it.
    """
    connection = connections[alias]
    existing = set(connection.introspection.table_names())
    created = _CREATED.setdefault(alias, [])
    with connection.cursor() as cursor:
        for model in [*(USER_TABLE if with_users else []), *TABLES]:
            if model._meta.db_table in existing:
                continue
            for statement in _ddl(connection, model):
                cursor.execute(statement)
            created.append(model._meta.db_table)


def drop_tables(alias: str) -> None:
    """Drop the tables :func:`create_tables` made in ``alias``, newest first."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        for table in reversed(_CREATED.pop(alias, [])):
            cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)}")
