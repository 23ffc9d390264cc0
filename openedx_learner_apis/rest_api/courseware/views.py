"""Courseware API views: parse the request, call the courseware use cases, serialize the answer.

What each endpoint computes is in :mod:`openedx_learner_apis.features.courseware`; refusals
are mapped to HTTP by :mod:`.errors`, and the endpoints are described in ``docs/courseware.rst``.
"""

from __future__ import annotations

import time

from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import http_date
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from ...conf import learner_apis_settings
from ...core.keys import InvalidKey, parse_course_key, parse_usage_key
from ...features.courseware.celebrations import CREATED, NOT_WRITTEN, UPDATED, celebrate, celebration_seen_as
from ...features.courseware.course_info import course_info_for, outside_request_transaction
from ...features.courseware.resume import resume_for
from ...features.courseware.sequences import sequence_for
from ...toggles import ENABLE_ANONYMOUS_COURSEWARE_ACCESS
from ..common import endpoint_versions
from ..common.conditional import ConditionalGetMixin, versioned_get
from ..common.errors import DeveloperError, DeveloperErrorViewMixin
from ..common.parsers import JSONParser
from ..common.schema import USAGE_KEY_PATTERN, path_parameter, query_parameter
from ..common.views import FamilyViewMixin, family_authentication, family_permissions
from .errors import CoursewareErrorsMixin, MalformedSequenceKey
from .masquerade import resolve_courseware_user
from .serializers import (
    CoursewareCelebrationSerializer,
    CoursewareCourseInfoSerializer,
    CoursewareDetailErrorSerializer,
    CoursewareDeveloperErrorSerializer,
    CoursewareResumeSerializer,
    CoursewareSequenceMetadataSerializer,
)

COURSE_KEY_PARAMETER = path_parameter("course_key_string", "A course key, e.g. course-v1:edX+DemoX+Demo_Course.")
USAGE_KEY_PARAMETER = path_parameter("usage_key_string", "The usage key of a sequential (or chapter).",
                                     pattern=USAGE_KEY_PATTERN)
USERNAME_PARAMETER = query_parameter(
    "username", "Global staff: show this learner's data. Anyone else naming another user gets 403.")


_date: tuple = (0, "")  # a second since the epoch and its HTTP date


def _http_date_now() -> str:
    """``http_date()``, formatted once per second and process: it costs more than the rest of a 304's headers."""
    global _date
    stamp, second = _date, int(time.time())
    if stamp[0] != second:
        stamp = _date = (second, http_date(second))
    return stamp[1]


def courseware_operation(operation_id: str, *parameters: OpenApiParameter, responses: dict, **schema):
    """The OpenAPI description of one courseware operation, filed under the family's tag."""
    return extend_schema(tags=["courseware"], operation_id=operation_id, parameters=list(parameters),
                         responses=responses, **schema)


def detail_errors(**codes) -> dict:
    return {code: OpenApiResponse(CoursewareDetailErrorSerializer, description=text) for code, text in codes.items()}


def developer_errors(**codes) -> dict:
    return {code: OpenApiResponse(CoursewareDeveloperErrorSerializer, description=text) for code, text in codes.items()}


class CoursewareFamily:
    """What every courseware view declares: its family's authentication and permissions, anyone by default."""

    family = "courseware"
    authentication_classes = family_authentication()
    permission_classes = family_permissions(AllowAny)


class CourseKeyMixin:
    """The course key of the URL; one that does not parse raises :class:`InvalidKey` (answered 400)."""

    def course_key(self):
        return parse_course_key(self.kwargs["course_key_string"])


def requested_fields(value: str | None) -> set[str] | None:
    """The names of ``?requested_fields=a,b`` (``None`` when absent: every field)."""
    return None if value is None else {name.strip() for name in value.split(",") if name.strip()}


def flags_of(request):
    """A waffle flag reader for this request (flags may target users, groups or a percentage of requests).

    edx-toggles reads the request through crum; the family views make ``request`` the current one.
    """
    return lambda flag: flag.is_enabled()


@method_decorator(outside_request_transaction, name="dispatch")
class CoursewareInformationView(ConditionalGetMixin, CoursewareFamily, CoursewareErrorsMixin, CourseKeyMixin,
                                FamilyViewMixin, APIView):
    """Course info for the learning MFE; its writes (activity, time zone, streak) must persist on error."""

    @courseware_operation(
        "courseware_course_retrieve", COURSE_KEY_PARAMETER, USERNAME_PARAMETER,
        query_parameter("requested_fields", "Comma-separated field names; only those are computed and returned."),
        query_parameter("browser_timezone", "IANA time zone of the browser (invalid names are ignored)."),
        responses={200: CoursewareCourseInfoSerializer, **detail_errors(
            **{"400": "Malformed course key.", "403": "A non-staff user named another username.",
               "404": "No such course, it cannot be seen, or no such username.",
               "405": "Only GET is allowed."})})
    @versioned_get(endpoint_versions.courseware_course)
    def get(self, request, course_key_string):
        course_key = self.course_key()
        info = course_info_for(
            course_key,
            lambda key: resolve_courseware_user(request, key, username=request.query_params.get("username")),
            hooks=learner_apis_settings.hooks(), now=timezone.now(),
            browser_timezone=request.query_params.get("browser_timezone"), flag_enabled=flags_of(request))
        serializer = CoursewareCourseInfoSerializer(
            info, requested_fields=requested_fields(request.query_params.get("requested_fields")),
            context={"request": request})
        return Response(serializer.data)

    def finalize_response(self, request, response, *args, **kwargs):
        """Expose ``Date`` so clients measure deadlines against the server's clock, not their own."""
        response = super().finalize_response(request, response, *args, **kwargs)
        exposed = response.get("Access-Control-Expose-Headers")
        response["Access-Control-Expose-Headers"] = f"{exposed}, Date" if exposed else "Date"
        if not response.has_header("Date"):
            response["Date"] = _http_date_now()
        return response


