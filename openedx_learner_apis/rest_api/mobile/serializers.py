"""Mobile serializers: the per-version JSON shapes of the mobile users API (docs/mobile.rst).

Enrollment serializers read everything per item from a :class:`ResponseBatch` in their
context: the feature's :class:`EnrollmentBatch` (a page's data, loaded in a fixed number of
queries, and its rules) plus what the HTTP payload needs (absolute links, date format). They build their output in
``to_representation`` by hand: DRF's per-field machinery cost more than the data itself. The
declared fields still document the schema, and tests check the hand-built output against
DRF's generic ``Serializer.to_representation``.
"""

from __future__ import annotations

import base64
from datetime import datetime
from functools import cached_property, lru_cache

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ...applets.courses.dates import has_real_start
from ...conf import learner_apis_settings
from ...features.mobile.batch import EnrollmentBatch

UTM_PARAMETERS = {
    "facebook": "utm_medium=social&utm_campaign=social-sharing-db&utm_source=facebook",
    "twitter": "utm_medium=social&utm_campaign=social-sharing-db&utm_source=twitter",
}
ASSIGNMENT_DUE_DATE = "assignment-due-date"


def subscription_id(course_key) -> str:
    """``course_`` + the base32 of the key, padding ``=`` turned into ``_`` (alphanumeric topic name)."""
    return _subscription_id(str(course_key))


@lru_cache(maxsize=4096)
def _subscription_id(course_id: str) -> str:
    """Per process: the same courses are listed on every request, and base32 costs ~10 µs."""
    return "course_" + base64.b32encode(course_id.encode()).decode().replace("=", "_")


def start_display(course, language: str | None = None) -> tuple[str, str | None]:
    """``(start_type, start_display)``: the advertised text, the start date, or nothing.

    ``language`` is the active one (``get_language()``) when the caller looked it up already.
    """
    if course.advertised_start:
        return "string", course.advertised_start
    if has_real_start(course):
        return "timestamp", _localized_date(course.start, course.start.tzinfo,
                                            get_language() if language is None else language)
    return "empty", None


@lru_cache(maxsize=1024)
def _localized_date(value: datetime, tzinfo, language: str | None) -> str:
    """``date_format`` (~14 µs), cached per process: courses share start dates across requests.

    ``tzinfo`` and ``language`` only complete the cache key (equal datetimes may differ in zone;
    month names and the format follow the active language); format settings are assumed fixed.
    """
    return date_format(value, "DATE_FORMAT")


class ResponseBatch(EnrollmentBatch):
    """An :class:`EnrollmentBatch` with what the payload adds: absolute links, the version's routes, dates.

    ``request`` builds absolute links and is handed to the link hooks; DRF's ``DateTimeField``
    output is bound once here, the current time zone and language looked up once, not per value.
    """

    def __init__(self, request, api_version: str, loaded, **kwargs):
        super().__init__(loaded, **kwargs)
        self.request = request
        self.api_version = api_version
        self.language = get_language()
        self.hooks = learner_apis_settings.hooks()
        self.datetime = serializers.DateTimeField(
            default_timezone=timezone.get_current_timezone() if settings.USE_TZ else None).to_representation

    def certificate(self, enrollment) -> dict:
        url = self.certificate_url(enrollment)
        return {"url": self.request.build_absolute_uri(url)} if url else {}


def append_method_fields(serializer, data: dict, enrollment, *names: str) -> dict:
    """Appends to a parent version's output the fields a later version adds, in declaration order.

    Each added field is a ``SerializerMethodField``: its value is ``serializer.get_<name>(enrollment)``,
    as DRF's generic path would compute it, so the keys follow the parent's in the same order.
    """
    for name in names:
        data[name] = getattr(serializer, f"get_{name}")(enrollment)
    return data


class MobileModeSerializer(serializers.Serializer):
    slug = serializers.CharField(source="mode_slug")
    sku = serializers.CharField(allow_null=True)
    android_sku = serializers.CharField(allow_null=True)
    ios_sku = serializers.CharField(allow_null=True)
    min_price = serializers.IntegerField()

    def to_representation(self, mode) -> dict:
        return {"slug": mode.mode_slug, "sku": mode.sku, "android_sku": mode.android_sku, "ios_sku": mode.ios_sku,
                "min_price": mode.min_price}


