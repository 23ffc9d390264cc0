"""Mobile course-info routes: the handouts and updates pages the enrollment payload links to.

``GET {v}/course_info/{course_id}/handouts`` and ``.../updates``, for every version token.
Any signed-in user may call them (the URL names no user); the course must pass the same
mobile access checks as ``course_status_info``: enrolled, or course staff.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response

from ...applets.courses.info_pages import HANDOUTS, UPDATES, handouts_html, info_page, visible_updates
from ...conf import learner_apis_settings
from ...features.mobile.course_status import open_course
from ..common.permissions import IsAuthenticated
from ..common.views import family_permissions
from .views import (
    COURSE_PARAMETER,
    COURSE_STATUS_NOT_FOUND,
    DETAIL,
    TAGS,
    VERSION_PARAMETER,
    MobileView,
)

HANDOUTS_BODY = inline_serializer("MobileCourseHandouts", {"handouts_html": serializers.CharField(
    allow_null=True, help_text="The handouts' HTML, links absolute; null when the course has none.")})
UPDATES_BODY = inline_serializer("MobileCourseUpdate", many=True, fields={
    "id": serializers.IntegerField(),
    "date": serializers.CharField(help_text="As the author wrote it (\"March 31, 2017\")."),
    "status": serializers.CharField(help_text="Always visible: other updates are left out."),
    "content": serializers.CharField(help_text="The update's HTML, links absolute."),
})
RESPONSES = {
    401: OpenApiResponse(DETAIL, description="Not authenticated."),
    403: OpenApiResponse(DETAIL, description="A restricted application the mobile family is not granted to."),
    404: OpenApiResponse(COURSE_STATUS_NOT_FOUND, description=(
        "Unknown or malformed course (course_not_found), not enrolled ({detail}), or no access "
        "(the access-error object).")),
}


class CourseInfoPageView(MobileView):
    """One course-info page of a course the requester may open on mobile."""

    permission_classes = family_permissions(IsAuthenticated)
    page_name = ""

    def page_of(self, request, course_key_string: str):
        """``(course, page, root)`` once access is granted (else the use case raises, answered as a 404)."""
        course = open_course(request.user, course_key_string).course
        root = learner_apis_settings.hooks().lms_url(request, "/")
        return course, info_page(course, self.page_name), root


class CourseHandoutsView(CourseInfoPageView):
    """The course's handouts: ``{"handouts_html": ...}``."""

    page_name = HANDOUTS

    @extend_schema(tags=TAGS, operation_id="mobile_course_handouts", parameters=[VERSION_PARAMETER, COURSE_PARAMETER],
                   responses={200: HANDOUTS_BODY, **RESPONSES})
    def get(self, request, api_version: str, course_key_string: str):
        course, page, root = self.page_of(request, course_key_string)
        return Response({"handouts_html": handouts_html(page, course.course_key, root=root)})


class CourseUpdatesView(CourseInfoPageView):
    """The course's visible updates, newest first."""

    page_name = UPDATES

    @extend_schema(tags=TAGS, operation_id="mobile_course_updates", parameters=[VERSION_PARAMETER, COURSE_PARAMETER],
                   responses={200: UPDATES_BODY, **RESPONSES})
    def get(self, request, api_version: str, course_key_string: str):
        course, page, root = self.page_of(request, course_key_string)
        return Response(visible_updates(page, course.course_key, root=root))
