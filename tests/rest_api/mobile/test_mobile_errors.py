"""Every 4xx under the mobile prefix is JSON carrying ``developer_message`` and ``error_code``.

The Android app's error handling reads those keys from a JSON body and shows a network
failure for a body that is not JSON; ``detail`` and ``errors`` stay for the clients that read them.
"""

from __future__ import annotations

import pytest
from rest_framework.exceptions import ErrorDetail

from openedx_learner_apis.api import enroll
from openedx_learner_apis.rest_api.common.errors import error_code_for, with_developer_error_keys
from tests.course_builders import build_course

pytestmark = pytest.mark.django_db

KEY = "course-v1:edX+Errors+1"
STATUS = "/api/mobile/v1/users/learner/course_status_info/"


@pytest.fixture
def client(session_client, learner):
    build_course(KEY)
    enroll(learner, KEY)
    c = session_client(learner)
    c.raise_request_exception = False
    return c


def assert_mobile_error(response, status: int, error_code: str | None = None):
    assert response.status_code == status, response.content[:200]
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    body = response.json()
    assert isinstance(body["developer_message"], str) and body["developer_message"]
    assert isinstance(body["error_code"], str) and body["error_code"]
    if error_code is not None:
        assert body["error_code"] == error_code, body
    return body


@pytest.mark.parametrize("version", ["v0.5", "v1", "v4"])
def test_course_status_of_a_course_that_does_not_exist(client, version):
    response = client.get(f"/api/mobile/{version}/users/learner/course_status_info/course-v1:edX+Nope+1")
    body = assert_mobile_error(response, 404, "course_not_found")
    assert body["developer_message"] == body["detail"] == "Course not found."


@pytest.mark.parametrize("path", [
    "v1/course_info/course-v1:edX+Errors+1/about",
    "v9/course_info/course-v1:edX+Errors+1/updates",
    "v1/download_courses/course-v1:edX+Errors+1",
    "v4/course_info/blocks/",
    "v1/",
    "",
    "v9/anything/at/all",
    "v1/users",
])
@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_every_unmatched_path_under_the_prefix_is_a_json_404(api_client, path, method):
    assert_mobile_error(getattr(api_client, method)(f"/api/mobile/{path}"), 404, "not_found")


def test_not_signed_in_is_401(api_client):
    assert_mobile_error(api_client.get("/api/mobile/v1/users/learner"), 401, "not_authenticated")


def test_another_user_is_403(client, make_user):
    make_user("someone")
    assert_mobile_error(client.get("/api/mobile/v1/users/someone"), 403, "permission_denied")


def test_a_method_not_allowed_is_405(client):
    assert_mobile_error(client.delete("/api/mobile/v1/users/learner"), 405, "method_not_allowed")


def test_an_unsupported_media_type_is_415(client):
    response = client.generic("PATCH", STATUS + KEY, "a=b", content_type="text/plain")
    assert_mobile_error(response, 415, "unsupported_media_type")


def test_a_bad_body_is_400_with_its_code(client):
    body = assert_mobile_error(client.patch(STATUS + KEY, {"modification_date": "x"}, format="json"), 400,
                               "invalid-modification-date")
    assert body["errors"] == [{"code": "invalid-modification-date", "message": "Could not parse modification_date"}]


def test_a_page_out_of_range_is_404(client):
    assert_mobile_error(client.get("/api/mobile/v3/users/learner/course_enrollments/?page=99"), 404, "not_found")


def test_the_access_error_keeps_its_code(client, learner):
    build_course("course-v1:edX+Hidden+1", mobile_available=False)
    enroll(learner, "course-v1:edX+Hidden+1")
    body = assert_mobile_error(client.get(STATUS + "course-v1:edX+Hidden+1"), 404, "mobile_unavailable")
    assert body["has_access"] is False


def test_developer_error_keys():
    assert with_developer_error_keys({"detail": ErrorDetail("Nope.", code="gone")}, 404) == {
        "detail": "Nope.", "developer_message": "Nope.", "error_code": "gone"}
    assert with_developer_error_keys({"errors": [{"code": "c", "message": "m"}]}, 400) == {
        "errors": [{"code": "c", "message": "m"}], "developer_message": "m", "error_code": "c"}
    assert with_developer_error_keys({"error_code": "x", "developer_message": "y"}, 404) == {
        "error_code": "x", "developer_message": "y"}
    assert with_developer_error_keys(None, 415) == {
        "developer_message": "Unsupported media type", "error_code": "unsupported_media_type"}
    assert error_code_for(404) == "not_found" and error_code_for(599) == "error"
