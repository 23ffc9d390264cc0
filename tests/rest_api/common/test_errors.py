"""The developer-error shape, and DRF errors converted into it by ``DeveloperErrorViewMixin``."""

from __future__ import annotations

import pytest
from django.http import Http404
from edx_rest_framework_extensions.auth.jwt.authentication import JwtAuthentication
from rest_framework import exceptions, serializers
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from openedx_learner_apis.rest_api.common.errors import (
    DeveloperError,
    DeveloperErrorViewMixin,
    developer_error_response,
)


def test_developer_error_response_minimal():
    response = developer_error_response(404, "No such user.")
    assert response.status_code == 404
    assert response.data == {"developer_message": "No such user."}


def test_developer_error_response_full():
    response = developer_error_response(400, ValueError("bad"), user_message="Try again.", error_code="bad_input",
                                        field="file")
    assert response.data == {"developer_message": "bad", "user_message": "Try again.", "error_code": "bad_input",
                             "field": "file"}


class Body(serializers.Serializer):
    name = serializers.CharField()


class RaisingView(DeveloperErrorViewMixin, APIView):
    """Raises whatever the test puts in ``exc``."""

    authentication_classes = [JwtAuthentication]
    permission_classes = [AllowAny]
    exc: Exception | None = None

    def get(self, request):
        raise self.exc

    def post(self, request):
        Body(data=request.data).is_valid(raise_exception=True)
        return Response(status=204)


def call(exc=None, method="get", view_class=RaisingView, **kwargs):
    request = getattr(APIRequestFactory(), method)("/raise/", **kwargs)
    return view_class.as_view(exc=exc)(request)


def test_developer_error_keeps_its_status_and_messages():
    response = call(DeveloperError(409, "Already there.", user_message="You did that.", error_code="conflict"))
    assert response.status_code == 409
    assert response.data == {"developer_message": "Already there.", "user_message": "You did that.",
                             "error_code": "conflict"}


def test_developer_error_without_user_message():
    response = call(DeveloperError(400, "Bad."))
    assert response.data == {"developer_message": "Bad."}


@pytest.mark.parametrize("exc, status, code", [
    (exceptions.NotFound(), 404, "not_found"),
    (Http404(), 404, "not_found"),
    (exceptions.PermissionDenied(), 403, "permission_denied"),
    (exceptions.ParseError("Malformed JSON."), 400, "parse_error"),
    (exceptions.UnsupportedMediaType("text/plain"), 415, "unsupported_media_type"),
])
def test_drf_errors_become_developer_errors(exc, status, code):
    response = call(exc)
    assert response.status_code == status
    assert set(response.data) == {"developer_message", "error_code"}
    assert response.data["error_code"] == code


def test_message_of_the_drf_error_is_kept():
    assert call(exceptions.NotFound("No course.")).data["developer_message"] == "No course."


class LoginRequiredView(RaisingView):
    permission_classes = [IsAuthenticated]


def test_unauthenticated_keeps_the_www_authenticate_header():
    response = call(view_class=LoginRequiredView)
    assert response.status_code == 401
    assert response.data["error_code"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("JWT")


def test_throttled_keeps_retry_after():
    response = call(exceptions.Throttled(wait=30))
    assert response.status_code == 429
    assert response["Retry-After"] == "30"
    assert response.data["error_code"] == "throttled"


def test_method_not_allowed_is_converted():
    response = call(method="delete")
    assert response.status_code == 405
    assert response.data["developer_message"] == 'Method "DELETE" not allowed.'


def test_field_errors_keep_drf_shape():
    response = call(method="post", data={}, format="json")
    assert response.status_code == 400
    assert response.data == {"name": ["This field is required."]}


def test_other_exceptions_are_not_swallowed():
    with pytest.raises(ZeroDivisionError):
        call(ZeroDivisionError())
