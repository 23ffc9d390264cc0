"""The floor: the cheapest request the app's stack can answer, measured next to every endpoint.

``FloorView`` goes through everything a real endpoint of the mobile family goes through
(the host's middleware, JWT authentication, the restricted-application gate, the owner
check on the URL's username, DRF's content negotiation and JSON renderer, the family's
error handling) and then does no work: it answers a constant small JSON body without
touching the database. Its requests per second are the ceiling of this stack on this
machine; the report gives every endpoint as a percentage of it, a figure that other work
on a shared machine disturbs much less than the absolute numbers (both are measured in
the same run, by the same server processes, one after the other).

Only the bench host mounts it (``benchmarks/harness/urls.py``); the app never does.
"""

from __future__ import annotations

from django.urls import path
from rest_framework.response import Response

from openedx_learner_apis.rest_api.common.permissions import IsAuthenticated, IsOwner
from openedx_learner_apis.rest_api.common.views import FamilyAPIView, family_authentication, family_permissions
from openedx_learner_apis.rest_api.mobile.errors import MobileErrorsMixin

FLOOR_NAME = "floor"
FLOOR_BODY = {"floor": True}


class FloorView(MobileErrorsMixin, FamilyAPIView):
    """The mobile family's authentication and permissions (owner only), then a constant body."""

    family = "mobile"
    authentication_classes = family_authentication()
    permission_classes = family_permissions(IsAuthenticated, IsOwner)
    schema = None

    def get(self, request, username: str):
        return Response(FLOOR_BODY)


def floor_path(username: str) -> str:
    return f"/bench/floor/{username}/"


urlpatterns = [path("bench/floor/<str:username>/", FloorView.as_view(), name="bench-floor")]
