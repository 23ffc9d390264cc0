"""Views of the mobile users API (spec mobile_users), every version from v0.5 to v4.

Only the owner of the URL's username may call the user routes (no staff bypass, spec §2);
the username is matched case-insensitively and the canonical user is used afterwards.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ParseError
from rest_framework.response import Response

from ...applets.courses.api import find_course
from ...applets.courses.outline import get_outline
from ...applets.enrollments.access import ENROLLMENT_REQUIRED, MobileAccess
from ...applets.enrollments.models import Enrollment
from ...applets.enrollments.recent_activity import enrollments_status
from ...applets.enrollments.selection import EnrollmentStatuses, parse_status, select_enrollments
from ...applets.mobile.configs import structured_configs
from ...applets.mobile.timezone import user_timezone
from ...applets.progress.course_status import (
    InvalidModule,
    get_positions,
    last_completed_block,
    last_visited_path,
    save_last_visited,
)
from ...conf import learner_apis_settings
from ...core.keys import InvalidKey, parse_course_key, parse_usage_key
from ...core.users import find_user
from ..common.errors import DeveloperErrorKeysMixin
from ..common.pagination import PAGE_SCHEMA, PAGE_SIZE_SCHEMA, page_description, pagination_class_with
from ..common.parsers import JSON_OR_FORM_PARSERS
from ..common.permissions import IsAuthenticated, IsOwner
from ..common.views import FamilyAPIView, family_authentication, family_permissions
from .serializers import (
    EnrollmentBatch,
    MobileCourseProgressSerializer,
    MobileCourseStatusInfoSerializer,
    MobileCourseStatusPatchSerializer,
    MobileCoursewareAccessSerializer,
    MobileEnrollmentSerializer,
    MobileEnrollmentStatusSerializer,
    MobileEnrollmentV05Serializer,
    MobileEnrollmentWithProgressSerializer,
    MobileModeSerializer,
    MobilePrimaryEnrollmentSerializer,
    MobileUserSerializer,
)

V05, V1, V2, V3, V4 = "v0.5", "v1", "v2", "v3", "v4"
TAGS = ["mobile"]
PAGE_SIZES = {V3: (10, 100), V4: (5, 50)}
COURSE_PROGRESS = "course_progress"

# Every 4xx carries developer_message and error_code (what the apps' error handling reads).
DEVELOPER_KEYS = {"developer_message": serializers.CharField(), "error_code": serializers.CharField()}
DETAIL = inline_serializer("MobileDetail", {"detail": serializers.CharField(), **DEVELOPER_KEYS})
ERRORS = inline_serializer("MobileErrors", {**DEVELOPER_KEYS, "errors": serializers.ListField(child=inline_serializer(
    "MobileError", {"code": serializers.CharField(), "message": serializers.CharField()}))})
AUTH_RESPONSES = {
    401: OpenApiResponse(DETAIL, description="Not authenticated."),
    403: OpenApiResponse(DETAIL, description="The URL names another user (staff included)."),
}
VERSION_PARAMETER = OpenApiParameter("api_version", str, OpenApiParameter.PATH, enum=[V05, V1, V2, V3, V4])
USERNAME_PARAMETER = OpenApiParameter("username", str, OpenApiParameter.PATH)
COURSE_PARAMETER = OpenApiParameter("course_key_string", str, OpenApiParameter.PATH, description="A course key.")


class MobileView(DeveloperErrorKeysMixin, FamilyAPIView):
    """Owner-only view of the mobile family."""

    family = "mobile"
    authentication_classes = family_authentication()
    permission_classes = family_permissions(IsAuthenticated, IsOwner)

    def url_user(self):
        """The user the URL names; the requester itself when the name is theirs exactly (no second query)."""
        username = self.kwargs.get("username")
        if self.request.user.is_authenticated and self.request.user.username == username:
            return self.request.user
        user = find_user(username)
        if user is None:
            raise NotFound()
        return user


class MyUserInfoView(DeveloperErrorKeysMixin, FamilyAPIView):
    """Redirects the signed-in user to their own detail route (no ``last_login`` write, DESIGN §6.11)."""

    family = "mobile"
    authentication_classes = family_authentication()
    permission_classes = family_permissions(IsAuthenticated)

    @extend_schema(tags=TAGS, operation_id="mobile_my_user_info", parameters=[VERSION_PARAMETER], responses={
        302: OpenApiResponse(description="Location: the requester's user detail route."),
        401: AUTH_RESPONSES[401], 404: OpenApiResponse(DETAIL, description="An unknown API version.")})
    def get(self, request, api_version: str):
        namespace = request.resolver_match.namespace
        location = reverse(f"{namespace}:user-detail",
                           kwargs={"api_version": api_version, "username": request.user.username})
        return Response(status=status.HTTP_302_FOUND, headers={"Location": location})


class UserDetailView(MobileView):
    """The user's id, username, email, full name and the link to their enrollments."""

    @extend_schema(tags=TAGS, operation_id="mobile_user_detail", parameters=[VERSION_PARAMETER, USERNAME_PARAMETER],
                   responses={200: MobileUserSerializer, **AUTH_RESPONSES,
                              404: OpenApiResponse(DETAIL, description="No such user.")})
    def get(self, request, api_version: str, username: str):
        user = self.url_user()
        namespace = request.resolver_match.namespace
        url = request.build_absolute_uri(reverse(f"{namespace}:courseenrollment-detail",
                                                 kwargs={"api_version": api_version, "username": user.username}))
        return Response(MobileUserSerializer(user, context={"course_enrollments_url": url}).data)


