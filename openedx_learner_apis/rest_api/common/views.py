"""Base view wiring each family to its configured authentication and permissions."""

from __future__ import annotations

from rest_framework.views import APIView

from ...conf import learner_apis_settings


class FamilyViewMixin:
    """Reads authentication and permission classes from settings at request time.

    ``family`` names the API family (a key of ``URL_PREFIXES``); ``permission_classes``
    on the view is the spec's default, which ``PERMISSION_CLASSES[family]`` replaces.
    """

    family: str = ""

    def get_authenticators(self):
        return [cls() for cls in learner_apis_settings.authentication_classes(self.family)]

    def get_permissions(self):
        classes = learner_apis_settings.permission_classes(self.family, self.permission_classes)
        return [cls() for cls in classes]


class FamilyAPIView(FamilyViewMixin, APIView):
    """An ``APIView`` of one family."""
