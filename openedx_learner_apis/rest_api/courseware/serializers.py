"""Serializers of the courseware API: course info, sequence metadata, resume point, celebration body."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiSerializerExtension
from rest_framework import serializers

from ...applets.courses.dates import start_display, start_type
from ...core.urls import is_absolute


class CoursewareDetailErrorSerializer(serializers.Serializer):
    """DRF's error shape, which the course endpoint answers with (the learning MFE reads ``detail``)."""

    detail = serializers.CharField()


class CoursewareDeveloperErrorSerializer(serializers.Serializer):
    """The developer-error shape of the sequence, resume and celebration endpoints."""

    developer_message = serializers.CharField()


class AbsoluteURLField(serializers.CharField):
    """A URL made absolute against the request's host (left alone when already absolute)."""

    def to_representation(self, value):
        request = self.context.get("request")
        if value and request is not None and not is_absolute(value):
            return request.build_absolute_uri(value)
        return value


class ImageSerializer(serializers.Serializer):
    raw = AbsoluteURLField(allow_null=True)
    small = AbsoluteURLField(allow_null=True)
    large = AbsoluteURLField(allow_null=True)

    class Meta:
        ref_name = "courseware_api"


class CoursewareURISerializer(serializers.Serializer):
    uri = serializers.CharField(allow_null=True)


class CoursewareMediaSerializer(serializers.Serializer):
    course_image = CoursewareURISerializer()
    course_video = CoursewareURISerializer()
    image = ImageSerializer()


class CoursewareAccessExpirationSerializer(serializers.Serializer):
    expiration_date = serializers.DateTimeField()
    masquerading_expired_course = serializers.BooleanField()
    upgrade_deadline = serializers.DateTimeField(allow_null=True)
    upgrade_url = serializers.CharField(allow_null=True)


class CoursewareSelectedGoalSerializer(serializers.Serializer):
    days_per_week = serializers.IntegerField()
    subscribed_to_reminders = serializers.BooleanField()


class CoursewareCourseGoalsSerializer(serializers.Serializer):
    selected_goal = CoursewareSelectedGoalSerializer(allow_null=True)
    weekly_learning_goal_enabled = serializers.BooleanField()


class CoursewareEnrollmentSerializer(serializers.Serializer):
    mode = serializers.CharField(allow_null=True)
    is_active = serializers.BooleanField()


class CoursewareEntranceExamSerializer(serializers.Serializer):
    entrance_exam_current_score = serializers.FloatField()
    entrance_exam_enabled = serializers.BooleanField()
    entrance_exam_id = serializers.CharField(allow_null=True)
    entrance_exam_minimum_score_pct = serializers.FloatField()
    entrance_exam_passed = serializers.BooleanField()


class CoursewareOfferSerializer(serializers.Serializer):
    code = serializers.CharField()
    expiration_date = serializers.DateTimeField()
    original_price = serializers.CharField()
    discounted_price = serializers.CharField()
    percentage = serializers.IntegerField()
    upgrade_url = serializers.CharField()


class CoursewareProgramProgressSerializer(serializers.Serializer):
    completed = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    not_started = serializers.IntegerField()


class CoursewareRelatedProgramSerializer(serializers.Serializer):
    progress = CoursewareProgramProgressSerializer()
    slug = serializers.CharField()
    title = serializers.CharField()
    url = AbsoluteURLField()
    uuid = serializers.CharField()


class CoursewareNotesSerializer(serializers.Serializer):
    enabled = serializers.BooleanField()
    visible = serializers.BooleanField()


class CoursewareCelebrationsSerializer(serializers.Serializer):
    first_section = serializers.BooleanField()
    streak_length_to_celebrate = serializers.IntegerField(allow_null=True)
    streak_discount_enabled = serializers.BooleanField()
    weekly_goal = serializers.BooleanField()


class CoursewareCertificateDataSerializer(serializers.Serializer):
    cert_status = serializers.CharField(allow_null=True)
    cert_web_view_url = AbsoluteURLField(allow_null=True)
    download_url = AbsoluteURLField(allow_null=True)
    certificate_available_date = serializers.DateTimeField(allow_null=True)


