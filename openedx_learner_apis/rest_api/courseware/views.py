"""Courseware API views (courseware spec): course info, sequence metadata, resume and celebration."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import http_date
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, ParseError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from ...applets.courses.api import find_course
from ...applets.courses.course_info import CourseInfo
from ...applets.courses.models import Course
from ...applets.courses.outline import get_outline
from ...applets.courses.sequences import (
    Viewer,
    is_visible,
    load_learner_state,
    provides_sequence_metadata,
    sequence_metadata,
)
from ...applets.courses.visibility import can_see_course, has_course_access
from ...applets.engagement.celebrations import (
    celebration_fields,
    enrollment_celebration,
    update_enrollment_celebration,
)
from ...applets.enrollments.models import Enrollment
from ...applets.progress.models import BlockCompletion
from ...applets.validation import spelled_as
from ...conf import learner_apis_settings
from ...toggles import ENABLE_ANONYMOUS_COURSEWARE_ACCESS
from ..common.errors import DeveloperError, DeveloperErrorViewMixin
from ..common.keys import MalformedKey, parse_course_key, parse_usage_key
from ..common.parsers import JSONParser
from ..common.schema import USAGE_KEY_PATTERN
from ..common.views import FamilyViewMixin, family_authentication, family_permissions
from .masquerade import resolve_courseware_user
from .serializers import (
    CoursewareCelebrationSerializer,
    CoursewareCourseInfoSerializer,
    CoursewareDetailErrorSerializer,
    CoursewareDeveloperErrorSerializer,
    CoursewareResumeSerializer,
    CoursewareSequenceMetadataSerializer,
)

COURSE_KEY_PARAMETER = OpenApiParameter("course_key_string", OpenApiTypes.STR, OpenApiParameter.PATH,
                                        description="A course key, e.g. course-v1:edX+DemoX+Demo_Course.")
USAGE_KEY_PARAMETER = OpenApiParameter("usage_key_string", OpenApiTypes.STR, OpenApiParameter.PATH,
                                       pattern=USAGE_KEY_PATTERN,
                                       description="The usage key of a sequential (or chapter).")
USERNAME_PARAMETER = OpenApiParameter(
    "username", OpenApiTypes.STR, OpenApiParameter.QUERY,
    description="Global staff: show this learner's data. Anyone else naming another user gets 403.")


def detail_errors(**codes) -> dict:
    return {code: OpenApiResponse(CoursewareDetailErrorSerializer, description=text) for code, text in codes.items()}


def developer_errors(**codes) -> dict:
    return {code: OpenApiResponse(CoursewareDeveloperErrorSerializer, description=text) for code, text in codes.items()}


def course_or_404(course_key) -> Course:
    """The course spelled exactly ``course_key`` (modes prefetched); another letter case is a 404."""
    course = find_course(course_key, with_modes=True)
    if course is None:
        raise NotFound()
    return course


def enrollment_of(user, course) -> Enrollment | None:
    """``user``'s enrollment row whatever ``is_active``, with its celebration row."""
    if not (user and user.is_authenticated):
        return None
    return Enrollment.objects.select_related("celebration").filter(user=user, course=course).first()


class CourseKeyMixin:
    """Parses the course key of the URL: 400 when it does not parse (DESIGN §6.10)."""

    def course_key(self):
        try:
            return parse_course_key(self.kwargs["course_key_string"])
        except MalformedKey as exc:
            raise ParseError(str(exc)) from None