class MobileEnrollmentListItemSerializer(MobileEnrollmentV05Serializer):
    """Schema only: the array items of v0.5 and v1; v0.5 items lack the last two fields."""

    audit_access_expires = serializers.DateTimeField(required=False, allow_null=True, help_text="v1 only.")
    course_modes = MobileModeSerializer(many=True, required=False, help_text="v1 only.")


class MobileEnrollmentPageItemSerializer(MobileEnrollmentSerializer):
    """Schema only: v3 and v4 page items; ``course_progress`` only when v4's requested_fields names it."""

    course_progress = MobileCourseProgressSerializer(required=False)


def _enrollments_schema():
    """One schema per response shape, as ``oneOf``: the shapes are told apart by their JSON types."""
    paginated = {"next": serializers.URLField(allow_null=True), "previous": serializers.URLField(allow_null=True),
                 "count": serializers.IntegerField(), "num_pages": serializers.IntegerField(),
                 "current_page": serializers.IntegerField(), "start": serializers.IntegerField()}
    page = inline_serializer("MobileEnrollmentPage", {
        **paginated, "results": MobileEnrollmentPageItemSerializer(many=True)})
    shapes = PolymorphicProxySerializer(
        component_name="MobileCourseEnrollments", resource_type_field_name=None, many=False, serializers=[
            MobileEnrollmentListItemSerializer(many=True),
            inline_serializer("MobileEnrollmentsV2", {
                "configs": serializers.DictField(), "user_timezone": serializers.CharField(),
                "enrollments": MobileEnrollmentSerializer(many=True)}),
            inline_serializer("MobileEnrollmentsV4", {
                "configs": serializers.DictField(), "user_timezone": serializers.CharField(),
                "enrollments": page, "primary": MobilePrimaryEnrollmentSerializer(required=False)}),
        ])
    return OpenApiResponse(
        shapes, description="v0.5 and v1: a JSON array of enrollments (v0.5 items lack audit_access_expires and "
                            "course_modes). v2: {configs, user_timezone, enrollments: [...]}. v3: enrollments "
                            "paginated (10, at most 100). v4: paginated 5 per page (at most 50), plus primary.")


