"""Base view wiring each family to its configured authentication and permissions."""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.views import APIView

from ...conf import learner_apis_settings


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body exceeds the server's limits."
    default_code = "request_too_large"


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

    def handle_exception(self, exc):
        # Django's request-size guards fire while DRF reads the body or the query string. They
        # are client errors: answer them in the family's shape, not with the host's HTML 400.
        if isinstance(exc, RequestDataTooBig):
            exc = RequestTooLarge(str(exc))
        elif isinstance(exc, (TooManyFieldsSent, TooManyFilesSent)):
            exc = ParseError(str(exc))
        return super().handle_exception(exc)


class FamilyAPIView(FamilyViewMixin, APIView):
    """An ``APIView`` of one family."""
