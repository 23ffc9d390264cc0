"""Serializers of the mobile users API; per-version shapes follow spec mobile_users §4, §5.3–§5.6, §6, §7.

Enrollment serializers read everything per item from an :class:`EnrollmentBatch` in their
context, which loads a page's data in a fixed number of queries.
"""

from __future__ import annotations

import base64
from datetime import datetime

from django.utils.formats import date_format
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ...applets.certificates.rules import certificate_download_url, certificates_viewable_for_course
from ...applets.courses.outline import get_outlines
from ...applets.enrollments.access import DEFAULT_START_DATE
from ...applets.enrollments.modes import displayed_modes, upgrade_deadline
from ...applets.progress.assignments import (
    completed_blocks,
    course_assignments,
    course_progress,
    split_assignments,
)
from ...applets.progress.course_status import completion_course_status, last_completed_block
from ...conf import learner_apis_settings

UTM_PARAMETERS = {
    "facebook": "utm_medium=social&utm_campaign=social-sharing-db&utm_source=facebook",
    "twitter": "utm_medium=social&utm_campaign=social-sharing-db&utm_source=twitter",
}
ASSIGNMENT_DUE_DATE = "assignment-due-date"


def subscription_id(course_key) -> str:
    """``course_`` + the base32 of the key, padding ``=`` turned into ``_`` (alphanumeric topic name)."""
    return "course_" + base64.b32encode(str(course_key).encode()).decode().replace("=", "_")


def start_display(course) -> tuple[str, str | None]:
    """``(start_type, start_display)``: the advertised text, the start date, or nothing."""
    if course.advertised_start:
        return "string", course.advertised_start
    if course.start is not None and course.start != DEFAULT_START_DATE:
        return "timestamp", date_format(course.start, "DATE_FORMAT")
    return "empty", None


class EnrollmentBatch:
    """Data for serializing a page of enrollments (and the v4 primary) without a query per item.

    ``loaded`` is the applet's :class:`LoadedEnrollments`; ``progress_for`` lists the
    enrollments whose ``course_progress`` is shown (outlines and completions of those
    courses are read in one query each).
    """

    def __init__(self, request, api_version: str, loaded, *, progress_for=(), primary=None, tz=None,
                 now: datetime):
        self.request = request
        self.api_version = api_version
        self.certificates = loaded.certificates
        self.access = loaded.access
        self.user = loaded.access.user
        self.now = now
        self.tz = tz
        self.hooks = learner_apis_settings.hooks()
        keys = [enrollment.course.course_key for enrollment in progress_for]
        if primary is not None:
            keys.append(primary.course.course_key)
        self.outlines = get_outlines(keys) if keys else {}
        self.completed = completed_blocks(self.user, keys) if keys else {}

    def assignments(self, enrollment) -> list:
        key = enrollment.course.course_key
        return course_assignments(self.outlines[key], self.completed.get(key, set()), now=self.now)

    def certificate(self, enrollment) -> dict:
        certificate = self.certificates.get(enrollment.course.course_key)
        course = enrollment.course
        if certificate is None or not certificates_viewable_for_course(course, now=self.now):
            return {}
        url = certificate_download_url(certificate, course)
        return {"url": self.request.build_absolute_uri(url)} if url else {}

    def course_status(self, enrollment) -> dict | None:
        key = enrollment.course.course_key
        return completion_course_status(self.outlines[key], last_completed_block(self.user, key))


class MobileModeSerializer(serializers.Serializer):
    slug = serializers.CharField(source="mode_slug")
    sku = serializers.CharField(allow_null=True)
    android_sku = serializers.CharField(allow_null=True)
    ios_sku = serializers.CharField(allow_null=True)
    min_price = serializers.IntegerField()


class MobileCoursewareAccessSerializer(serializers.Serializer):
    has_access = serializers.BooleanField()
    error_code = serializers.CharField(allow_null=True)
    developer_message = serializers.CharField(allow_null=True)
    user_message = serializers.CharField(allow_null=True)
    additional_context_user_message = serializers.CharField(allow_null=True)
    user_fragment = serializers.CharField(allow_null=True)


class MobileCourseImageSerializer(serializers.Serializer):
    uri = serializers.CharField()
    name = serializers.CharField()


class MobileMediaSerializer(serializers.Serializer):
    course_image = MobileCourseImageSerializer()


class MobileUtmSerializer(serializers.Serializer):
    facebook = serializers.CharField()
    twitter = serializers.CharField()