@method_decorator(transaction.non_atomic_requests, name="dispatch")
class CoursewareInformationView(CourseKeyMixin, FamilyViewMixin, APIView):
    """Course info for the learning MFE; its writes (activity, time zone, streak) must persist on error."""

    family = "courseware"
    authentication_classes = family_authentication()
    permission_classes = family_permissions(AllowAny)

    @extend_schema(
        tags=["courseware"],
        operation_id="courseware_course_retrieve",
        parameters=[
            COURSE_KEY_PARAMETER, USERNAME_PARAMETER,
            OpenApiParameter("requested_fields", OpenApiTypes.STR, OpenApiParameter.QUERY,
                             description="Comma-separated field names; only those are computed and returned."),
            OpenApiParameter("browser_timezone", OpenApiTypes.STR, OpenApiParameter.QUERY,
                             description="IANA time zone of the browser (invalid names are ignored)."),
        ],
        responses={200: CoursewareCourseInfoSerializer, **detail_errors(
            **{"400": "Malformed course key.", "403": "A non-staff user named another username.",
               "404": "No such course, it cannot be seen, or no such username.",
               "405": "Only GET is allowed."})},
    )
    def get(self, request, course_key_string):
        course_key = self.course_key()
        course = course_or_404(course_key)
        viewer = resolve_courseware_user(request, course_key, username=request.query_params.get("username"))
        enrollment = enrollment_of(viewer.user, course)
        now = timezone.now()
        if not can_see_course(viewer.real_user, course, enrollment=enrollment, is_staff=viewer.real_is_staff, now=now):
            raise NotFound()
        info = CourseInfo(course, user=viewer.user, real_user=viewer.real_user, enrollment=enrollment,
                          is_staff=viewer.is_staff, roles=set(viewer.roles), masquerade=viewer.masquerade,
                          hooks=learner_apis_settings.hooks(), now=now,
                          browser_timezone=request.query_params.get("browser_timezone"), request=request)
        info.record_visit()
        requested = request.query_params.get("requested_fields")
        requested = None if requested is None else {name.strip() for name in requested.split(",") if name.strip()}
        serializer = CoursewareCourseInfoSerializer(info, requested_fields=requested, context={"request": request})
        return Response(serializer.data)

    def finalize_response(self, request, response, *args, **kwargs):
        """Expose ``Date`` so clients measure deadlines against the server's clock, not their own."""
        response = super().finalize_response(request, response, *args, **kwargs)
        exposed = response.get("Access-Control-Expose-Headers")
        response["Access-Control-Expose-Headers"] = f"{exposed}, Date" if exposed else "Date"
        if not response.has_header("Date"):
            response["Date"] = http_date()
        return response


class SequenceMetadataView(DeveloperErrorViewMixin, FamilyViewMixin, APIView):
    """Metadata of one sequence (subsection) for the learning MFE."""

    family = "courseware"
    authentication_classes = family_authentication()
    permission_classes = family_permissions(AllowAny)

    @extend_schema(
        tags=["courseware"],
        operation_id="courseware_sequence_retrieve",
        parameters=[
            USAGE_KEY_PARAMETER, USERNAME_PARAMETER,
            OpenApiParameter("preview", OpenApiTypes.STR, OpenApiParameter.QUERY,
                             description="1: course staff also see unpublished blocks."),
        ],
        responses={200: CoursewareSequenceMetadataSerializer, **developer_errors(
            **{"400": "Malformed usage key.", "403": "A non-staff user named another username.",
               "404": "No such block, or it cannot be loaded by this user.",
               "405": "Only GET is allowed.", "422": "The block is not a sequence."})},
    )
    def get(self, request, usage_key_string):
        try:
            usage_key = parse_usage_key(usage_key_string)
        except MalformedKey:
            raise DeveloperError(400, f"Invalid usage key: '{usage_key_string}'.") from None
        course = course_or_404(usage_key.course_key)
        outline = get_outline(course.course_key)
        block = outline.get(usage_key)
        if block is None:
            raise NotFound()
        viewer = resolve_courseware_user(request, course.course_key, username=request.query_params.get("username"),
                                         reset=True)
        enrollment = enrollment_of(viewer.user, course)
        now = timezone.now()
        access = has_course_access(
            viewer.user, course, enrollment=enrollment,
            is_staff=viewer.is_staff or (viewer.real_is_staff and not viewer.masquerade.specific_learner),
            anonymous_access=ENABLE_ANONYMOUS_COURSEWARE_ACCESS.is_enabled(request))
        sequence_viewer = Viewer(user=viewer.user, is_staff=viewer.is_staff, has_course_access=access,
                                 specific_masquerade=viewer.masquerade.specific_learner,
                                 preview=request.query_params.get("preview") == "1" and viewer.real_is_staff)
        if not is_visible(block, course, sequence_viewer, now):
            raise NotFound()
        if not provides_sequence_metadata(block):
            raise DeveloperError(422, f"'{usage_key}' is a {block.block_type}, not a sequence.")
        state = load_learner_state(viewer.user, course, outline, block, gating=course.enable_subsection_gating)
        return Response(sequence_metadata(outline, block, course, viewer=sequence_viewer, state=state,
                                          hooks=learner_apis_settings.hooks(), now=now))


