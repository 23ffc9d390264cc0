"""Mobile views: the user routes of the mobile users API, every version from v0.5 to v4 (docs/mobile.rst).

Only the owner of the URL's username may call the user routes (no staff bypass: the apps
only ever ask for the signed-in learner); the username is matched case-insensitively and the
canonical user is used afterwards. Views parse the request, call the mobile use cases
(``features/mobile``) and serialize; errors go through :class:`.errors.MobileErrorsMixin`.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from ...conf import learner_apis_settings
from ...core.users import find_user
from ...features.mobile.batch import load_page
from ...features.mobile.configs import structured_configs
from ...features.mobile.recent_activity import enrollments_status
from ...features.mobile.selection import EnrollmentStatuses, parse_status, select_enrollments
from ..common import endpoint_versions
from ..common.conditional import ConditionalGetMixin, versioned_get
from ..common.pagination import PAGE_SCHEMA, PAGE_SIZE_SCHEMA, page_description, pagination_class_with
from ..common.permissions import IsAuthenticated, IsOwner
from ..common.views import FamilyAPIView, family_authentication, family_permissions
from .errors import MobileErrorsMixin
from .serializers import (
    MobileCourseProgressSerializer,
    MobileCoursewareAccessSerializer,
    MobileEnrollmentSerializer,
    MobileEnrollmentStatusSerializer,
    MobileEnrollmentV05Serializer,
    MobileEnrollmentWithProgressSerializer,
    MobileModeSerializer,
    MobilePrimaryEnrollmentSerializer,
    MobileUserSerializer,
    ResponseBatch,
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


class MobileView(MobileErrorsMixin, FamilyAPIView):
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


class MyUserInfoView(MobileErrorsMixin, FamilyAPIView):
    """Redirects the signed-in user to their own detail route; it writes nothing (no ``last_login`` update)."""

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


class CourseEnrollmentsView(ConditionalGetMixin, MobileView):
    """The learner's enrollments in mobile-available courses."""

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
    @versioned_get(endpoint_versions.mobile_enrollments)
    def get(self, request, api_version: str, username: str):
        user = self.url_user()
        now = timezone.now()
        v4 = api_version == V4
        selection = select_enrollments(
            user, org=request.query_params.get("org"), site_orgs=learner_apis_settings.SITE_COURSE_ORG_FILTER,
            status=parse_status(request.query_params.get("status")) if v4 else None,
            exclude_expired=api_version == V05, with_primary=v4, with_timezone=api_version not in (V05, V1), now=now)
        shown = selection.enrollments
        paginator = None
        if api_version in PAGE_SIZES:
            page_size, max_page_size = PAGE_SIZES[api_version]
            paginator = pagination_class_with(page_size=page_size, max_page_size=max_page_size)()
            shown = paginator.paginate_queryset(shown, request, view=self)
        page = load_page(selection, shown)
        items, primary = page.items, page.primary
        with_progress = v4 and COURSE_PROGRESS in request.query_params.get("requested_fields", "").split(",")
        tz = selection.zone
        batch = ResponseBatch(request, api_version, page.loaded, progress_for=items if with_progress else (),
                                primary=primary, tz=tz, now=now)
        serializer_class = MobileEnrollmentWithProgressSerializer if with_progress else MobileEnrollmentSerializer
        if api_version == V05:
            serializer_class = MobileEnrollmentV05Serializer
        # One serializer for every item, its to_representation called directly: what ListSerializer
        # and .data add (a list serializer per request, return wrappers) renders the same JSON.
        serializer = serializer_class(context={"batch": batch})
        results = [serializer.to_representation(item) for item in items]
        if api_version in (V05, V1):
            return Response(results)
        body = {"configs": structured_configs(shared_token=page.loaded.shared_token), "user_timezone": str(tz),
                "enrollments": paginator.get_paginated_response(results).data if paginator else results}
        if primary is not None:
            body["primary"] = MobilePrimaryEnrollmentSerializer(context={"batch": batch}).to_representation(primary)
        return Response(body)


COURSE_STATUS_NOT_FOUND = PolymorphicProxySerializer(
    component_name="MobileCourseStatusNotFound", resource_type_field_name=None,
    serializers=[DETAIL, MobileCoursewareAccessSerializer])


class EnrollmentsStatusView(ConditionalGetMixin, MobileView):
    """Which of the learner's mobile courses were active lately (``ENROLLMENTS_STATUS_DAYS``, 30 by default)."""

    @extend_schema(tags=TAGS, operation_id="mobile_enrollments_status",
                   parameters=[VERSION_PARAMETER, USERNAME_PARAMETER],
                   responses={200: MobileEnrollmentStatusSerializer(many=True), **AUTH_RESPONSES,
                              404: OpenApiResponse(DETAIL, description="No such user.")})
    @versioned_get(endpoint_versions.mobile_enrollments_status)
    def get(self, request, api_version: str, username: str):
        return Response(MobileEnrollmentStatusSerializer(enrollments_status(self.url_user()), many=True).data)
