"""Mobile cases the schema fuzzer found (docs/robustness.rst): responses the API schema did not document.

Each test makes the request the fuzzer reduced its failure to and checks the response
against the generated schema, as the fuzzer does on the live host.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from openedx_learner_apis.api import enroll, upsert_course_mode
from openedx_learner_apis.applets.progress.models import CoursewarePosition
from tests.course_builders import build_course
from tests.robustness.openapi import api_schema, assert_documented

pytestmark = pytest.mark.django_db

KEY = "course-v1:edX+Fuzz+2026"
ENROLLMENTS = "/api/mobile/{api_version}/users/{username}/course_enrollments/"
STATUS_INFO = "/api/mobile/{api_version}/users/{username}/course_status_info/{course_key_string}"


@pytest.fixture
def enrolled(learner):
    build_course(KEY, start=timezone.now() - timezone.timedelta(days=3))
    upsert_course_mode(KEY, "audit")
    enroll(learner, KEY)


@pytest.mark.parametrize("version, query", [
    ("v0.5", {}), ("v1", {}), ("v2", {}), ("v3", {}), ("v4", {}),
    ("v4", {"requested_fields": "course_progress"}), ("v4", {"status": "in_progress"}),
])
def test_every_version_of_course_enrollments_matches_the_schema(jwt_client, learner, enrolled, version, query):
    """v0.5 to v2 answered shapes the schema (the v4 object only) did not describe; audit dates were null."""
    response = jwt_client(learner).get(f"/api/mobile/{version}/users/learner/course_enrollments/", query)
    assert response.status_code == 200
    assert_documented(response, "get", ENROLLMENTS)


def test_unknown_status_is_documented_as_accepted(jwt_client, learner, enrolled):
    """The fuzzer sent ``status=\\\\Á``: accepted (every enrollment, with a primary) while the schema had an enum."""
    response = jwt_client(learner).get("/api/mobile/v4/users/learner/course_enrollments/", {"status": "\\\u00c1"})
    assert response.status_code == 200
    status = next(parameter for parameter in api_schema()["paths"][ENROLLMENTS]["get"]["parameters"]
                  if parameter["name"] == "status")
    assert "enum" not in status["schema"]


def test_unknown_course_in_course_status_is_documented(jwt_client, learner):
    """A 404 ``{"detail"}`` where the schema documented only the access-error object."""
    response = jwt_client(learner).get("/api/mobile/v1/users/learner/course_status_info/course-v1:edX+No+Such")
    assert response.status_code == 404
    assert_documented(response, "get", STATUS_INFO)


@pytest.mark.parametrize("body", ["0", "[]", '"text"', "n@\xbd\x89)", "{"])
def test_patch_body_that_is_not_a_json_object_is_400(jwt_client, learner, enrolled, body):
    """``0`` was taken for an empty object (200); bytes that are not JSON answered DRF's ``{"detail"}``."""
    response = jwt_client(learner).patch(f"/api/mobile/v1/users/learner/course_status_info/{KEY}",
                                         body.encode("latin-1"), content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"errors": [{"code": "invalid-request-body",
                                           "message": "The request body must be a JSON object"}],
                               "error_code": "invalid-request-body",
                               "developer_message": "The request body must be a JSON object"}
    assert_documented(response, "patch", STATUS_INFO)
    assert not CoursewarePosition.objects.exists()


def test_patch_request_body_is_documented_as_json_only():
    """Form encodings cannot tell null from an empty value, so the fuzzer's form bodies were not negative."""
    content = api_schema()["paths"][STATUS_INFO]["patch"]["requestBody"]["content"]
    assert list(content) == ["application/json"]


def test_unknown_version_of_my_user_info_is_a_documented_404(jwt_client, learner):
    response = jwt_client(learner).get("/api/mobile/AAA/my_user_info")
    assert response.status_code == 404
    assert_documented(response, "get", "/api/mobile/{api_version}/my_user_info")


def test_patch_body_of_another_media_type_is_a_documented_415(jwt_client, learner, enrolled):
    response = jwt_client(learner).patch(f"/api/mobile/v1/users/learner/course_status_info/{KEY}", "x",
                                         content_type="text/plain")
    assert response.status_code == 415
    assert_documented(response, "patch", STATUS_INFO)