MODE_SERIALIZER = MobileModeSerializer()  # stateless: serves the modes of every item


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

    @cached_property
    def batch(self) -> ResponseBatch:
        return self.context["batch"]

    def to_representation(self, enrollment) -> dict:
        # Model text fields are str already (CharField would only str() them); the start is formatted
        # once for both start fields.
        course = enrollment.course
        batch = self.batch
        start_type, start_text = start_display(course, batch.language)
        return {
            "id": str(course.course_key),
            "name": course.display_name_with_default,
            "number": course.display_number_with_default,
            "org": course.display_org_with_default,
            "org_logo": course.org_logo_url,
            "start": batch.datetime(course.start),
            "start_display": start_text,
            "start_type": start_type,
            "end": batch.datetime(course.end),
            "dynamic_upgrade_deadline": self.get_dynamic_upgrade_deadline(enrollment),
            "subscription_id": self.get_subscription_id(enrollment),
            "courseware_access": self.get_courseware_access(enrollment),
            "media": self.get_media(enrollment),
            "course_image": course.course_image_url,
            "course_about": self.get_course_about(enrollment),
            "course_sharing_utm_parameters": self.get_course_sharing_utm_parameters(enrollment),
            "course_updates": self.get_course_updates(enrollment),
            "course_handouts": self.get_course_handouts(enrollment),
            "discussion_url": self.get_discussion_url(enrollment),
            "video_outline": self.get_video_outline(enrollment),
            "is_self_paced": course.self_paced,
        }

    def get_start_display(self, enrollment) -> str | None:
        return start_display(enrollment.course, self.batch.language)[1]

    def get_start_type(self, enrollment) -> str:
        return start_display(enrollment.course, self.batch.language)[0]

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_dynamic_upgrade_deadline(self, enrollment) -> str | None:
        return self.batch.datetime(self.batch.upgrade_deadline(enrollment))

    def get_subscription_id(self, enrollment) -> str:
        return subscription_id(enrollment.course.course_key)

    @extend_schema_field(MobileCoursewareAccessSerializer)
    def get_courseware_access(self, enrollment) -> dict:
        result = self.batch.courseware_access(enrollment)
        # By hand: AccessResult.as_dict() (dataclasses.asdict) deep-copies and costs ~10x more.
        return {"has_access": result.has_access, "error_code": result.error_code,
                "developer_message": result.developer_message, "user_message": result.user_message,
                "additional_context_user_message": result.additional_context_user_message,
                "user_fragment": result.user_fragment}

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

    @cached_property
    def batch(self) -> ResponseBatch:
        return self.context["batch"]

    @cached_property
    def course_serializer(self) -> MobileCourseSerializer:
        """The ``course`` field, made once per list; ``self.fields`` would deep-copy every declared field."""
        return MobileCourseSerializer(context=self.context)

    def to_representation(self, enrollment) -> dict:
        return {
            "created": self.batch.datetime(enrollment.created),
            "mode": enrollment.mode,
            "is_active": enrollment.is_active,
            "course": self.course_serializer.to_representation(enrollment),
            "certificate": self.get_certificate(enrollment),
        }

    @extend_schema_field(MobileCertificateSerializer)
    def get_certificate(self, enrollment) -> dict:
        return self.batch.certificate(enrollment)


class MobileEnrollmentSerializer(MobileEnrollmentV05Serializer):
    """v1 to v4 list items."""

    audit_access_expires = serializers.SerializerMethodField()
    course_modes = serializers.SerializerMethodField()

    def to_representation(self, enrollment) -> dict:
        return append_method_fields(self, super().to_representation(enrollment), enrollment,
                                    "audit_access_expires", "course_modes")

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_audit_access_expires(self, enrollment) -> str | None:
        return self.batch.datetime(self.batch.audit_access_expires(enrollment))

    @extend_schema_field(MobileModeSerializer(many=True))
    def get_course_modes(self, enrollment) -> list:
        return [MODE_SERIALIZER.to_representation(mode)
                for mode in self.batch.modes(enrollment)]


class MobileEnrollmentWithProgressSerializer(MobileEnrollmentSerializer):
    """v4 list items when ``requested_fields`` names ``course_progress``."""

    course_progress = serializers.SerializerMethodField()

    def to_representation(self, enrollment) -> dict:
        return append_method_fields(self, super().to_representation(enrollment), enrollment, "course_progress")

    @extend_schema_field(MobileCourseProgressSerializer)
    def get_course_progress(self, enrollment) -> dict:
        return self.batch.course_progress(enrollment)


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

    def to_representation(self, enrollment) -> dict:
        return append_method_fields(self, super().to_representation(enrollment), enrollment,
                                    "course_status", "course_assignments")

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
            "date": batch.datetime(assignment.date),
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
        past, future = self.batch.past_and_future_assignments(enrollment)
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


class MobileEnrollmentStatusSerializer(serializers.Serializer):
    course_id = serializers.CharField()
    course_name = serializers.CharField(allow_null=True)
    recently_active = serializers.BooleanField()