class MobileCourseSerializer(serializers.Serializer):
    """The ``course`` object of an enrollment; the instance is the enrollment."""

    id = serializers.CharField(source="course.course_key")
    name = serializers.CharField(source="course.display_name_with_default")
    number = serializers.CharField(source="course.display_number_with_default")
    org = serializers.CharField(source="course.display_org_with_default")
    org_logo = serializers.CharField(source="course.org_logo_url")
    start = serializers.DateTimeField(source="course.start", allow_null=True)
    start_display = serializers.SerializerMethodField()
    start_type = serializers.SerializerMethodField()
    end = serializers.DateTimeField(source="course.end", allow_null=True)
    dynamic_upgrade_deadline = serializers.SerializerMethodField()
    subscription_id = serializers.SerializerMethodField()
    courseware_access = serializers.SerializerMethodField()
    media = serializers.SerializerMethodField()
    course_image = serializers.CharField(source="course.course_image_url")
    course_about = serializers.SerializerMethodField()
    course_sharing_utm_parameters = serializers.SerializerMethodField()
    course_updates = serializers.SerializerMethodField()
    course_handouts = serializers.SerializerMethodField()
    discussion_url = serializers.SerializerMethodField()
    video_outline = serializers.SerializerMethodField()
    is_self_paced = serializers.BooleanField(source="course.self_paced")

    @property
    def batch(self) -> EnrollmentBatch:
        return self.context["batch"]

    def get_start_display(self, enrollment) -> str | None:
        return start_display(enrollment.course)[1]

    def get_start_type(self, enrollment) -> str:
        return start_display(enrollment.course)[0]

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_dynamic_upgrade_deadline(self, enrollment) -> datetime | None:
        deadline = upgrade_deadline(enrollment.mode, enrollment.course.modes.all(), now=self.batch.now)
        return serializers.DateTimeField().to_representation(deadline) if deadline else None

    def get_subscription_id(self, enrollment) -> str:
        return subscription_id(enrollment.course.course_key)

    @extend_schema_field(MobileCoursewareAccessSerializer)
    def get_courseware_access(self, enrollment) -> dict:
        return self.batch.access.check(enrollment.course, enrollment).as_dict()

    @extend_schema_field(MobileMediaSerializer)
    def get_media(self, enrollment) -> dict:
        return {"course_image": {"uri": enrollment.course.course_image_url, "name": "Course Image"}}

    def get_course_about(self, enrollment) -> str:
        return self.batch.hooks.course_about_url(self.batch.request, enrollment.course)

    @extend_schema_field(MobileUtmSerializer)
    def get_course_sharing_utm_parameters(self, enrollment) -> dict:
        return dict(UTM_PARAMETERS)

    def get_course_updates(self, enrollment) -> str | None:
        return self.batch.hooks.mobile_course_info_url(self.batch.request, enrollment.course.course_key,
                                                       api_version=self.batch.api_version, kind="updates")

    def get_course_handouts(self, enrollment) -> str | None:
        return self.batch.hooks.mobile_course_info_url(self.batch.request, enrollment.course.course_key,
                                                       api_version=self.batch.api_version, kind="handouts")

    def get_discussion_url(self, enrollment) -> str | None:
        return self.batch.hooks.discussion_url(self.batch.request, enrollment.course)

    @extend_schema_field({"type": "string", "nullable": True, "description": "Always null (legacy)."})
    def get_video_outline(self, enrollment) -> None:
        return None


class MobileCertificateSerializer(serializers.Serializer):
    url = serializers.URLField(required=False)


class MobileCourseProgressSerializer(serializers.Serializer):
    total_assignments_count = serializers.IntegerField()
    assignments_completed = serializers.IntegerField()


class MobileEnrollmentV05Serializer(serializers.Serializer):
    """v0.5: no ``audit_access_expires`` and no ``course_modes``."""

    created = serializers.DateTimeField()
    mode = serializers.CharField()
    is_active = serializers.BooleanField()
    # A nested field, bound once per list: building a serializer per item costs ~15% of a request.
    course = MobileCourseSerializer(source="*")
    certificate = serializers.SerializerMethodField()

    @property
    def batch(self) -> EnrollmentBatch:
        return self.context["batch"]

    @extend_schema_field(MobileCertificateSerializer)
    def get_certificate(self, enrollment) -> dict:
        return self.batch.certificate(enrollment)