class SequenceMetadataView(ConditionalGetMixin, CoursewareFamily, CoursewareErrorsMixin, DeveloperErrorViewMixin,
                           FamilyViewMixin, APIView):
    """Metadata of one sequence (subsection) for the learning MFE."""

    @courseware_operation(
        "courseware_sequence_retrieve", USAGE_KEY_PARAMETER, USERNAME_PARAMETER,
        query_parameter("preview", "1: course staff also see unpublished blocks."),
        responses={200: CoursewareSequenceMetadataSerializer, **developer_errors(
            **{"400": "Malformed usage key.", "403": "A non-staff user named another username.",
               "404": "No such block, or it cannot be loaded by this user.",
               "405": "Only GET is allowed.", "422": "The block is not a sequence."})})
    @versioned_get(endpoint_versions.courseware_sequence)
    def get(self, request, usage_key_string):
        try:
            usage_key = parse_usage_key(usage_key_string)
        except InvalidKey:
            raise MalformedSequenceKey(f"Invalid usage key: '{usage_key_string}'.") from None
        metadata = sequence_for(
            usage_key,
            lambda course_key: resolve_courseware_user(request, course_key,
                                                       username=request.query_params.get("username"), reset=True),
            preview=request.query_params.get("preview") == "1",
            anonymous_access=ENABLE_ANONYMOUS_COURSEWARE_ACCESS.is_enabled(),
            hooks=learner_apis_settings.hooks(), now=timezone.now())
        return Response(metadata)


class ResumeView(ConditionalGetMixin, CoursewareFamily, CoursewareErrorsMixin, CourseKeyMixin, DeveloperErrorViewMixin,
                 FamilyViewMixin, APIView):
    """Where a learner left off: their latest completion and its unit and subsection."""

    permission_classes = family_permissions(IsAuthenticated)

    @courseware_operation(
        "courseware_resume_retrieve", COURSE_KEY_PARAMETER, USERNAME_PARAMETER,
        responses={200: CoursewareResumeSerializer, **developer_errors(
            **{"400": "Malformed course key.", "401": "Not signed in.",
               "403": "A non-staff user named another username.",
               "404": "No such course, it cannot be seen, or no such username.", "405": "Only GET is allowed."})})
    @versioned_get(endpoint_versions.courseware_resume)
    def get(self, request, course_key_string):
        course_key = self.course_key()
        # The session masquerade does not apply here: staff resume where they themselves left off.
        return Response(resume_for(
            course_key,
            lambda key: resolve_courseware_user(request, key, username=request.query_params.get("username"),
                                                session=False),
            now=timezone.now()))


class CelebrationView(CoursewareFamily, CoursewareErrorsMixin, CourseKeyMixin, DeveloperErrorViewMixin,
                      FamilyViewMixin, APIView):
    """Marks celebrations of the learner's enrollment as shown (or to show)."""

    permission_classes = family_permissions(IsAuthenticated)
    http_method_names = ["post", "options"]
    # The flags are JSON booleans; a form encoding can only send strings, and "" would read as null.
    parser_classes = [JSONParser]

    @courseware_operation(
        "courseware_celebration_create", COURSE_KEY_PARAMETER,
        request=CoursewareCelebrationSerializer,
        responses={
            200: OpenApiResponse(CoursewareCelebrationSerializer, description="Updated (or nothing to update)."),
            201: OpenApiResponse(CoursewareCelebrationSerializer, description="The celebration row was created."),
            202: OpenApiResponse(CoursewareCelebrationSerializer,
                                 description="Staff viewing as a learner: accepted, nothing written."),
            **developer_errors(**{"400": "Malformed course key or body.", "401": "Not signed in.",
                                  "404": "No enrollment in this course.", "405": "Only POST is allowed.",
                                  "413": "A body over DATA_UPLOAD_MAX_MEMORY_SIZE.",
                                  "415": "A body that is not JSON.",
                                  "429": "More writes by this user than THROTTLE_RATES['courseware'] allows; "
                                         "the Retry-After header says in how many seconds to try again."}),
        },
    )
    def post(self, request, course_key_string):
        course_key = self.course_key()
        viewer = resolve_courseware_user(request, course_key, reset=True)
        if viewer.is_viewing_other:
            result = celebration_seen_as(viewer, course_key)
        else:
            serializer = CoursewareCelebrationSerializer(data=request.data)
            try:
                serializer.is_valid(raise_exception=True)
            except ValidationError:
                raise DeveloperError(400, first_error(serializer.errors)) from None
            result = celebrate(viewer, course_key, **serializer.validated_data)
        return Response(result.fields, status=CELEBRATION_STATUS[result.outcome])


CELEBRATION_STATUS = {UPDATED: status.HTTP_200_OK, CREATED: status.HTTP_201_CREATED,
                      NOT_WRITTEN: status.HTTP_202_ACCEPTED}


def first_error(errors) -> str:
    """One readable message out of DRF's nested error dict."""
    for field, messages in errors.items():
        message = messages[0] if isinstance(messages, list) else messages
        return str(message) if field == "non_field_errors" else f"{field}: {message}"
    return "Invalid body."
