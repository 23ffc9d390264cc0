"""``GET assertions/user/{username}/``: the badges a learner earned, newest first, paginated."""

from __future__ import annotations

from functools import cached_property

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView

from ...applets.badges.api import AssertionFilters, user_badge_assertions
from ...conf import learner_apis_settings
from ...core.users import find_user
from ..common import endpoint_versions
from ..common.conditional import ConditionalGetMixin, versioned_get
from ..common.schema import ANY_COURSE_KEY_PATTERN
from ..common.views import FamilyViewMixin, family_authentication, family_permissions
from .errors import translate_badges_exception
from .permissions import AccomplishmentsShared
from .serializers import BadgeAssertionSerializer, BadgesErrorSerializer


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(BadgesErrorSerializer, description=description)


@extend_schema(
    tags=["badges"],
    # Anonymous requests are served too, for profiles that share badges: ``{}`` makes credentials optional.
    auth=[{"jwtAuth": []}, {"bearerAuth": []}, {"cookieAuth": []}, {}],
    summary="A learner's badge assertions",
    parameters=[
        OpenApiParameter("username", OpenApiTypes.STR, OpenApiParameter.PATH,
                         description="The learner (case-insensitive)."),
        OpenApiParameter("course_id", OpenApiTypes.STR, pattern=rf"^(\*|{ANY_COURSE_KEY_PATTERN})?$", description=(
            "`*` for every course; a course key for that course only. Absent or empty: every course, unless "
            "`slug` is in the query string, then only badges of no course.")),
        OpenApiParameter("slug", OpenApiTypes.STR, description="Only badges of this badge class slug."),
        OpenApiParameter("issuing_component", OpenApiTypes.STR, description=(
            "With `slug`: the badge class's issuing component (default: the empty component).")),
    ],
    responses={
        200: BadgeAssertionSerializer(many=True),
        400: _error("`course_id` is neither `*` nor a valid course key."),
        401: _error("Invalid credentials (a bad or expired token)."),
        404: _error("No such user, or the learner does not share badges with the requester; or an invalid page."),
    },
)
class UserBadgeAssertionsView(ConditionalGetMixin, FamilyViewMixin, ListAPIView):
    """The owner and staff always see the list; others see it when the learner's profile shares it."""

    family = "badges"
    authentication_classes = family_authentication()
    permission_classes = family_permissions(AccomplishmentsShared)
    serializer_class = BadgeAssertionSerializer
    translate_exception = staticmethod(translate_badges_exception)

    @property
    def pagination_class(self):
        return learner_apis_settings.PAGINATION_CLASS

    @cached_property
    def owner(self):
        return find_user(self.kwargs.get("username"))

    @versioned_get(endpoint_versions.badges)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if self.owner is None:
            raise NotFound()
        return user_badge_assertions(self.owner, AssertionFilters.from_query(self.request.query_params))
