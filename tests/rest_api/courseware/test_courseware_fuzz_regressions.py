"""Courseware cases the schema fuzzer found (docs/robustness.rst)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from openedx_learner_apis.api import enroll
from openedx_learner_apis.applets.engagement.models import CourseEnrollmentCelebration
from tests.course_builders import build_course
from tests.robustness.openapi import api_schema, assert_documented

pytestmark = pytest.mark.django_db

KEY = "course-v1:edX+Fuzz+2026"
COURSE = "/api/courseware/course/{course_key_string}"
CELEBRATION = "/api/courseware/celebration/{course_key_string}"


@pytest.fixture
def enrolled(learner):
    build_course(KEY, start=timezone.now() - timezone.timedelta(days=3))
    enroll(learner, KEY)


@pytest.mark.parametrize("requested_fields", ["\u00c5\u00ec\u00aa\x7f\u00a3`\u00c6W", "id,name", ""])
def test_requested_fields_leave_out_fields_the_schema_no_longer_requires(jwt_client, learner, enrolled,
                                                                          requested_fields):
    """With ``requested_fields`` only those fields come back; the schema required all of them."""
    response = jwt_client(learner).get(f"/api/courseware/course/{KEY}",
                                       {"requested_fields": requested_fields, "browser_timezone": "\U000f7464"})
    assert response.status_code == 200
    assert_documented(response, "get", COURSE)


def test_celebration_request_is_documented_as_json_only():
    """A form field ``first_section=`` read as null, and "true" as a string was rejected: only JSON works."""
    content = api_schema()["paths"][CELEBRATION]["post"]["requestBody"]["content"]
    assert list(content) == ["application/json"]


@pytest.mark.parametrize("content_type", ["multipart/form-data; boundary=x", "application/x-www-form-urlencoded"])
def test_celebration_form_post_is_415(jwt_client, learner, enrolled, content_type):
    response = jwt_client(learner).post(f"/api/courseware/celebration/{KEY}", "--x\r\n\r\n--x--",
                                        content_type=content_type)
    assert response.status_code == 415
    assert_documented(response, "post", CELEBRATION)
    assert not CourseEnrollmentCelebration.objects.exists()