class ResumeView(CourseKeyMixin, DeveloperErrorViewMixin, FamilyViewMixin, APIView):
    """Where a learner left off: their latest completion and its unit and subsection."""

    family = "courseware"
    authentication_classes = family_authentication()
    permission_classes = family_permissions(IsAuthenticated)

    @extend_schema(
        tags=["courseware"],
        operation_id="courseware_resume_retrieve",
        parameters=[COURSE_KEY_PARAMETER, USERNAME_PARAMETER],
        responses={200: CoursewareResumeSerializer, **developer_errors(
            **{"400": "Malformed course key.", "401": "Not signed in.",
               "403": "A non-staff user named another username.",
               "404": "No such course, it cannot be seen, or no such username.", "405": "Only GET is allowed."})},
    )
    def get(self, request, course_key_string):
        course_key = self.course_key()
        course = course_or_404(course_key)
        # The session masquerade does not apply here (spec §7): staff resume where they left off.
        viewer = resolve_courseware_user(request, course_key, username=request.query_params.get("username"),
                                         session=False)
        if not can_see_course(viewer.real_user, course, enrollment=enrollment_of(viewer.user, course),
                              is_staff=viewer.real_is_staff, now=timezone.now()):
            raise NotFound()
        return Response(resume_point(viewer.user, course_key))


def resume_point(user, course_key) -> dict:
    """The latest completed block and its unit and subsection; nulls when it is gone from the outline."""
    empty = {"block_id": None, "section_id": None, "unit_id": None}
    latest = (BlockCompletion.objects.filter(user=user, course_key=course_key).order_by("-modified", "-id")
              .values_list("block_key", flat=True).first())
    if latest is None:
        return empty
    block = get_outline(course_key).get(latest)
    if block is None:
        return empty
    path = [*reversed(block.ancestors()), block]
    if len(path) < 4 or path[0].block_type != "course":
        return empty  # a completion above unit level, or an orphan: send the learner to the first unit
    return {"block_id": str(block.usage_key), "section_id": str(path[2].usage_key), "unit_id": str(path[3].usage_key)}


class CelebrationView(CourseKeyMixin, DeveloperErrorViewMixin, FamilyViewMixin, APIView):
    """Marks celebrations of the learner's enrollment as shown (or to show)."""

    family = "courseware"
    authentication_classes = family_authentication()
    permission_classes = family_permissions(IsAuthenticated)
    http_method_names = ["post", "options"]
    # The flags are JSON booleans; a form encoding can only send strings, and "" would read as null.
    parser_classes = [JSONParser]

    @extend_schema(
        tags=["courseware"],
        operation_id="courseware_celebration_create",
        parameters=[COURSE_KEY_PARAMETER],
        request=CoursewareCelebrationSerializer,
        responses={
            200: OpenApiResponse(CoursewareCelebrationSerializer, description="Updated (or nothing to update)."),
            201: OpenApiResponse(CoursewareCelebrationSerializer, description="The celebration row was created."),
            202: OpenApiResponse(CoursewareCelebrationSerializer,
                                 description="Staff viewing as a learner: accepted, nothing written."),
            **developer_errors(**{"400": "Malformed course key or body.", "401": "Not signed in.",
                                  "404": "No enrollment in this course.", "405": "Only POST is allowed.",
                                  "413": "A body over DATA_UPLOAD_MAX_MEMORY_SIZE.",
                                  "415": "A body that is not JSON."}),
        },
    )
    def post(self, request, course_key_string):
        course_key = self.course_key()
        viewer = resolve_courseware_user(request, course_key, reset=True)
        if viewer.is_viewing_other:
            enrollment = enrollment_in(viewer.user, course_key)
            return Response(celebration_fields(enrollment and enrollment_celebration(enrollment)),
                            status=status.HTTP_202_ACCEPTED)
        serializer = CoursewareCelebrationSerializer(data=request.data)
        if not serializer.is_valid():
            raise DeveloperError(400, _first_error(serializer.errors))
        enrollment = enrollment_in(viewer.user, course_key)
        if enrollment is None:
            raise DeveloperError(404, f"No enrollment in {course_key}.")
        updates = {name: value for name, value in serializer.validated_data.items() if value is not None}
        if not updates:
            return Response(celebration_fields(enrollment_celebration(enrollment)), status=status.HTTP_200_OK)
        row, created = update_enrollment_celebration(viewer.user, enrollment, **updates)
        return Response(celebration_fields(row), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


def enrollment_in(user, course_key) -> Enrollment | None:
    """``user``'s enrollment in the course spelled exactly ``course_key``, with its course and celebration."""
    enrollment = (Enrollment.objects.select_related("course", "celebration")
                  .filter(user=user, course__course_key=course_key).first())
    return enrollment if enrollment is not None and spelled_as(enrollment.course.course_key, course_key) else None


def _first_error(errors) -> str:
    """One readable message out of DRF's nested error dict."""
    for field, messages in errors.items():
        message = messages[0] if isinstance(messages, list) else messages
        return str(message) if field == "non_field_errors" else f"{field}: {message}"
    return "Invalid body."