class CoursewarePrerequisiteCourseSerializer(serializers.Serializer):
    key = serializers.CharField()
    display = serializers.CharField()


class CoursewareCourseInfoSerializer(serializers.Serializer):
    """Reads a ``CourseInfo``; fields left out by ``requested_fields`` are never computed."""

    access_expiration = CoursewareAccessExpirationSerializer(allow_null=True)
    content_type_gating_enabled = serializers.BooleanField()
    course_goals = CoursewareCourseGoalsSerializer()
    effort = serializers.CharField(source="course.effort", allow_null=True)
    end = serializers.DateTimeField(source="course.end", allow_null=True)
    enrollment = CoursewareEnrollmentSerializer(source="enrollment_data")
    enrollment_start = serializers.DateTimeField(source="course.enrollment_start", allow_null=True)
    enrollment_end = serializers.DateTimeField(source="course.enrollment_end", allow_null=True)
    entrance_exam_data = CoursewareEntranceExamSerializer()
    id = serializers.CharField(source="course_key")
    license = serializers.CharField(source="course.license", allow_null=True)
    language = serializers.CharField(source="course.language", allow_null=True)
    media = CoursewareMediaSerializer()
    name = serializers.CharField(source="course.display_name_with_default")
    offer = CoursewareOfferSerializer(allow_null=True)
    org = serializers.CharField(source="course.display_org_with_default")
    number = serializers.CharField(source="course.display_number_with_default")
    related_programs = CoursewareRelatedProgramSerializer(many=True, allow_null=True)
    short_description = serializers.CharField(source="course.short_description", allow_null=True)
    start = serializers.DateTimeField(source="course.start", allow_null=True)
    start_display = serializers.SerializerMethodField()
    start_type = serializers.SerializerMethodField()
    pacing = serializers.CharField()
    user_timezone = serializers.CharField(allow_null=True)
    show_calculator = serializers.BooleanField(source="course.show_calculator")
    can_access_proctored_exams = serializers.BooleanField()
    notes = CoursewareNotesSerializer()
    marketing_url = serializers.CharField(source="course.marketing_url", allow_null=True)
    celebrations = CoursewareCelebrationsSerializer()
    user_has_passing_grade = serializers.BooleanField()
    course_exit_page_is_active = serializers.BooleanField()
    certificate_data = CoursewareCertificateDataSerializer(allow_null=True)
    verify_identity_url = AbsoluteURLField(allow_null=True)
    verification_status = serializers.CharField()
    linkedin_add_to_profile_url = serializers.CharField(allow_null=True)
    is_integrity_signature_enabled = serializers.BooleanField()
    user_needs_integrity_signature = serializers.BooleanField()
    learning_assistant_enabled = serializers.BooleanField()
    show_courseware_link = serializers.BooleanField()
    is_course_full = serializers.BooleanField()
    can_enroll = serializers.BooleanField()
    invitation_only = serializers.BooleanField()
    is_shib_course = serializers.BooleanField()
    allow_anonymous = serializers.BooleanField()
    ecommerce_checkout = serializers.BooleanField()
    single_paid_mode = serializers.DictField()
    ecommerce_checkout_link = serializers.CharField(allow_null=True)
    course_image_urls = serializers.ListField(child=AbsoluteURLField())
    start_date_is_still_default = serializers.BooleanField()
    advertised_start = serializers.SerializerMethodField()
    course_price = serializers.CharField()
    pre_requisite_courses = CoursewarePrerequisiteCourseSerializer(many=True)
    about_sidebar_html = serializers.CharField(allow_null=True)
    display_number_with_default = serializers.CharField(source="course.display_number_with_default")
    display_org_with_default = serializers.CharField(source="course.display_org_with_default")
    overview = serializers.CharField(allow_null=True)

    def __init__(self, *args, requested_fields: set[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if requested_fields is not None:
            for name in set(self.fields) - requested_fields:
                self.fields.pop(name)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        for name in ("effort", "license", "language", "short_description", "marketing_url"):
            if name in data and data[name] == "":
                data[name] = None  # an empty overview field reads as "not set"
        return data

    def get_start_display(self, info) -> str | None:
        return start_display(info.course)

    def get_start_type(self, info) -> str:
        return start_type(info.course)

    def get_advertised_start(self, info) -> str | None:
        return info.course.advertised_start or None


class CoursewareGatedContentSerializer(serializers.Serializer):
    prereq_id = serializers.CharField(allow_null=True)
    prereq_url = serializers.CharField(allow_null=True)
    prereq_section_name = serializers.CharField(allow_null=True)
    gated = serializers.BooleanField()
    gated_section_name = serializers.CharField(allow_null=True)


class CoursewareSequenceItemSerializer(serializers.Serializer):
    """A unit of a sequence; a gated sequence lists only ``id, type, display_name, is_gated, content``."""

    content = serializers.CharField()
    page_title = serializers.CharField(required=False)
    type = serializers.CharField()
    id = serializers.CharField()
    bookmarked = serializers.BooleanField(required=False)
    path = serializers.CharField(required=False)
    graded = serializers.BooleanField(required=False)
    contains_content_type_gated_content = serializers.BooleanField(required=False)
    href = serializers.CharField(required=False)
    complete = serializers.BooleanField(required=False, allow_null=True,
                                        help_text="Only for signed-in users and vertical units.")
    display_name = serializers.CharField(required=False)
    is_gated = serializers.BooleanField(required=False)


class CoursewareSequenceMetadataSerializer(serializers.Serializer):
    """Documents the body ``sequence_metadata`` builds."""

    items = CoursewareSequenceItemSerializer(many=True)
    element_id = serializers.CharField()
    item_id = serializers.CharField()
    is_time_limited = serializers.BooleanField()
    is_proctored = serializers.BooleanField()
    position = serializers.IntegerField(allow_null=True)
    tag = serializers.CharField()
    next_url = serializers.CharField(allow_null=True)
    prev_url = serializers.CharField(allow_null=True)
    banner_text = serializers.CharField(allow_null=True)
    save_position = serializers.BooleanField()
    show_completion = serializers.BooleanField()
    gated_content = CoursewareGatedContentSerializer()
    sequence_name = serializers.CharField(allow_null=True)
    exclude_units = serializers.BooleanField()
    gated_sequence_paywall = serializers.CharField(allow_null=True)
    display_name = serializers.CharField()
    format = serializers.CharField(allow_null=True)
    is_hidden_after_due = serializers.BooleanField()
    navigation_disabled = serializers.BooleanField()


class CoursewareResumeSerializer(serializers.Serializer):
    block_id = serializers.CharField(allow_null=True)
    section_id = serializers.CharField(allow_null=True, help_text="The subsection (sequential) holding the unit.")
    unit_id = serializers.CharField(allow_null=True)


class StrictBooleanField(serializers.BooleanField):
    """JSON ``true``/``false`` only: ``"yes"`` or ``1`` are rejected rather than guessed."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class CoursewareCelebrationSerializer(serializers.Serializer):
    """The body of a celebration POST: only these two keys, booleans or null (null = leave alone)."""

    first_section = StrictBooleanField(required=False, allow_null=True)
    weekly_goal = StrictBooleanField(required=False, allow_null=True)

    def validate(self, attrs):
        unknown = sorted(set(self.initial_data) - set(self.fields))
        if unknown:
            raise serializers.ValidationError(f"Unknown fields: {', '.join(unknown)}.")
        return attrs


class CoursewareCourseInfoSchema(OpenApiSerializerExtension):
    """``requested_fields`` may leave out any field of the course info, so its schema requires none."""

    target_class = CoursewareCourseInfoSerializer

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        schema.pop("required", None)
        return schema


class CoursewareCelebrationSchema(OpenApiSerializerExtension):
    """The celebration body takes no key but its two: ``additionalProperties: false``, as the view enforces."""

    target_class = CoursewareCelebrationSerializer

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        schema["additionalProperties"] = False
        return schema