class CourseEnrollmentsView(MobileView):
    """The learner's enrollments in mobile-available courses (spec §5)."""

    @extend_schema(
        tags=TAGS,
        operation_id="mobile_course_enrollments",
        parameters=[VERSION_PARAMETER, USERNAME_PARAMETER,
                    OpenApiParameter("org", str, description="Only courses of this organisation (empty: all)."),
                    # Not an enum: any other value is accepted and lists every enrollment with a primary.
                    OpenApiParameter("status", str, description=(
                        f"v4: `{'`, `'.join(EnrollmentStatuses.values())}` filter by status; any other value "
                        "lists every enrollment, with a primary.")),
                    OpenApiParameter("requested_fields", str,
                                     description="v4: comma-separated; course_progress adds it to every item."),
                    OpenApiParameter("page", PAGE_SCHEMA, description=page_description(
                        applies="v3, v4 (earlier versions ignore it). ")),
                    OpenApiParameter("page_size", PAGE_SIZE_SCHEMA, description=(
                        "v3, v4 (earlier versions ignore it). Results per page, at most 100 in v3 and 50 in v4; "
                        "a value that is not a positive number means 10 in v3 and 5 in v4."))],
        responses={200: _enrollments_schema(), **AUTH_RESPONSES,
                   404: OpenApiResponse(DETAIL, description="No such user, or a page out of range.")})
    def get(self, request, api_version: str, username: str):
        user = self.url_user()
        now = timezone.now()
        v4 = api_version == V4
        selection = select_enrollments(
            user, org=request.query_params.get("org"), site_orgs=learner_apis_settings.SITE_COURSE_ORG_FILTER,
            status=parse_status(request.query_params.get("status")) if v4 else None,
            exclude_expired=api_version == V05, with_primary=v4, now=now)
        shown = selection.enrollments
        paginator = None
        if api_version in PAGE_SIZES:
            page_size, max_page_size = PAGE_SIZES[api_version]
            paginator = pagination_class_with(page_size=page_size, max_page_size=max_page_size)()
            shown = paginator.paginate_queryset(shown, request, view=self)
        loaded = selection.load([*shown, selection.primary] if selection.primary else shown)
        primary_id = selection.primary.id if selection.primary else None
        items = [enrollment for enrollment in loaded.enrollments if enrollment.id != primary_id]
        primary = next((enrollment for enrollment in loaded.enrollments if enrollment.id == primary_id), None)
        with_progress = v4 and COURSE_PROGRESS in request.query_params.get("requested_fields", "").split(",")
        tz = user_timezone(user) if api_version not in (V05, V1) else None
        batch = EnrollmentBatch(request, api_version, loaded, progress_for=items if with_progress else (),
                                primary=primary, tz=tz, now=now)
        serializer_class = MobileEnrollmentWithProgressSerializer if with_progress else MobileEnrollmentSerializer
        if api_version == V05:
            serializer_class = MobileEnrollmentV05Serializer
        results = serializer_class(items, many=True, context={"batch": batch}).data
        if api_version in (V05, V1):
            return Response(results)
        body = {"configs": structured_configs(), "user_timezone": str(tz),
                "enrollments": paginator.get_paginated_response(results).data if paginator else results}
        if primary is not None:
            body["primary"] = MobilePrimaryEnrollmentSerializer(primary, context={"batch": batch}).data
        return Response(body)


def _errors(code: str, message: str) -> Response:
    return Response({"errors": [{"code": code, "message": message}]}, status=status.HTTP_400_BAD_REQUEST)


COURSE_STATUS_NOT_FOUND = PolymorphicProxySerializer(
    component_name="MobileCourseStatusNotFound", resource_type_field_name=None,
    serializers=[DETAIL, MobileCoursewareAccessSerializer])
COURSE_NOT_FOUND = "course_not_found"
INVALID_DATE = ("invalid-modification-date", "Could not parse modification_date")
INVALID_BODY = ("invalid-request-body", "The request body must be a JSON object")
INVALID_MODULE = ("invalid-module-id", "Could not find module for module_id")


def mobile_course_access(request, course_key_string: str):
    """``(course, access)`` when the requester may open the course on mobile; raise or answer 404 otherwise.

    A malformed or unknown course is 404 ``course_not_found``; not enrolled, a plain 404; any
    other failed check, 404 with the access-error object. Course staff pass every check.
    """
    try:
        course_key = parse_course_key(course_key_string)
    except InvalidKey:
        raise NotFound("Course not found.", code=COURSE_NOT_FOUND) from None
    course = find_course(course_key, with_modes=True)  # a key in another letter case names no course
    if course is None:
        raise NotFound("Course not found.", code=COURSE_NOT_FOUND)
    enrollment = Enrollment.objects.filter(user=request.user, course=course).first()
    access = MobileAccess(request.user, [course])
    result = access.check(course, enrollment)
    if not result:
        if result.error_code == ENROLLMENT_REQUIRED:
            raise NotFound()
        return Response(result.as_dict(), status=status.HTTP_404_NOT_FOUND)
    return course, access


