"""Mobile course status routes: read (GET) or save (PATCH) the learner's last visited module in a course.

``{v}/users/{username}/course_status_info/{course_id}``; the rules are in docs/mobile.rst
("course_status_info"). The PATCH body is validated by :class:`MobileCourseStatusPatchSerializer`,
the serializer the schema documents; errors are answered by :class:`.errors.MobileErrorsMixin`.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ParseError
from rest_framework.fields import empty
from rest_framework.response import Response
from rest_framework.settings import api_settings

from ...features.mobile.course_status import course_status, open_course, update_course_status
from ..common import endpoint_versions
from ..common.conditional import ConditionalGetMixin, versioned_get
from ..common.parsers import JSON_OR_FORM_PARSERS
from ..common.schema import USAGE_KEY_PATTERN
from .errors import INVALID_BODY, INVALID_DATE, INVALID_MODULE, CourseStatusRefused
from .views import (
    AUTH_RESPONSES,
    COURSE_PARAMETER,
    COURSE_STATUS_NOT_FOUND,
    DETAIL,
    ERRORS,
    TAGS,
    USERNAME_PARAMETER,
    V1,
    VERSION_PARAMETER,
    MobileView,
)

__all__ = ["CourseStatusView", "MobileCourseStatusInfoSerializer", "MobileCourseStatusPatchSerializer"]


class MobileCourseStatusInfoSerializer(serializers.Serializer):
    """course_status_info: ``last_visited_block_id`` is present in v1 GET answers only."""

    last_visited_module_id = serializers.CharField()
    last_visited_module_path = serializers.ListField(child=serializers.CharField())
    last_visited_block_id = serializers.CharField(required=False, allow_blank=True)


class ModuleIdField(serializers.RegexField):
    """``last_visited_module_id``: absent, ``null`` and ``""`` mean none; any other non-string is refused.

    The pattern documents the usage keys accepted; whether a string parses as one, and names a
    block of the course, is the use case's check (both answer ``invalid-module-id``).
    """

    def run_validation(self, data=empty):
        if data is empty or data is None or data == "":
            return None
        if not isinstance(data, str):
            raise serializers.ValidationError(INVALID_MODULE[1], code=INVALID_MODULE[0])
        return data


class ModificationDateField(serializers.DateTimeField):
    """``modification_date``: absent, ``null`` and ``""`` mean none; else an ISO 8601 date with a zone.

    A date without a zone is refused: the apps send UTC, and a guess could reorder updates.
    """

    def run_validation(self, data=empty):
        if data is empty or data is None or data == "":
            return None
        try:
            value = parse_datetime(data) if isinstance(data, str) else None
        except ValueError:
            value = None
        if value is None or timezone.is_naive(value):
            raise serializers.ValidationError(INVALID_DATE[1], code=INVALID_DATE[0])
        return value


class MobileCourseStatusPatchSerializer(serializers.Serializer):
    """The PATCH body: a JSON object (or a form) with an optional module id and an optional date.

    ``last_visited_module_id`` declares the usage keys accepted: any other value is a 400
    ``invalid-module-id``, as is a key that names no block of the course.
    """

    last_visited_module_id = ModuleIdField(USAGE_KEY_PATTERN, required=False, allow_blank=True, allow_null=True)
    modification_date = ModificationDateField(required=False, allow_null=True)

    def to_internal_value(self, data):
        if not hasattr(data, "get"):  # not JSON, or JSON that is not an object (a list, a number...)
            raise serializers.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [INVALID_BODY[1]]},
                                              code=INVALID_BODY[0])
        return super().to_internal_value(data)

    def refusal(self) -> tuple[str, str]:
        """``(code, message)`` of the error to answer once ``is_valid()`` returned ``False``.

        The first of: a body that is not an object, an invalid date, an invalid module id.
        """
        for field, (code, message) in (("modification_date", INVALID_DATE), ("last_visited_module_id", INVALID_MODULE)):
            if field in self.errors:
                return code, message
        return INVALID_BODY


class CourseStatusView(ConditionalGetMixin, MobileView):
    """The learner's last visited module in a course: read it (GET) or save it (PATCH)."""

    http_method_names = ["get", "patch"]
    parser_classes = JSON_OR_FORM_PARSERS

    @extend_schema(tags=TAGS, operation_id="mobile_course_status_read",
                   parameters=[VERSION_PARAMETER, USERNAME_PARAMETER, COURSE_PARAMETER],
                   responses={200: MobileCourseStatusInfoSerializer, **AUTH_RESPONSES, 404: OpenApiResponse(
                       COURSE_STATUS_NOT_FOUND,
                       description="Unknown or malformed course, not enrolled ({detail}), or no access "
                                   "(the access-error object).")})
    @versioned_get(endpoint_versions.mobile_course_status)
    def get(self, request, api_version: str, username: str, course_key_string: str):
        opened = open_course(request.user, course_key_string)
        return Response(course_status(request.user, opened, with_last_block=api_version == V1))

    @extend_schema(tags=TAGS, operation_id="mobile_course_status_update",
                   parameters=[VERSION_PARAMETER, USERNAME_PARAMETER, COURSE_PARAMETER],
                   # JSON, as the apps send; form encodings still work but cannot say null.
                   request={"application/json": MobileCourseStatusPatchSerializer},
                   responses={200: MobileCourseStatusInfoSerializer,
                              400: OpenApiResponse(ERRORS, description="invalid-modification-date, "
                                                                       "invalid-module-id or invalid-request-body "
                                                                       "(not a JSON object); nothing is saved."),
                              **AUTH_RESPONSES,
                              404: OpenApiResponse(COURSE_STATUS_NOT_FOUND, description="As for GET."),
                              413: OpenApiResponse(DETAIL, description="A body over DATA_UPLOAD_MAX_MEMORY_SIZE."),
                              415: OpenApiResponse(DETAIL, description="A body neither JSON nor a form."),
                              429: OpenApiResponse(DETAIL, description=(
                                  "More updates by this user than THROTTLE_RATES['mobile'] allows; the Retry-After "
                                  "header says in how many seconds to try again."))})
    def patch(self, request, api_version: str, username: str, course_key_string: str):
        opened = open_course(request.user, course_key_string)  # access is checked before the body is read
        try:
            data = request.data
        except ParseError:
            data = None  # unreadable JSON: refused as a body that is not an object
        body = MobileCourseStatusPatchSerializer(data=data)
        if not body.is_valid():
            raise CourseStatusRefused(*body.refusal())
        return Response(update_course_status(
            request.user, opened, body.validated_data.get("last_visited_module_id"),
            modification_date=body.validated_data.get("modification_date")))
