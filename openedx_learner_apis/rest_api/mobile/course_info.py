"""Mobile course-info routes: the handouts and updates pages the enrollment payload links to.

``GET {v}/course_info/{course_id}/handouts`` and ``.../updates``, for every version token.
Any signed-in user may call them (the URL names no user); the course must pass the same
mobile access checks as ``course_status_info``: enrolled, or course staff.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view, inline_serializer
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
    """One course-info page of a course the requester may open on mobile, rendered by :meth:`page_body`."""

    permission_classes = family_permissions(IsAuthenticated)
    page_name = ""

    def page_body(self, page, course_key, root: str):
        """The JSON body of the page (``root`` makes its links absolute)."""
        raise NotImplementedError

    def get(self, request, api_version: str, course_key_string: str):
        # No docstring: the schema describes the operation by the subclass's. Access is granted first
        # (else the use case raises, answered as a 404), then the page is rendered.
        course = open_course(request.user, course_key_string).course
        root = learner_apis_settings.hooks().lms_url(request, "/")
        return Response(self.page_body(info_page(course, self.page_name), course.course_key, root))


def page_schema(operation_id: str, body):
    """The OpenAPI description of a course-info page's ``GET``: its own 200 body, the shared refusals."""
    return extend_schema_view(get=extend_schema(
        tags=TAGS, operation_id=operation_id, parameters=[VERSION_PARAMETER, COURSE_PARAMETER],
        responses={200: body, **RESPONSES}))


@page_schema("mobile_course_handouts", HANDOUTS_BODY)
class CourseHandoutsView(CourseInfoPageView):
    """The course's handouts: ``{"handouts_html": ...}``."""

    page_name = HANDOUTS

    def page_body(self, page, course_key, root: str):
        return {"handouts_html": handouts_html(page, course_key, root=root)}


@page_schema("mobile_course_updates", UPDATES_BODY)
class CourseUpdatesView(CourseInfoPageView):
    """The course's visible updates, newest first."""

    page_name = UPDATES

    def page_body(self, page, course_key, root: str):
        return visible_updates(page, course_key, root=root)