class MobileEnrollmentSerializer(MobileEnrollmentV05Serializer):
    """v1 to v4 list items."""

    audit_access_expires = serializers.SerializerMethodField()
    course_modes = serializers.SerializerMethodField()

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_audit_access_expires(self, enrollment) -> datetime | None:
        expiration = self.batch.access.expiration(enrollment, enrollment.course)
        return serializers.DateTimeField().to_representation(expiration) if expiration else None

    @extend_schema_field(MobileModeSerializer(many=True))
    def get_course_modes(self, enrollment) -> list:
        return MobileModeSerializer(displayed_modes(enrollment.course.modes.all(), now=self.batch.now), many=True).data


class MobileEnrollmentWithProgressSerializer(MobileEnrollmentSerializer):
    """v4 list items when ``requested_fields`` names ``course_progress``."""

    course_progress = serializers.SerializerMethodField()

    @extend_schema_field(MobileCourseProgressSerializer)
    def get_course_progress(self, enrollment) -> dict:
        return course_progress(self.batch.assignments(enrollment))


class MobileCourseStatusSerializer(serializers.Serializer):
    last_visited_module_id = serializers.CharField()
    last_visited_module_path = serializers.ListField(child=serializers.CharField())
    last_visited_block_id = serializers.CharField()
    last_visited_unit_display_name = serializers.CharField()


class MobileDateSummarySerializer(serializers.Serializer):
    assignment_type = serializers.CharField(allow_null=True)
    complete = serializers.BooleanField(allow_null=True)
    date = serializers.DateTimeField()
    date_type = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    learner_has_access = serializers.BooleanField()
    link = serializers.CharField(allow_blank=True)
    link_text = serializers.CharField(allow_blank=True)
    title = serializers.CharField()
    extra_info = serializers.CharField(allow_null=True)
    first_component_block_id = serializers.CharField(allow_blank=True)


class MobileCourseAssignmentsSerializer(serializers.Serializer):
    future_assignments = MobileDateSummarySerializer(many=True)
    past_assignments = MobileDateSummarySerializer(many=True)


class MobilePrimaryEnrollmentSerializer(MobileEnrollmentWithProgressSerializer):
    """The v4 ``primary`` enrollment: adds ``course_status`` and ``course_assignments``."""

    course_status = serializers.SerializerMethodField()
    course_assignments = serializers.SerializerMethodField()

    @extend_schema_field(MobileCourseStatusSerializer(allow_null=True))
    def get_course_status(self, enrollment) -> dict | None:
        return self.batch.course_status(enrollment)

    def _date_summary(self, assignment) -> dict:
        batch = self.batch
        link = (batch.hooks.jump_to_url(batch.request, assignment.block_key.course_key, assignment.block_key)
                if assignment.released else "")
        return {
            "assignment_type": assignment.assignment_type,
            "complete": assignment.complete,
            "date": serializers.DateTimeField().to_representation(assignment.date),
            "date_type": ASSIGNMENT_DUE_DATE,
            "description": "",
            "learner_has_access": True,
            "link": link,
            "link_text": "",
            "title": assignment.title,
            "extra_info": assignment.extra_info,
            "first_component_block_id": str(assignment.first_component_block_id or ""),
        }

    @extend_schema_field(MobileCourseAssignmentsSerializer)
    def get_course_assignments(self, enrollment) -> dict:
        past, future = split_assignments(self.batch.assignments(enrollment), now=self.batch.now, tz=self.batch.tz)
        return {"future_assignments": [self._date_summary(item) for item in future],
                "past_assignments": [self._date_summary(item) for item in past]}


class MobileUserSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    email = serializers.CharField()
    name = serializers.SerializerMethodField()
    course_enrollments = serializers.SerializerMethodField()

    def get_name(self, user) -> str | None:
        profile = getattr(user, "learner_profile", None)
        return profile.name if profile is not None else None

    def get_course_enrollments(self, user) -> str:
        return self.context["course_enrollments_url"]


class MobileCourseStatusInfoSerializer(serializers.Serializer):
    """course_status_info: ``last_visited_block_id`` is present in v1 GET answers only."""

    last_visited_module_id = serializers.CharField()
    last_visited_module_path = serializers.ListField(child=serializers.CharField())
    last_visited_block_id = serializers.CharField(required=False, allow_blank=True)


class MobileCourseStatusPatchSerializer(serializers.Serializer):
    """Documents the PATCH body; the view validates it itself to answer with the upstream error codes."""

    last_visited_module_id = serializers.CharField(required=False, allow_blank=True)
    modification_date = serializers.DateTimeField(required=False)


class MobileEnrollmentStatusSerializer(serializers.Serializer):
    course_id = serializers.CharField()
    course_name = serializers.CharField(allow_null=True)
    recently_active = serializers.BooleanField()