class CourseStatusView(MobileView):
    """The learner's last visited module in a course: read it (GET) or save it (PATCH), spec §6."""

    http_method_names = ["get", "patch"]
    parser_classes = JSON_OR_FORM_PARSERS

    def course_context(self, request, course_key_string: str):
        """``(course, outline, is_staff)`` once the course access checks pass; raise or answer 404 otherwise."""
        context = mobile_course_access(request, course_key_string)
        if isinstance(context, Response):
            return context
        course, access = context
        return course, get_outline(course.course_key), access.is_staff(course.course_key)

    @staticmethod
    def current_state(user, outline, *, staff: bool) -> dict:
        path = last_visited_path(outline, get_positions(user, outline.course_key), staff=staff, now=timezone.now())
        return {"last_visited_module_id": str(path[0]), "last_visited_module_path": [str(key) for key in path]}

    @extend_schema(tags=TAGS, operation_id="mobile_course_status_read",
                   parameters=[VERSION_PARAMETER, USERNAME_PARAMETER, COURSE_PARAMETER],
                   responses={200: MobileCourseStatusInfoSerializer, **AUTH_RESPONSES, 404: OpenApiResponse(
                       COURSE_STATUS_NOT_FOUND,
                       description="Unknown or malformed course, not enrolled ({detail}), or no access "
                                   "(the access-error object).")})
    def get(self, request, api_version: str, username: str, course_key_string: str):
        context = self.course_context(request, course_key_string)
        if isinstance(context, Response):
            return context
        course, outline, staff = context
        body = self.current_state(request.user, outline, staff=staff)
        if api_version == V1:
            block_key = last_completed_block(request.user, course.course_key)
            body["last_visited_block_id"] = str(block_key) if block_key else ""
        return Response(body)

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
                              415: OpenApiResponse(DETAIL, description="A body neither JSON nor a form.")})
    def patch(self, request, api_version: str, username: str, course_key_string: str):
        context = self.course_context(request, course_key_string)
        if isinstance(context, Response):
            return context
        course, outline, staff = context
        try:
            data = request.data
        except ParseError:
            data = None
        if not hasattr(data, "get"):  # not JSON, or JSON that is not an object (a list, a number...)
            return _errors(*INVALID_BODY)
        raw_date, module_id = data.get("modification_date"), data.get("last_visited_module_id")
        modification_date = None
        if raw_date not in (None, ""):
            try:
                modification_date = parse_datetime(raw_date) if isinstance(raw_date, str) else None
            except ValueError:
                modification_date = None
            if modification_date is None or timezone.is_naive(modification_date):
                return _errors(*INVALID_DATE)
        if module_id in (None, ""):
            return Response(self.current_state(request.user, outline, staff=staff))
        try:
            if not isinstance(module_id, str):
                raise InvalidKey(module_id)
            save_last_visited(request.user, outline, parse_usage_key(module_id),
                              modification_date=modification_date, staff=staff)
        except (InvalidKey, InvalidModule):
            return _errors(*INVALID_MODULE)
        return Response(self.current_state(request.user, outline, staff=staff))


class EnrollmentsStatusView(MobileView):
    """Which of the learner's mobile courses were active in the last 30 days (spec §7)."""

    @extend_schema(tags=TAGS, operation_id="mobile_enrollments_status",
                   parameters=[VERSION_PARAMETER, USERNAME_PARAMETER],
                   responses={200: MobileEnrollmentStatusSerializer(many=True), **AUTH_RESPONSES,
                              404: OpenApiResponse(DETAIL, description="No such user.")})
    def get(self, request, api_version: str, username: str):
        return Response(MobileEnrollmentStatusSerializer(enrollments_status(self.url_user()), many=True).data)
